"""youth (issue 13): guardian links, guardian consent events (append-only), guardian presence

Revision ID: 0009_youth_consent
Revises: 0009_guardian_phone
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import engine.store.base


revision = '0009_youth_consent'
down_revision = '0009_guardian_phone'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('guardian_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('relationship', sa.String(length=30), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', engine.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_guardian_links_user_id_users')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_guardian_links_volunteer_id_volunteers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guardian_links')),
    sa.UniqueConstraint('volunteer_id', 'user_id', name=op.f('uq_guardian_links_volunteer_id_user_id'))
    )
    with op.batch_alter_table('guardian_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guardian_links_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_guardian_links_volunteer_id'), ['volunteer_id'], unique=False)

    op.create_table('guardian_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('via', sa.String(length=10), nullable=True),
    sa.Column('guardian_user_id', sa.Integer(), nullable=True),
    sa.Column('guardian_name', sa.String(length=100), nullable=True),
    sa.Column('recorded_by', sa.String(length=120), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', engine.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['guardian_user_id'], ['users.id'], name=op.f('fk_guardian_consents_guardian_user_id_users')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_guardian_consents_programme_id_programmes')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_guardian_consents_volunteer_id_volunteers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guardian_consents'))
    )
    with op.batch_alter_table('guardian_consents', schema=None) as batch_op:
        batch_op.create_index('ix_guardian_consents_programme_volunteer', ['programme_id', 'volunteer_id'], unique=False)

    op.create_table('guardian_presence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('shift_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('guardian_name', sa.String(length=100), nullable=False),
    sa.Column('recorded_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', engine.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_guardian_presence_programme_id_programmes')),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_guardian_presence_shift_id_shifts')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_guardian_presence_volunteer_id_volunteers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guardian_presence')),
    sa.UniqueConstraint('shift_id', 'volunteer_id', name=op.f('uq_guardian_presence_shift_id_volunteer_id'))
    )
    with op.batch_alter_table('guardian_presence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guardian_presence_programme_id'), ['programme_id'], unique=False)


def downgrade() -> None:
    op.drop_table('guardian_presence')
    op.drop_table('guardian_consents')
    op.drop_table('guardian_links')
