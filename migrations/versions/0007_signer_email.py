"""minutes signers get an email address for the personal approval link

Revision ID: 0007_signer_email
Revises: 0006_session_meeting
Create Date: 2026-11-27 02:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_signer_email'
down_revision = '0006_session_meeting'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('minutes_signers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('approval_requested_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('minutes_signers', schema=None) as batch_op:
        batch_op.drop_column('approval_requested_at')
        batch_op.drop_column('email')
