"""applications.eligible_on (event issue): the day an application's conditions (age …) are reckoned
on when a call fixes it (e.g. "18 on the day of the event"), kept for the application's later guards

Revision ID: 0011_application_eligible_on
Revises: 0010_referrals
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0011_application_eligible_on'
down_revision = '0010_referrals'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('eligible_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('eligible_on')
