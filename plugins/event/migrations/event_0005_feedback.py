"""event plan type: the satisfaction survey's answers (visitors, exhibitors, partners; volunteers once each)

Revision ID: event_0005
Revises: event_0004
Create Date: 2026-12-06 18:50:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import engine.sdk.tables

revision = 'event_0005'
down_revision = 'event_0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    t = 'event_feedback'
    op.create_table(t,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('respondent', sa.String(length=16), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('volunteer_id', sa.Integer(), nullable=True),
    sa.Column('entered_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', engine.sdk.tables.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f(f'fk_{t}_programme_id_programmes')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f(f'fk_{t}_post_id_posts')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f(f'fk_{t}_volunteer_id_volunteers')),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{t}')),
    sa.UniqueConstraint('programme_id', 'volunteer_id', name=op.f(f'uq_{t}_programme_id_volunteer_id')),
    )
    with op.batch_alter_table(t, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{t}_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f(f'ix_{t}_post_id'), ['post_id'], unique=False)


def downgrade() -> None:
    op.drop_table('event_feedback')
