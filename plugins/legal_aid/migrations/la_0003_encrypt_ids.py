"""legal aid: parties' and declarations' ID numbers encrypted at rest; conflict keys by blind index

The ID numbers in ``la_case_parties`` and ``la_declarations`` become Fernet tokens under the engine's
data keys (``EncryptedString``); the ID-number keys of the conflict index become keyed HMACs of the
normalised number with the masked number as their source. Existing rows are converted here: set
``VOLUNTEER_DATA_KEYS`` or keep the key file beside the database before upgrading (docs/security.md).
The downgrade decrypts the two columns but cannot unseal the conflict keys (only the masked number is
kept): after a downgrade, conflict search finds parties by name and birth date, not by ID number.

Revision ID: la_0003_encrypt_ids
Revises: la_0002_conflict_dob_firm
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from engine.sdk.people import mask_id_number
from engine.sdk.tables import EncryptedString, blind_index

revision = "la_0003_encrypt_ids"
down_revision = "la_0002_conflict_dob_firm"
branch_labels = None
depends_on = None

TABLES = ("la_case_parties", "la_declarations")
ID_KIND = "id"  # plugins/legal_aid/conflict/keys.py: ID
ID_PURPOSE = "conflict_id"  # plugins/legal_aid/conflict/index.py: ID_PURPOSE


def _convert(name: str, *, encrypt: bool) -> None:
    plain = sa.table(name, sa.column("id", sa.Integer), sa.column("id_number", sa.Text))
    sealed = sa.table(name, sa.column("id", sa.Integer), sa.column("id_number", EncryptedString()))
    read, write = (plain, sealed) if encrypt else (sealed, plain)
    conn = op.get_bind()
    rows = conn.execute(sa.select(read.c.id, read.c.id_number).where(read.c.id_number.is_not(None))).all()
    for rid, number in rows:
        conn.execute(sa.update(write).where(write.c.id == rid).values(id_number=number))


def upgrade() -> None:
    for name in TABLES:
        with op.batch_alter_table(name) as batch:
            batch.alter_column("id_number", type_=sa.Text(), existing_type=sa.String(length=32),
                               existing_nullable=True)
        _convert(name, encrypt=True)
    keys = sa.table("la_conflict_keys", sa.column("id", sa.Integer), sa.column("key_kind", sa.String),
                    sa.column("key", sa.String), sa.column("source", sa.String))
    conn = op.get_bind()
    for kid, key, source in conn.execute(sa.select(keys.c.id, keys.c.key, keys.c.source)
                                         .where(keys.c.key_kind == ID_KIND)).all():
        conn.execute(sa.update(keys).where(keys.c.id == kid).values(
            key=blind_index(key, ID_PURPOSE), source=mask_id_number(source)))


def downgrade() -> None:
    for name in TABLES:
        _convert(name, encrypt=False)
        with op.batch_alter_table(name) as batch:
            batch.alter_column("id_number", type_=sa.String(length=32), existing_type=sa.Text(),
                               existing_nullable=True)
