"""encrypt guardians' phones at rest (issue 9: the last phone column stored in clear)

Existing rows are encrypted with the data keys (engine/crypto/keys.py) in this revision, as 0007 did
for volunteers' phones: set ``VOLUNTEER_DATA_KEYS`` or keep the key file beside the database.

Revision ID: 0009_guardian_phone
Revises: 0008_rules
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from engine.crypto import EncryptedString

revision = '0009_guardian_phone'
down_revision = '0008_rules'
branch_labels = None
depends_on = None


def _convert(*, encrypt: bool) -> None:
    plain = sa.table('enrolments', sa.column('id', sa.Integer), sa.column('guardian_phone', sa.Text))
    sealed = sa.table('enrolments', sa.column('id', sa.Integer), sa.column('guardian_phone', EncryptedString()))
    read, write = (plain, sealed) if encrypt else (sealed, plain)
    conn = op.get_bind()
    rows = conn.execute(sa.select(read.c.id, read.c.guardian_phone).where(read.c.guardian_phone.is_not(None))).all()
    for rid, phone in rows:
        conn.execute(sa.update(write).where(write.c.id == rid).values(guardian_phone=phone))


def upgrade() -> None:
    with op.batch_alter_table('enrolments') as batch:
        batch.alter_column('guardian_phone', type_=sa.Text(), existing_type=sa.String(length=30), existing_nullable=True)
    _convert(encrypt=True)


def downgrade() -> None:
    _convert(encrypt=False)
    with op.batch_alter_table('enrolments') as batch:
        batch.alter_column('guardian_phone', type_=sa.String(length=30), existing_type=sa.Text(), existing_nullable=True)
