"""agreements: reminders sent for deadlines, and the yearly report with its texts per section

Revision ID: 0015
Revises: 0009
Create Date: 2026-12-01 01:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agreement_deadline_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deadline_key', sa.String(length=200), nullable=False),
    sa.Column('lead_days', sa.Integer(), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_deadline_reminders')),
    sa.UniqueConstraint('deadline_key', 'lead_days', name=op.f('uq_agreement_deadline_reminders_deadline_key_lead_days'))
    )
    op.create_table('agreement_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_agreement_reports_agreement_id_agreements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_reports')),
    sa.UniqueConstraint('agreement_id', 'year', name=op.f('uq_agreement_reports_agreement_id_year'))
    )
    with op.batch_alter_table('agreement_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_reports_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('agreement_report_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('section_key', sa.String(length=50), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['agreement_reports.id'], name=op.f('fk_agreement_report_texts_report_id_agreement_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_report_texts')),
    sa.UniqueConstraint('report_id', 'section_key', name=op.f('uq_agreement_report_texts_report_id_section_key'))
    )
    with op.batch_alter_table('agreement_report_texts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_report_texts_report_id'), ['report_id'], unique=False)


def downgrade():
    with op.batch_alter_table('agreement_report_texts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_report_texts_report_id'))
    op.drop_table('agreement_report_texts')
    with op.batch_alter_table('agreement_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_reports_agreement_id'))
    op.drop_table('agreement_reports')
    op.drop_table('agreement_deadline_reminders')
