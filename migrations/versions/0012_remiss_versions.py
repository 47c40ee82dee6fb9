"""remiss: revised versions of the draft, their sections, and where a handling decision landed (issue 12)

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-01 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('remiss_draft_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('remiss_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_remiss_draft_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['remiss_id'], ['remisses.id'], name=op.f('fk_remiss_draft_versions_remiss_id_remisses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remiss_draft_versions')),
    sa.UniqueConstraint('remiss_id', 'number', name=op.f('uq_remiss_draft_versions_remiss_id_number')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_remiss_draft_versions_stored_name'))
    )
    with op.batch_alter_table('remiss_draft_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remiss_draft_versions_remiss_id'), ['remiss_id'], unique=False)

    op.create_table('remiss_draft_version_sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('heading', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['section_id'], ['remiss_sections.id'], name=op.f('fk_remiss_draft_version_sections_section_id_remiss_sections'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['version_id'], ['remiss_draft_versions.id'], name=op.f('fk_remiss_draft_version_sections_version_id_remiss_draft_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remiss_draft_version_sections')),
    sa.UniqueConstraint('version_id', 'number', name=op.f('uq_remiss_draft_version_sections_version_id_number'))
    )
    with op.batch_alter_table('remiss_draft_version_sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remiss_draft_version_sections_section_id'), ['section_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_remiss_draft_version_sections_version_id'), ['version_id'], unique=False)

    op.create_table('remiss_handling_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=False),
    sa.Column('version_section_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['quote_id'], ['remiss_key_quotes.id'], name=op.f('fk_remiss_handling_targets_quote_id_remiss_key_quotes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_section_id'], ['remiss_draft_version_sections.id'], name=op.f('fk_remiss_handling_targets_version_section_id_remiss_draft_version_sections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remiss_handling_targets')),
    sa.UniqueConstraint('quote_id', name=op.f('uq_remiss_handling_targets_quote_id'))
    )
    with op.batch_alter_table('remiss_handling_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remiss_handling_targets_version_section_id'), ['version_section_id'], unique=False)


def downgrade():
    with op.batch_alter_table('remiss_handling_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remiss_handling_targets_version_section_id'))
    op.drop_table('remiss_handling_targets')
    with op.batch_alter_table('remiss_draft_version_sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remiss_draft_version_sections_version_id'))
        batch_op.drop_index(batch_op.f('ix_remiss_draft_version_sections_section_id'))
    op.drop_table('remiss_draft_version_sections')
    with op.batch_alter_table('remiss_draft_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remiss_draft_versions_remiss_id'))
    op.drop_table('remiss_draft_versions')
