"""schema_state: the digest of the revision files the store was last brought up by, and the
revisions it then stood at, so that a start with nothing to migrate skips Alembic
(engine/store/schema_state.py)

Revision ID: 0014_schema_state
Revises: 0013_post_notes
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0014_schema_state'
down_revision = '0013_post_notes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'schema_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('heads', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_schema_state')),
    )


def downgrade() -> None:
    op.drop_table('schema_state')
