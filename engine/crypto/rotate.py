"""Re-encrypt every :class:`EncryptedString` column under the newest data key.

``volunteer keys rotate`` (engine/cli/keys.py): with a key file, a new key is put first and kept
with the old ones until every row is re-encrypted in one transaction, then the old keys are dropped
from the file; with ``VOLUNTEER_DATA_KEYS`` the operator puts the new key first themself and this
re-encrypts. The blind-index key is not rotated (the index would have to be rebuilt from the
decrypted values; ``reindex`` does that when a plan type adds an index to existing rows).
"""

from __future__ import annotations

from sqlalchemy import Engine, MetaData, Text, column, select, table, update

from engine.crypto.keys import get_keyring
from engine.crypto.types import EncryptedString


def encrypted_columns(metadata: MetaData) -> list[tuple[str, str, list[str]]]:
    """(table, column, primary-key columns) of every encrypted column the models declare."""
    out: list[tuple[str, str, list[str]]] = []
    for t in metadata.sorted_tables:
        pk = [c.name for c in t.primary_key.columns]
        out.extend((t.name, c.name, pk) for c in t.columns if isinstance(c.type, EncryptedString))
    return out


def reencrypt(db: Engine, metadata: MetaData) -> dict[str, int]:
    """Rows re-encrypted per ``table.column`` (NULLs are left alone). One transaction."""
    ring = get_keyring()
    counts: dict[str, int] = {}
    with db.begin() as conn:
        for tname, cname, pk in encrypted_columns(metadata):
            raw = table(tname, column(cname, Text), *(column(k) for k in pk))
            rows = conn.execute(select(raw.c[cname], *(raw.c[k] for k in pk)).where(raw.c[cname].is_not(None)))
            n = 0
            for row in rows.all():
                where = [raw.c[k] == row[i + 1] for i, k in enumerate(pk)]
                conn.execute(update(raw).where(*where).values({cname: ring.rotate_token(row[0])}))
                n += 1
            counts[f"{tname}.{cname}"] = n
    return counts
