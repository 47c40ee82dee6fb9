"""agreements: parties, contributions, documents, signatories, standing groups and the action plan;
meetings belong to a group

Revision ID: 0008
Revises: 0007_signer_email
Create Date: 2026-12-01 00:29:04.035301

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007_signer_email'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('short_name', sa.String(length=100), nullable=False),
    sa.Column('diary_number', sa.String(length=50), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('notice_months', sa.Integer(), nullable=True),
    sa.Column('notice_text', sa.Text(), nullable=False),
    sa.Column('representatives_among_signatories', sa.Boolean(), nullable=False),
    sa.Column('revise_action_plan_every_years', sa.Integer(), nullable=True),
    sa.Column('review_agreement_every_years', sa.Integer(), nullable=True),
    sa.Column('annual_report_due_month', sa.Integer(), nullable=True),
    sa.Column('annual_report_due_day', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreements'))
    )
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreements_status'), ['status'], unique=False)

    op.create_table('agreement_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_agreement_documents_agreement_id_agreements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_documents'))
    )
    with op.batch_alter_table('agreement_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_documents_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('agreement_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('equal_sides_required', sa.Boolean(), nullable=False),
    sa.Column('meetings_min_per_year', sa.Integer(), nullable=True),
    sa.Column('meetings_max_per_year', sa.Integer(), nullable=True),
    sa.Column('meetings_min_spring', sa.Integer(), nullable=True),
    sa.Column('meetings_min_autumn', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_agreement_groups_agreement_id_agreements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_groups'))
    )
    with op.batch_alter_table('agreement_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_groups_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('agreement_levels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_agreement_levels_agreement_id_agreements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_levels')),
    sa.UniqueConstraint('agreement_id', 'key', name=op.f('uq_agreement_levels_agreement_id_key'))
    )
    with op.batch_alter_table('agreement_levels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_levels_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('agreement_parties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=20), nullable=False),
    sa.Column('abbreviation', sa.String(length=20), nullable=False),
    sa.Column('acting_through', sa.String(length=200), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_agreement_parties_agreement_id_agreements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_agreement_parties_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_parties')),
    sa.UniqueConstraint('agreement_id', 'organisation_id', name=op.f('uq_agreement_parties_agreement_id_organisation_id'))
    )
    with op.batch_alter_table('agreement_parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_parties_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_parties_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('agreement_principles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('responsibilities', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_agreement_principles_agreement_id_agreements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_principles')),
    sa.UniqueConstraint('agreement_id', 'key', name=op.f('uq_agreement_principles_agreement_id_key'))
    )
    with op.batch_alter_table('agreement_principles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_principles_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('agreement_signatories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('signatory_name', sa.String(length=200), nullable=False),
    sa.Column('signatory_title', sa.String(length=200), nullable=False),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_agreement_signatories_agreement_id_agreements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_agreement_signatories_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_signatories')),
    sa.UniqueConstraint('agreement_id', 'organisation_id', name=op.f('uq_agreement_signatories_agreement_id_organisation_id'))
    )
    with op.batch_alter_table('agreement_signatories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_signatories_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_signatories_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('agreement_contributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('amount_sek', sa.Integer(), nullable=True),
    sa.Column('payment_rhythm', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_agreement_contributions_agreement_id_agreements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['party_id'], ['agreement_parties.id'], name=op.f('fk_agreement_contributions_party_id_agreement_parties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_contributions'))
    )
    with op.batch_alter_table('agreement_contributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_contributions_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_contributions_party_id'), ['party_id'], unique=False)

    op.create_table('agreement_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('principle_id', sa.Integer(), nullable=False),
    sa.Column('level_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['level_id'], ['agreement_levels.id'], name=op.f('fk_agreement_evidence_level_id_agreement_levels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['principle_id'], ['agreement_principles.id'], name=op.f('fk_agreement_evidence_principle_id_agreement_principles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_evidence')),
    sa.UniqueConstraint('principle_id', 'level_id', 'year', 'kind', 'ref_id', name=op.f('uq_agreement_evidence_principle_id_level_id_year_kind_ref_id'))
    )
    with op.batch_alter_table('agreement_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_evidence_level_id'), ['level_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_evidence_principle_id'), ['principle_id'], unique=False)

    op.create_table('agreement_group_conveners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['agreement_groups.id'], name=op.f('fk_agreement_group_conveners_group_id_agreement_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_agreement_group_conveners_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_group_conveners'))
    )
    with op.batch_alter_table('agreement_group_conveners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_group_conveners_group_id'), ['group_id'], unique=False)

    op.create_table('agreement_group_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('side', sa.String(length=20), nullable=False),
    sa.Column('role', sa.String(length=100), nullable=False),
    sa.Column('term_start', sa.Date(), nullable=False),
    sa.Column('term_end', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['agreement_groups.id'], name=op.f('fk_agreement_group_members_group_id_agreement_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_agreement_group_members_organisation_id_organisations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_agreement_group_members_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_group_members'))
    )
    with op.batch_alter_table('agreement_group_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_group_members_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_group_members_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_group_members_user_id'), ['user_id'], unique=False)

    op.create_table('agreement_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('principle_id', sa.Integer(), nullable=False),
    sa.Column('level_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['level_id'], ['agreement_levels.id'], name=op.f('fk_agreement_indicators_level_id_agreement_levels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['principle_id'], ['agreement_principles.id'], name=op.f('fk_agreement_indicators_principle_id_agreement_principles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_indicators'))
    )
    with op.batch_alter_table('agreement_indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_indicators_level_id'), ['level_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_indicators_principle_id'), ['principle_id'], unique=False)

    op.create_table('agreement_measures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('principle_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('responsible', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['principle_id'], ['agreement_principles.id'], name=op.f('fk_agreement_measures_principle_id_agreement_principles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_measures'))
    )
    with op.batch_alter_table('agreement_measures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_measures_principle_id'), ['principle_id'], unique=False)

    op.create_table('agreement_indicator_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('met', sa.Boolean(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['agreement_indicators.id'], name=op.f('fk_agreement_indicator_values_indicator_id_agreement_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_indicator_values')),
    sa.UniqueConstraint('indicator_id', 'year', name=op.f('uq_agreement_indicator_values_indicator_id_year'))
    )
    with op.batch_alter_table('agreement_indicator_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_indicator_values_indicator_id'), ['indicator_id'], unique=False)

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_meetings_group_id'), ['group_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_meetings_group_id_agreement_groups'), 'agreement_groups', ['group_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_meetings_group_id_agreement_groups'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_meetings_group_id'))
        batch_op.drop_column('group_id')

    with op.batch_alter_table('agreement_indicator_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_indicator_values_indicator_id'))

    op.drop_table('agreement_indicator_values')
    with op.batch_alter_table('agreement_measures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_measures_principle_id'))

    op.drop_table('agreement_measures')
    with op.batch_alter_table('agreement_indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_indicators_principle_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_indicators_level_id'))

    op.drop_table('agreement_indicators')
    with op.batch_alter_table('agreement_group_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_group_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_group_members_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_group_members_group_id'))

    op.drop_table('agreement_group_members')
    with op.batch_alter_table('agreement_group_conveners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_group_conveners_group_id'))

    op.drop_table('agreement_group_conveners')
    with op.batch_alter_table('agreement_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_evidence_principle_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_evidence_level_id'))

    op.drop_table('agreement_evidence')
    with op.batch_alter_table('agreement_contributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_contributions_party_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_contributions_agreement_id'))

    op.drop_table('agreement_contributions')
    with op.batch_alter_table('agreement_signatories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_signatories_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_signatories_agreement_id'))

    op.drop_table('agreement_signatories')
    with op.batch_alter_table('agreement_principles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_principles_agreement_id'))

    op.drop_table('agreement_principles')
    with op.batch_alter_table('agreement_parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_parties_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_parties_agreement_id'))

    op.drop_table('agreement_parties')
    with op.batch_alter_table('agreement_levels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_levels_agreement_id'))

    op.drop_table('agreement_levels')
    with op.batch_alter_table('agreement_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_groups_agreement_id'))

    op.drop_table('agreement_groups')
    with op.batch_alter_table('agreement_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_documents_agreement_id'))

    op.drop_table('agreement_documents')
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreements_status'))

    op.drop_table('agreements')
