"""A migrated store per test, made by copying a template (used by :func:`engine.testing.temp_engine`).

An Alembic upgrade through the engine's revisions and every plan type's branch costs one to a few
seconds; a suite of a thousand tests would spend most of its time there. So the first test with a
given set of migrations upgrades a *template* once, and every test gets a copy:

* **SQLite** — a file in the temporary folder, copied to the test's own file (milliseconds);
* **PostgreSQL** — a template database, cloned with ``CREATE DATABASE … TEMPLATE`` (tens of
  milliseconds) into the test's own database, dropped afterwards.

The template's name is a digest of every revision file's path, size and modification time, so an
edited or added revision (or another checkout) gets a new template; nothing stale is reused.
Parallel test workers may race to build a SQLite template (the last rename wins; both hold the same
schema); on PostgreSQL an advisory lock lets one build it while the others wait.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from engine.store.db import MIGRATIONS, Database, normalise_url


def migrations_digest(migration_dirs: list[str], salt: str = "") -> str:
    digest = hashlib.sha256(salt.encode())
    for folder in sorted([str(MIGRATIONS / "versions"), *migration_dirs]):
        for f in sorted(Path(folder).glob("*.py")):
            st = f.stat()
            digest.update(f"{f.resolve()}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:24]


def migrated_store_for_tests(tmp_path: Path, migration_dirs: list[str]) -> tuple[str, Callable[[], None]]:
    """A URL of a store at the newest revision of the engine and ``migration_dirs``, and its cleanup.

    PostgreSQL when ``VOLUNTEER_DATABASE_URL`` is a PostgreSQL URL, else a SQLite file under ``tmp_path``.
    """
    base = os.environ.get("VOLUNTEER_DATABASE_URL", "")
    if base.startswith(("postgresql", "postgres")):
        return _postgres_copy(normalise_url(base), migration_dirs)
    target = tmp_path / "volunteer.db"
    _sqlite_copy(target, migration_dirs)
    return f"sqlite:///{target}", lambda: None


def _sqlite_copy(target: Path, migration_dirs: list[str]) -> None:
    cache = Path(tempfile.gettempdir()) / "volunteer-engine-test-templates"
    cache.mkdir(exist_ok=True)
    template = cache / f"{migrations_digest(migration_dirs)}.sqlite"
    if not template.exists():
        building = cache / f"{template.stem}.{uuid.uuid4().hex}.building"
        db = Database(f"sqlite:///{building}")
        try:
            db.upgrade(migration_dirs)
            db.dispose()
            raw = sqlite3.connect(building)  # fold the write-ahead log into the file: copy one file
            try:
                raw.execute("PRAGMA journal_mode=DELETE")
            finally:
                raw.close()
            os.replace(building, template)
        finally:
            db.dispose()
            for leftover in cache.glob(f"{building.name}*"):
                leftover.unlink(missing_ok=True)
    shutil.copyfile(template, target)


def _postgres_copy(base: str, migration_dirs: list[str]) -> tuple[str, Callable[[], None]]:
    url = make_url(base)
    template = f"vt_tpl_{migrations_digest(migration_dirs, salt=str(url.database))}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(hashtext(:t))"), {"t": template})
        try:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :t"), {"t": template}).first() is None:
                building = f"{template}_b{uuid.uuid4().hex[:8]}"
                conn.execute(text(f'CREATE DATABASE "{building}"'))
                db = Database(url.set(database=building).render_as_string(hide_password=False))
                try:
                    db.upgrade(migration_dirs)
                except BaseException:
                    db.dispose()
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)'))
                    raise
                db.dispose()
                conn.execute(text(f'ALTER DATABASE "{building}" RENAME TO "{template}"'))
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(hashtext(:t))"), {"t": template})
    name = f"vt_{uuid.uuid4().hex[:16]}"
    for attempt in range(50):  # another worker's clone of the same template may hold it for a moment
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
            break
        except OperationalError as exc:
            if "being accessed by other users" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.1)

    def cleanup() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), cleanup
