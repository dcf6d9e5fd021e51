"""ledger appeals (engine/stages/rewards/models.py LedgerAppeal)

Revision ID: 0006_ledger_appeals
Revises: 0005_web_consent
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import engine.store.base


revision = '0006_ledger_appeals'
down_revision = '0005_web_consent'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ledger_appeals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('filed_by', sa.String(length=120), nullable=False),
    sa.Column('filed_at', engine.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.String(length=120), nullable=True),
    sa.Column('decided_at', engine.store.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('reversal_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['ledger_entries.id'], name=op.f('fk_ledger_appeals_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_ledger_appeals_programme_id_programmes')),
    sa.ForeignKeyConstraint(['reversal_id'], ['ledger_entries.id'], name=op.f('fk_ledger_appeals_reversal_id_ledger_entries')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_ledger_appeals_volunteer_id_volunteers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_appeals')),
    sa.UniqueConstraint('entry_id', name=op.f('uq_ledger_appeals_entry_id'))
    )
    op.create_index(op.f('ix_ledger_appeals_programme_id'), 'ledger_appeals', ['programme_id'], unique=False)
    op.create_index(op.f('ix_ledger_appeals_volunteer_id'), 'ledger_appeals', ['volunteer_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_ledger_appeals_volunteer_id'), table_name='ledger_appeals')
    op.drop_index(op.f('ix_ledger_appeals_programme_id'), table_name='ledger_appeals')
    op.drop_table('ledger_appeals')
