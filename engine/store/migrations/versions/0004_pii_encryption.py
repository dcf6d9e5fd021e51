"""encrypt volunteers' ID numbers and phones at rest; keyed blind index of the ID number (issue 9)

Existing rows are encrypted with the data keys (engine/crypto/keys.py) in this revision: set
``VOLUNTEER_DATA_KEYS`` or keep the key file beside the database before upgrading.

Revision ID: 0004_pii_encryption
Revises: 0003_calendar_feeds
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004_pii_encryption'
down_revision = '0003_calendar_feeds'
branch_labels = None
depends_on = None

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


def downgrade() -> None:
    from engine.crypto import get_keyring

    conn = op.get_bind()
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
