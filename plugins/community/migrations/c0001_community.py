"""community plan type: network, mentoring, resets, appeals, dismissals, stars, time bank

The community plugin's own branch (``branch_labels=("community",)``), on top of the engine's
``0001_core`` (``depends_on``): the engine upgrades every head, so this runs after the core tables.

Revision ID: c0001_community
Revises:
Create Date: 2026-11-22 15:54:50.191801
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import engine.sdk.tables

revision = 'c0001_community'
down_revision = None
branch_labels = ('community',)
depends_on = '0001_core'


def upgrade() -> None:
    op.create_table('community_nodes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('code', sa.String(length=63), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent_code', sa.String(length=63), nullable=True),
    sa.Column('grid_code', sa.String(length=63), nullable=True),
    sa.Column('households', sa.Integer(), nullable=True),
    sa.Column('leader', sa.String(length=100), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_community_nodes_programme_id_programmes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_nodes')),
    sa.UniqueConstraint('programme_id', 'code', name=op.f('uq_community_nodes_programme_id_code'))
    )
    with op.batch_alter_table('community_nodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_nodes_programme_id'), ['programme_id'], unique=False)

    op.create_table('community_points_resets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('reset_at', engine.sdk.tables.UTCDateTime(timezone=True), nullable=False),
    sa.Column('volunteers', sa.Integer(), nullable=False),
    sa.Column('total', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('run_by', sa.String(length=120), nullable=False),
    sa.Column('run_at', engine.sdk.tables.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_community_points_resets_programme_id_programmes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_points_resets')),
    sa.UniqueConstraint('programme_id', 'year', name=op.f('uq_community_points_resets_programme_id_year'))
    )
    with op.batch_alter_table('community_points_resets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_points_resets_programme_id'), ['programme_id'], unique=False)

    op.create_table('community_tb_transfers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('partner_code', sa.String(length=63), nullable=True),
    sa.Column('original_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('rate', sa.Numeric(precision=10, scale=4), nullable=True),
    sa.Column('source_ref', sa.String(length=200), nullable=True),
    sa.Column('origin', sa.String(length=63), nullable=True),
    sa.Column('earned_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', engine.sdk.tables.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_community_tb_transfers_programme_id_programmes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_tb_transfers')),
    sa.UniqueConstraint('programme_id', 'partner_code', 'source_ref', name=op.f('uq_community_tb_transfers_programme_id_partner_code_source_ref'))
    )
    with op.batch_alter_table('community_tb_transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_tb_transfers_programme_id'), ['programme_id'], unique=False)

    op.create_table('community_dismissals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('ground', sa.String(length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.String(length=120), nullable=True),
    sa.Column('decided_at', engine.sdk.tables.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reported_to', sa.String(length=200), nullable=True),
    sa.Column('proposed_by', sa.String(length=120), nullable=False),
    sa.Column('proposed_at', engine.sdk.tables.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_community_dismissals_programme_id_programmes')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_community_dismissals_volunteer_id_volunteers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_dismissals'))
    )
    with op.batch_alter_table('community_dismissals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_dismissals_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_dismissals_volunteer_id'), ['volunteer_id'], unique=False)

    op.create_table('community_star_nominations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('nominated_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', engine.sdk.tables.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_community_star_nominations_programme_id_programmes')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_community_star_nominations_volunteer_id_volunteers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_star_nominations')),
    sa.UniqueConstraint('programme_id', 'volunteer_id', 'stars', name=op.f('uq_community_star_nominations_programme_id_volunteer_id_stars'))
    )
    with op.batch_alter_table('community_star_nominations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_star_nominations_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_star_nominations_volunteer_id'), ['volunteer_id'], unique=False)

    op.create_table('community_dismissal_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dismissal_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('ref', sa.String(length=200), nullable=True),
    sa.Column('added_by', sa.String(length=120), nullable=False),
    sa.Column('added_at', engine.sdk.tables.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dismissal_id'], ['community_dismissals.id'], name=op.f('fk_community_dismissal_evidence_dismissal_id_community_dismissals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_dismissal_evidence'))
    )
    with op.batch_alter_table('community_dismissal_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_dismissal_evidence_dismissal_id'), ['dismissal_id'], unique=False)

    op.create_table('community_appeals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('claimed_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('review_by', sa.Date(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('corrected_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('correction_entries', sa.JSON(), nullable=False),
    sa.Column('decided_by', sa.String(length=120), nullable=True),
    sa.Column('decided_at', engine.sdk.tables.UTCDateTime(timezone=True), nullable=True),
    sa.Column('filed_by', sa.String(length=120), nullable=False),
    sa.Column('filed_at', engine.sdk.tables.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['ledger_entries.id'], name=op.f('fk_community_appeals_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_community_appeals_programme_id_programmes')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_community_appeals_volunteer_id_volunteers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_appeals')),
    sa.UniqueConstraint('entry_id', name=op.f('uq_community_appeals_entry_id'))
    )
    with op.batch_alter_table('community_appeals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_appeals_period'), ['period'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_appeals_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_appeals_volunteer_id'), ['volunteer_id'], unique=False)

    op.create_table('community_mentorships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('started_at', engine.sdk.tables.UTCDateTime(timezone=True), nullable=False),
    sa.Column('completed_at', engine.sdk.tables.UTCDateTime(timezone=True), nullable=True),
    sa.Column('bonus_entry_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['bonus_entry_id'], ['ledger_entries.id'], name=op.f('fk_community_mentorships_bonus_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['mentee_id'], ['volunteers.id'], name=op.f('fk_community_mentorships_mentee_id_volunteers')),
    sa.ForeignKeyConstraint(['mentor_id'], ['volunteers.id'], name=op.f('fk_community_mentorships_mentor_id_volunteers')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_community_mentorships_programme_id_programmes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_mentorships')),
    sa.UniqueConstraint('programme_id', 'mentee_id', name=op.f('uq_community_mentorships_programme_id_mentee_id'))
    )
    with op.batch_alter_table('community_mentorships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_mentorships_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_mentorships_programme_id'), ['programme_id'], unique=False)

    op.create_table('community_tb_legs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transfer_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('account', sa.String(length=80), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['ledger_entries.id'], name=op.f('fk_community_tb_legs_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_community_tb_legs_programme_id_programmes')),
    sa.ForeignKeyConstraint(['transfer_id'], ['community_tb_transfers.id'], name=op.f('fk_community_tb_legs_transfer_id_community_tb_transfers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_tb_legs'))
    )
    with op.batch_alter_table('community_tb_legs', schema=None) as batch_op:
        batch_op.create_index('ix_community_tb_legs_programme_account', ['programme_id', 'account'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_tb_legs_transfer_id'), ['transfer_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('community_tb_legs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_tb_legs_transfer_id'))
        batch_op.drop_index('ix_community_tb_legs_programme_account')

    op.drop_table('community_tb_legs')
    with op.batch_alter_table('community_mentorships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_mentorships_programme_id'))
        batch_op.drop_index(batch_op.f('ix_community_mentorships_mentor_id'))

    op.drop_table('community_mentorships')
    with op.batch_alter_table('community_appeals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_appeals_volunteer_id'))
        batch_op.drop_index(batch_op.f('ix_community_appeals_programme_id'))
        batch_op.drop_index(batch_op.f('ix_community_appeals_period'))

    op.drop_table('community_appeals')
    with op.batch_alter_table('community_dismissal_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_dismissal_evidence_dismissal_id'))

    op.drop_table('community_dismissal_evidence')
    with op.batch_alter_table('community_star_nominations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_star_nominations_volunteer_id'))
        batch_op.drop_index(batch_op.f('ix_community_star_nominations_programme_id'))

    op.drop_table('community_star_nominations')
    with op.batch_alter_table('community_dismissals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_dismissals_volunteer_id'))
        batch_op.drop_index(batch_op.f('ix_community_dismissals_programme_id'))

    op.drop_table('community_dismissals')
    with op.batch_alter_table('community_tb_transfers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_tb_transfers_programme_id'))

    op.drop_table('community_tb_transfers')
    with op.batch_alter_table('community_points_resets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_points_resets_programme_id'))

    op.drop_table('community_points_resets')
    with op.batch_alter_table('community_nodes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_nodes_programme_id'))

    op.drop_table('community_nodes')
