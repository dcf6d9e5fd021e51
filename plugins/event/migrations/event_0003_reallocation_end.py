"""event plan type: a reallocation may be ended before its window ends (who, why, the planned end)

Revision ID: event_0003
Revises: event_0002
Create Date: 2026-12-06 18:20:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import engine.sdk.tables

revision = 'event_0003'
down_revision = 'event_0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('event_reallocations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('planned_ends_at', engine.sdk.tables.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('ended_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('end_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('event_reallocations', schema=None) as batch_op:
        batch_op.drop_column('end_reason')
        batch_op.drop_column('ended_by')
        batch_op.drop_column('planned_ends_at')
