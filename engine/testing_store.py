"""A migrated store per test, made by copying a template (used by :func:`engine.testing.temp_engine`).

An Alembic upgrade through the engine's revisions and every plan type's branch costs one to a few
seconds; a suite of a thousand tests would spend most of its time there. So the first test with a
given set of migrations upgrades a *template* once, and every test gets a copy:

* **SQLite** — a file in the temporary folder, copied to the test's own file (milliseconds);
* **PostgreSQL** — a template database, cloned with ``CREATE DATABASE … TEMPLATE`` into the test's
  own database, dropped afterwards; the clone is made one test ahead and the drop done behind, on a
  background thread, so a test does not wait for either.

The template's name is a digest of every revision file's path, size and modification time, so an
edited or added revision (or another checkout) gets a new template; nothing stale is reused.
Parallel test workers may race to build a SQLite template (the last rename wins; both hold the same
schema); on PostgreSQL an advisory lock lets one build it while the others wait.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import shutil
import socket
import sqlite3
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

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
    _ensure_template(base, template, migration_dirs)
    if base not in _SWEPT:
        _SWEPT.add(base)
        _sweep(base)
    spare = _SPARES.pop((base, template), None)
    name = spare.result() if spare is not None else _clone(base, template)
    _SPARES[(base, template)] = _background().submit(_clone, base, template)  # the next test's, made meanwhile

    def cleanup() -> None:
        _background().submit(_drop, base, name)  # dropped while the next test runs

    return url.set(database=name).render_as_string(hide_password=False), cleanup


# Copies are made one test ahead and dropped behind, on one background thread per test process:
# a clone and a drop each cost about 0.15-0.3 s of mostly server I/O, which the test then no longer
# waits for. What is left at the end (the spare, drops not yet done) is finished by :func:`finish`
# (at exit, or from a test session's end: pytest-xdist workers exit without running atexit hooks);
# what a killed process left is swept by the next one on this host (:func:`_sweep`).
_SPARES: dict[tuple[str, str], Future[str]] = {}
_ADMIN: dict[str, Engine] = {}
_SWEPT: set[str] = set()
_POOL: list[ThreadPoolExecutor] = []
_LOCK = threading.Lock()


def _background() -> ThreadPoolExecutor:
    with _LOCK:
        if not _POOL:
            _POOL.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-store"))
            atexit.register(finish)
        return _POOL[0]


def _admin(base: str) -> Engine:
    with _LOCK:
        if base not in _ADMIN:
            _ADMIN[base] = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        return _ADMIN[base]


def _ensure_template(base: str, template: str, migration_dirs: list[str]) -> None:
    url = make_url(base)
    with _admin(base).connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :t"), {"t": template}).first():
            return
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


def _owner_prefix(pid: int) -> str:
    """``vt_<host>_<pid>_``: whose copy a database is, so that copies of a process that died before it
    could drop them (killed, or a pytest-xdist worker that exits without atexit) are swept later."""
    host = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]
    return f"vt_{host}_{pid}_"


def _clone(base: str, template: str) -> str:
    name = f"{_owner_prefix(os.getpid())}{uuid.uuid4().hex[:12]}"
    for attempt in range(50):  # another worker's clone of the same template may hold it for a moment
        try:
            with _admin(base).connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
            return name
        except OperationalError as exc:
            if "being accessed by other users" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.1)
    raise AssertionError("unreachable")


def _drop(base: str, name: str) -> None:
    with _admin(base).connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _sweep(base: str) -> None:
    """Drop this host's copies whose process is gone (once per process, at its first copy)."""
    mine = _owner_prefix(0).removesuffix("0_")
    with _admin(base).connect() as conn:
        names = conn.execute(text("SELECT datname FROM pg_database WHERE starts_with(datname, :p)"), {"p": mine})
        for (name,) in names.all():
            pid = name[len(mine):].split("_", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def finish() -> None:
    """At exit: drop the unused spares, let the pending drops finish, close the admin engines."""
    for (base, _), spare in list(_SPARES.items()):
        with contextlib.suppress(Exception):
            _background().submit(_drop, base, spare.result())
    _SPARES.clear()
    for pool in _POOL:
        pool.shutdown(wait=True)
    _POOL.clear()
    for admin in _ADMIN.values():
        admin.dispose()
