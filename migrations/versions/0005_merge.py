"""merge the barometer, remiss and dialog branches

Revision ID: 0005_merge
Revises: 0002_barometer, 0003_remiss, 0004_dialog
Create Date: 2026-11-27 00:20:00

"""

# revision identifiers, used by Alembic.
revision = "0005_merge"
down_revision = ("0002_barometer", "0003_remiss", "0004_dialog")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
