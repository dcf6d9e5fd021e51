"""event plan type: volunteers' preferences and unavailability, budget lines, reallocations

Revision ID: event_0002
Revises: event_0001
Create Date: 2026-12-06 04:35:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import engine.sdk.tables

revision = 'event_0002'
down_revision = 'event_0001'
branch_labels = None
depends_on = None


def _fk(table: str, col: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([col], [f'{target}.id'], name=op.f(f'fk_{table}_{col}_{target}'))


def _indexes(table: str, *cols: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for col in cols:
            batch_op.create_index(batch_op.f(f'ix_{table}_{col}'), [col], unique=False)


def upgrade() -> None:
    t = 'event_preferences'
    op.create_table(t,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('ref', sa.String(length=100), nullable=False),
    _fk(t, 'programme_id', 'programmes'), _fk(t, 'volunteer_id', 'volunteers'),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{t}')),
    sa.UniqueConstraint('programme_id', 'volunteer_id', 'rank', name=op.f(f'uq_{t}_programme_id_volunteer_id_rank')),
    )
    _indexes(t, 'programme_id', 'volunteer_id')
    t = 'event_unavailability'
    op.create_table(t,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', engine.sdk.tables.UTCDateTime(), nullable=False),
    sa.Column('ends_at', engine.sdk.tables.UTCDateTime(), nullable=False),
    sa.Column('whole_day', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    _fk(t, 'programme_id', 'programmes'), _fk(t, 'volunteer_id', 'volunteers'),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{t}')),
    )
    _indexes(t, 'programme_id', 'volunteer_id')
    t = 'event_budget_lines'
    op.create_table(t,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('item', sa.String(length=200), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('planned', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('actual', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('updated_by', sa.String(length=120), nullable=False),
    sa.Column('updated_at', engine.sdk.tables.UTCDateTime(), nullable=False),
    _fk(t, 'programme_id', 'programmes'),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{t}')),
    sa.UniqueConstraint('programme_id', 'category', 'item', name=op.f(f'uq_{t}_programme_id_category_item')),
    )
    _indexes(t, 'programme_id')
    t = 'event_reallocations'
    op.create_table(t,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('from_post_id', sa.Integer(), nullable=False),
    sa.Column('to_post_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', engine.sdk.tables.UTCDateTime(), nullable=False),
    sa.Column('ends_at', engine.sdk.tables.UTCDateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('moved_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', engine.sdk.tables.UTCDateTime(), nullable=False),
    _fk(t, 'programme_id', 'programmes'), _fk(t, 'volunteer_id', 'volunteers'),
    _fk(t, 'assignment_id', 'assignments'), _fk(t, 'from_post_id', 'posts'), _fk(t, 'to_post_id', 'posts'),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{t}')),
    )
    _indexes(t, 'programme_id', 'volunteer_id', 'assignment_id', 'from_post_id', 'to_post_id')


def downgrade() -> None:
    for t in ('event_reallocations', 'event_budget_lines', 'event_unavailability', 'event_preferences'):
        op.drop_table(t)
