"""Skip Alembic when the schema is already at the newest revision of these migration files.

Every ``volunteer`` command and server start brings the store to the newest revision. When there is
nothing to do, Alembic still imports every revision file of the engine and of each plan type to
find the heads — a third to half a second per command. So after each upgrade the engine writes a
digest of the revision files' contents with the revisions the store then stood at
(``schema_state``, one row); the next start reads both in one statement and skips Alembic when the
digest is the same and the store still stands at those revisions. An edited, added or removed
revision file, another plan type installed, or a store moved to other revisions by hand
(``alembic downgrade``) changes one of the two, and Alembic runs as before.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

TABLE = "schema_state"


def digest(version_dirs: list[str]) -> str:
    """sha256 over every revision file's name and content, in a fixed order."""
    h = hashlib.sha256()
    for folder in sorted(version_dirs):
        for f in sorted(Path(folder).glob("*.py")):
            h.update(f"{f.name}\n".encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def _current(conn: Connection) -> tuple[str | None, str]:
    row = conn.execute(text(
        f"SELECT (SELECT digest FROM {TABLE} WHERE id = 1), (SELECT heads FROM {TABLE} WHERE id = 1)")).one()
    versions = ",".join(sorted(conn.scalars(text("SELECT version_num FROM alembic_version"))))
    return (row[0], versions) if row[1] == versions else (None, versions)


def up_to_date(conn: Connection, wanted: str) -> bool:
    """True when the store was last brought up by these very files and has not moved since."""
    try:
        with conn.begin_nested():
            found, _ = _current(conn)
    except DBAPIError:  # a new store, or one from before this table: Alembic decides
        return False
    return found == wanted


def record(conn: Connection, wanted: str) -> None:
    """After an upgrade: remember the digest and the revisions the store now stands at."""
    versions = ",".join(sorted(conn.scalars(text("SELECT version_num FROM alembic_version"))))
    conn.execute(text(f"DELETE FROM {TABLE}"))
    conn.execute(text(f"INSERT INTO {TABLE} (id, digest, heads) VALUES (1, :d, :h)"), {"d": wanted, "h": versions})
