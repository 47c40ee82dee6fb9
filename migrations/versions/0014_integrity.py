"""issue 9 (integrity): pending memberships claimed from a personal link; the claim on an email-only invitation

Revision ID: 0014
Revises: 0008
Create Date: 2026-12-01 01:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed', sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table('minutes_signers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved_fingerprint', sa.String(length=64), nullable=True))
    with op.batch_alter_table('remiss_answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('final_contains_personal_data', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    # Until now the draft's box stood for the submitted version too: the best record there is.
    op.execute("UPDATE remiss_answers SET final_contains_personal_data = contains_personal_data "
               "WHERE submitted_at IS NOT NULL")
    with op.batch_alter_table('remiss_bodies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('claimed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_remiss_bodies_claimed_organisation_id_organisations'),
                                    'organisations', ['claimed_organisation_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_remiss_bodies_claimed_by_id_users'),
                                    'users', ['claimed_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('remiss_bodies', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_remiss_bodies_claimed_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_remiss_bodies_claimed_organisation_id_organisations'),
                                 type_='foreignkey')
        batch_op.drop_column('claimed_by_id')
        batch_op.drop_column('claimed_organisation_id')
    with op.batch_alter_table('remiss_answers', schema=None) as batch_op:
        batch_op.drop_column('final_contains_personal_data')
    with op.batch_alter_table('minutes_signers', schema=None) as batch_op:
        batch_op.drop_column('approved_fingerprint')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('confirmed')
