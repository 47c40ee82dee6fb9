"""remiss themes (the six principles seeded as rows, and the drafting group's own), themes on general comments
and quotes, and the drafting group's written summaries (issue 12)

Revision ID: 0011
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0012"
branch_labels = None
depends_on = None

# The same rows as surveys.remiss.models.PRINCIPLE_ROWS, written out: a migration must not change when the code does.
PRINCIPLES = ["Dialog", "Långsiktighet", "Kvalitet", "Öppenhet och insyn", "Självständighet och oberoende",
              "Mångfald"]


def upgrade():
    themes = op.create_table(
        "remiss_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("remiss_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["remiss_id"], ["remisses.id"], name=op.f("fk_remiss_themes_remiss_id_remisses"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remiss_themes")),
        sa.UniqueConstraint("remiss_id", "name", name=op.f("uq_remiss_themes_remiss_id_name")),
    )
    with op.batch_alter_table("remiss_themes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remiss_themes_remiss_id"), ["remiss_id"], unique=False)
    op.bulk_insert(themes, [{"name": name, "position": i} for i, name in enumerate(PRINCIPLES, start=1)])

    op.create_table(
        "remiss_theme_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=True),
        sa.Column("tag", sa.String(length=100), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["answer_id"], ["remiss_answers.id"],
                                name=op.f("fk_remiss_theme_marks_answer_id_remiss_answers"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["quote_id"], ["remiss_key_quotes.id"],
                                name=op.f("fk_remiss_theme_marks_quote_id_remiss_key_quotes"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_remiss_theme_marks_created_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remiss_theme_marks")),
        sa.UniqueConstraint("answer_id", "quote_id", "tag", name=op.f("uq_remiss_theme_marks_answer_id_quote_id_tag")),
    )
    with op.batch_alter_table("remiss_theme_marks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remiss_theme_marks_answer_id"), ["answer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_remiss_theme_marks_quote_id"), ["quote_id"], unique=False)

    op.create_table(
        "remiss_summaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("remiss_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("section_key", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["remiss_id"], ["remisses.id"], name=op.f("fk_remiss_summaries_remiss_id_remisses"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["section_id"], ["remiss_sections.id"],
                                name=op.f("fk_remiss_summaries_section_id_remiss_sections"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"],
                                name=op.f("fk_remiss_summaries_updated_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remiss_summaries")),
        sa.UniqueConstraint("remiss_id", "section_key", name=op.f("uq_remiss_summaries_remiss_id_section_key")),
    )
    with op.batch_alter_table("remiss_summaries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remiss_summaries_remiss_id"), ["remiss_id"], unique=False)


def downgrade():
    with op.batch_alter_table("remiss_summaries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_remiss_summaries_remiss_id"))
    op.drop_table("remiss_summaries")
    with op.batch_alter_table("remiss_theme_marks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_remiss_theme_marks_quote_id"))
        batch_op.drop_index(batch_op.f("ix_remiss_theme_marks_answer_id"))
    op.drop_table("remiss_theme_marks")
    with op.batch_alter_table("remiss_themes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_remiss_themes_remiss_id"))
    op.drop_table("remiss_themes")
