"""encrypt volunteers' ID numbers and phones at rest; keyed blind index of the ID number (issue 9)

Existing rows are encrypted with the data keys (engine/crypto/keys.py) in this revision: set
``VOLUNTEER_DATA_KEYS`` or keep the key file beside the database before upgrading.

Revision ID: 0007_pii_encryption
Revises: 0006_ledger_appeals
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import engine.store.base

revision = '0007_pii_encryption'
down_revision = '0006_ledger_appeals'
branch_labels = None
depends_on = None

_note = sa.table('notifications', sa.column('id', sa.Integer), sa.column('address', sa.Text))
_vol = sa.table('volunteers', sa.column('id', sa.Integer), sa.column('id_number', sa.Text),
                sa.column('phone', sa.Text), sa.column('id_number_index', sa.String))


def upgrade() -> None:
    from engine.crypto import blind_index, get_keyring

    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_number_index', sa.String(length=64), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_volunteers_id_number'), type_='unique')
        batch_op.alter_column('id_number', type_=sa.Text(), existing_type=sa.String(length=18),
                              existing_nullable=False)
        batch_op.alter_column('phone', type_=sa.Text(), existing_type=sa.String(length=20), existing_nullable=True)
    conn = op.get_bind()
    rows = conn.execute(sa.select(_vol.c.id, _vol.c.id_number, _vol.c.phone)).all()
    if rows:
        ring = get_keyring()
        for vid, number, phone in rows:
            conn.execute(sa.update(_vol).where(_vol.c.id == vid).values(
                id_number=ring.encrypt(number), id_number_index=blind_index(number, "id_number"),
                phone=ring.encrypt(phone) if phone is not None else None))
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.alter_column('id_number_index', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_volunteers_id_number_index'), ['id_number_index'])
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.alter_column('address', type_=sa.Text(), existing_type=sa.String(length=254), existing_nullable=True)
    notes = conn.execute(sa.select(_note.c.id, _note.c.address).where(_note.c.address.is_not(None))).all()
    if notes:
        ring = get_keyring()
        for nid, address in notes:
            conn.execute(sa.update(_note).where(_note.c.id == nid).values(address=ring.encrypt(address)))
    op.create_table('identity_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.String(length=63), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=True),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('node', sa.String(length=100), nullable=True),
    sa.Column('expires_at', engine.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_at', engine.store.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', engine.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_identity_claims_programme_id_programmes')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_identity_claims_user_id_users')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_identity_claims_volunteer_id_volunteers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_claims'))
    )
    with op.batch_alter_table('identity_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_claims_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    from engine.crypto import get_keyring

    with op.batch_alter_table('identity_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_claims_user_id'))
    op.drop_table('identity_claims')
    conn = op.get_bind()
    notes = conn.execute(sa.select(_note.c.id, _note.c.address).where(_note.c.address.is_not(None))).all()
    if notes:
        ring = get_keyring()
        for nid, address in notes:
            conn.execute(sa.update(_note).where(_note.c.id == nid).values(address=ring.decrypt(address)))
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.alter_column('address', type_=sa.String(length=254), existing_type=sa.Text(), existing_nullable=True)
    rows = conn.execute(sa.select(_vol.c.id, _vol.c.id_number, _vol.c.phone)).all()
    if rows:
        ring = get_keyring()
        for vid, number, phone in rows:
            conn.execute(sa.update(_vol).where(_vol.c.id == vid).values(
                id_number=ring.decrypt(number), phone=ring.decrypt(phone) if phone is not None else None))
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_volunteers_id_number_index'), type_='unique')
        batch_op.drop_column('id_number_index')
        batch_op.alter_column('phone', type_=sa.String(length=20), existing_type=sa.Text(), existing_nullable=True)
        batch_op.alter_column('id_number', type_=sa.String(length=18), existing_type=sa.Text(),
                              existing_nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_volunteers_id_number'), ['id_number'])
