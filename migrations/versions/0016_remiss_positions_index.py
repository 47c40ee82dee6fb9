"""section answers: an index of their positions per answer instead of the index on has_final (issue 12)

The dashboard's and the compilation's position counts, and the theme totals, read a few short columns of every
section answer of a remiss: with this index SQLite reads them from the index alone, not from 9,000 rows of long
text. The index on the has_final flag goes: without statistics SQLite chose it for those queries, which then
walked every remiss's comments (on PostgreSQL a yes/no index is never worth reading).

Revision ID: 0016
Revises: 0010
"""
from alembic import op

revision = "0016"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("remiss_section_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_remiss_section_answers_has_final")
        batch_op.create_index("ix_remiss_section_answers_positions",
                              ["answer_id", "section_id", "final_position", "has_final"], unique=False)


def downgrade():
    with op.batch_alter_table("remiss_section_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_remiss_section_answers_positions")
        batch_op.create_index("ix_remiss_section_answers_has_final", ["has_final"], unique=False)
