"""swap_requests (event issue): a volunteer asks a colleague to swap seats; the other accepts and a
coordinator or team leader approves (state in the ``swap`` workflow)

Revision ID: 0012_swap_requests
Revises: 0011_application_eligible_on
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa

import engine.store.base

revision = '0012_swap_requests'
down_revision = '0011_application_eligible_on'
branch_labels = None
depends_on = None


def _fk(col: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([col], [f'{target}.id'], name=op.f(f'fk_swap_requests_{col}_{target}'))


def upgrade() -> None:
    op.create_table('swap_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('other_assignment_id', sa.Integer(), nullable=False),
    sa.Column('proposer_id', sa.Integer(), nullable=False),
    sa.Column('counterparty_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('proposed_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', engine.store.base.UTCDateTime(), nullable=False),
    sa.Column('swapped_to', sa.Integer(), nullable=True),
    sa.Column('swapped_to_other', sa.Integer(), nullable=True),
    _fk('programme_id', 'programmes'), _fk('assignment_id', 'assignments'),
    _fk('other_assignment_id', 'assignments'), _fk('proposer_id', 'volunteers'),
    _fk('counterparty_id', 'volunteers'), _fk('swapped_to', 'assignments'), _fk('swapped_to_other', 'assignments'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_swap_requests')),
    )
    with op.batch_alter_table('swap_requests', schema=None) as batch_op:
        for col in ('programme_id', 'assignment_id', 'other_assignment_id', 'proposer_id', 'counterparty_id'):
            batch_op.create_index(batch_op.f(f'ix_swap_requests_{col}'), [col], unique=False)


def downgrade() -> None:
    op.drop_table('swap_requests')
