"""referrals (rules issue): who recommended a person to a programme (enrolments.referred_by, 推荐人),
for the referral points of rules.points.bonuses.referral

Revision ID: 0010_referrals
Revises: 0009_event_incidents
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0010_referrals'
down_revision = '0009_event_incidents'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('referred_by', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_enrolments_referred_by'), ['referred_by'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_enrolments_referred_by_volunteers'), 'volunteers',
                                    ['referred_by'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_enrolments_referred_by_volunteers'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_enrolments_referred_by'))
        batch_op.drop_column('referred_by')
