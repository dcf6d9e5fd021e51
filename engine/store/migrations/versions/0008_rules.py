"""rules as data (issue 10): credited minutes beside the raw ones, rule-change adjustments,
level nominations, the log of applied rule changes, and time-bank accounts

Revision ID: 0008_rules
Revises: 0007_pii_encryption
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import engine.store.base


revision = '0008_rules'
down_revision = '0007_pii_encryption'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('service_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('raw_minutes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('adjusts_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_service_records_adjusts_id'), ['adjusts_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_service_records_adjusts_id_service_records'),
                                    'service_records', ['adjusts_id'], ['id'])
    op.create_table('level_nominations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=63), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('nominated_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', engine.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_level_nominations_programme_id_programmes')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_level_nominations_volunteer_id_volunteers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_level_nominations')),
    sa.UniqueConstraint('programme_id', 'volunteer_id', 'level', name=op.f('uq_level_nominations_programme_id'))
    )
    op.create_table('rule_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('config_hash', sa.String(length=64), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', engine.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_rule_changes_programme_id_programmes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_changes'))
    )
    with op.batch_alter_table('rule_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rule_changes_programme_id'), ['programme_id'], unique=False)
    op.create_table('timebank_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('account', sa.String(length=80), nullable=False),
    sa.Column('hours', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('donate_only', sa.Boolean(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('transfer', sa.String(length=64), nullable=True),
    sa.Column('counterparty', sa.String(length=120), nullable=True),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', engine.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_timebank_entries_programme_id_programmes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timebank_entries'))
    )
    with op.batch_alter_table('timebank_entries', schema=None) as batch_op:
        batch_op.create_index('ix_timebank_programme_account', ['programme_id', 'account'], unique=False)


def downgrade() -> None:
    op.drop_table('timebank_entries')
    op.drop_table('rule_changes')
    op.drop_table('level_nominations')
    with op.batch_alter_table('service_records', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_service_records_adjusts_id_service_records'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_service_records_adjusts_id'))
        batch_op.drop_column('adjusts_id')
        batch_op.drop_column('raw_minutes')
