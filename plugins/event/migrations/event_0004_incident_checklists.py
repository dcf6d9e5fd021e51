"""event plan type: emergency-plan checklists on incidents (one row per step, who ticked it when)

Revision ID: event_0004
Revises: event_0003
Create Date: 2026-12-06 18:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import engine.sdk.tables

revision = 'event_0004'
down_revision = 'event_0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    t = 'event_incident_steps'
    op.create_table(t,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('plan', sa.String(length=200), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('done_at', engine.sdk.tables.UTCDateTime(), nullable=True),
    sa.Column('done_by', sa.String(length=120), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f(f'fk_{t}_programme_id_programmes')),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f(f'fk_{t}_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{t}')),
    sa.UniqueConstraint('incident_id', 'step', name=op.f(f'uq_{t}_incident_id_step')),
    )
    with op.batch_alter_table(t, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{t}_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f(f'ix_{t}_incident_id'), ['incident_id'], unique=False)


def downgrade() -> None:
    op.drop_table('event_incident_steps')
