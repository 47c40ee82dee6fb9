"""remiss consultations: remisses, sections, attachments, invited bodies, answers, submissions, review marks

Revision ID: 0003_remiss
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_remiss"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('remisses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('diarienummer', sa.String(length=60), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=False),
    sa.Column('deadline', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('allow_uninvited', sa.Boolean(), nullable=False),
    sa.Column('publish_at_deadline', sa.Boolean(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('reminder_days_before', sa.Integer(), nullable=True),
    sa.Column('last_auto_reminder_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_remisses_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remisses'))
    )
    op.create_table('remiss_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('remiss_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.String(length=30), nullable=True),
    sa.Column('general_comment', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.String(length=300), nullable=False),
    sa.Column('signatory', sa.String(length=300), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('require_ready', sa.Boolean(), nullable=False),
    sa.Column('ready', sa.Boolean(), nullable=False),
    sa.Column('ready_by_id', sa.Integer(), nullable=True),
    sa.Column('contains_personal_data', sa.Boolean(), nullable=False),
    sa.Column('personal_data_reviewed', sa.Boolean(), nullable=False),
    sa.Column('submitted_version', sa.Integer(), nullable=True),
    sa.Column('final_position', sa.String(length=30), nullable=True),
    sa.Column('final_general_comment', sa.Text(), nullable=False),
    sa.Column('final_decided_by', sa.String(length=300), nullable=False),
    sa.Column('final_signatory', sa.String(length=300), nullable=False),
    sa.Column('first_submitted_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_remiss_answers_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ready_by_id'], ['users.id'], name=op.f('fk_remiss_answers_ready_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['remiss_id'], ['remisses.id'], name=op.f('fk_remiss_answers_remiss_id_remisses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_remiss_answers_submitted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_remiss_answers_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remiss_answers')),
    sa.UniqueConstraint('remiss_id', 'organisation_id', name=op.f('uq_remiss_answers_remiss_id_organisation_id'))
    )
    with op.batch_alter_table('remiss_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remiss_answers_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_remiss_answers_remiss_id'), ['remiss_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_remiss_answers_submitted_at'), ['submitted_at'], unique=False)

    op.create_table('remiss_bodies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('remiss_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('invited', sa.Boolean(), nullable=False),
    sa.Column('extension_until', sa.DateTime(), nullable=True),
    sa.Column('invited_at', sa.DateTime(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.Column('last_reminded_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_remiss_bodies_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['remiss_id'], ['remisses.id'], name=op.f('fk_remiss_bodies_remiss_id_remisses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remiss_bodies')),
    sa.UniqueConstraint('remiss_id', 'organisation_id', name=op.f('uq_remiss_bodies_remiss_id_organisation_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_remiss_bodies_token_hash'))
    )
    with op.batch_alter_table('remiss_bodies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remiss_bodies_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_remiss_bodies_remiss_id'), ['remiss_id'], unique=False)

    op.create_table('remiss_drafters',
    sa.Column('remiss_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['remiss_id'], ['remisses.id'], name=op.f('fk_remiss_drafters_remiss_id_remisses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_remiss_drafters_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('remiss_id', 'user_id', name=op.f('pk_remiss_drafters'))
    )
    op.create_table('remiss_sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('remiss_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('heading', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['remiss_id'], ['remisses.id'], name=op.f('fk_remiss_sections_remiss_id_remisses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remiss_sections')),
    sa.UniqueConstraint('remiss_id', 'number', name=op.f('uq_remiss_sections_remiss_id_number'))
    )
    with op.batch_alter_table('remiss_sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remiss_sections_remiss_id'), ['remiss_id'], unique=False)

    op.create_table('remiss_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('remiss_id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['remiss_answers.id'], name=op.f('fk_remiss_attachments_answer_id_remiss_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['remiss_id'], ['remisses.id'], name=op.f('fk_remiss_attachments_remiss_id_remisses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_remiss_attachments_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remiss_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_remiss_attachments_stored_name'))
    )
    with op.batch_alter_table('remiss_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remiss_attachments_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_remiss_attachments_remiss_id'), ['remiss_id'], unique=False)

    op.create_table('remiss_section_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.String(length=30), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('proposed_wording', sa.Text(), nullable=False),
    sa.Column('final_position', sa.String(length=30), nullable=True),
    sa.Column('final_comment', sa.Text(), nullable=False),
    sa.Column('final_wording', sa.Text(), nullable=False),
    sa.Column('has_final', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['remiss_answers.id'], name=op.f('fk_remiss_section_answers_answer_id_remiss_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['remiss_sections.id'], name=op.f('fk_remiss_section_answers_section_id_remiss_sections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remiss_section_answers')),
    sa.UniqueConstraint('answer_id', 'section_id', name=op.f('uq_remiss_section_answers_answer_id_section_id'))
    )
    with op.batch_alter_table('remiss_section_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remiss_section_answers_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_remiss_section_answers_has_final'), ['has_final'], unique=False)
        batch_op.create_index(batch_op.f('ix_remiss_section_answers_section_id'), ['section_id'], unique=False)

    op.create_table('remiss_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answer_id'], ['remiss_answers.id'], name=op.f('fk_remiss_submissions_answer_id_remiss_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_remiss_submissions_submitted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remiss_submissions')),
    sa.UniqueConstraint('answer_id', 'number', name=op.f('uq_remiss_submissions_answer_id_number'))
    )
    with op.batch_alter_table('remiss_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remiss_submissions_answer_id'), ['answer_id'], unique=False)

    op.create_table('remiss_comment_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_answer_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['section_answer_id'], ['remiss_section_answers.id'], name=op.f('fk_remiss_comment_tags_section_answer_id_remiss_section_answers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remiss_comment_tags')),
    sa.UniqueConstraint('section_answer_id', 'tag', name=op.f('uq_remiss_comment_tags_section_answer_id_tag'))
    )
    with op.batch_alter_table('remiss_comment_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remiss_comment_tags_section_answer_id'), ['section_answer_id'], unique=False)

    op.create_table('remiss_key_quotes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_answer_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('handling', sa.String(length=20), nullable=True),
    sa.Column('handling_reason', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_remiss_key_quotes_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['section_answer_id'], ['remiss_section_answers.id'], name=op.f('fk_remiss_key_quotes_section_answer_id_remiss_section_answers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remiss_key_quotes'))
    )
    with op.batch_alter_table('remiss_key_quotes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remiss_key_quotes_section_answer_id'), ['section_answer_id'], unique=False)



def downgrade():
    with op.batch_alter_table('remiss_key_quotes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remiss_key_quotes_section_answer_id'))

    op.drop_table('remiss_key_quotes')
    with op.batch_alter_table('remiss_comment_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remiss_comment_tags_section_answer_id'))

    op.drop_table('remiss_comment_tags')
    with op.batch_alter_table('remiss_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remiss_submissions_answer_id'))

    op.drop_table('remiss_submissions')
    with op.batch_alter_table('remiss_section_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remiss_section_answers_section_id'))
        batch_op.drop_index(batch_op.f('ix_remiss_section_answers_has_final'))
        batch_op.drop_index(batch_op.f('ix_remiss_section_answers_answer_id'))

    op.drop_table('remiss_section_answers')
    with op.batch_alter_table('remiss_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remiss_attachments_remiss_id'))
        batch_op.drop_index(batch_op.f('ix_remiss_attachments_answer_id'))

    op.drop_table('remiss_attachments')
    with op.batch_alter_table('remiss_sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remiss_sections_remiss_id'))

    op.drop_table('remiss_sections')
    op.drop_table('remiss_drafters')
    with op.batch_alter_table('remiss_bodies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remiss_bodies_remiss_id'))
        batch_op.drop_index(batch_op.f('ix_remiss_bodies_organisation_id'))

    op.drop_table('remiss_bodies')
    with op.batch_alter_table('remiss_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remiss_answers_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_remiss_answers_remiss_id'))
        batch_op.drop_index(batch_op.f('ix_remiss_answers_organisation_id'))

    op.drop_table('remiss_answers')
    op.drop_table('remisses')
