"""Connecting to the store and upgrading its schema.

SQLite file by default (zero set-up; WAL, foreign keys on, a busy timeout so concurrent
writers wait instead of failing); PostgreSQL by URL (``postgresql+psycopg://…``) so several
API processes on several machines share one database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and use psycopg 3 for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if u.database and u.database != ":memory:":
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        # pysqlite's own transaction handling defers BEGIN; take the write lock at BEGIN so two
        # writers serialise instead of one failing with "database is locked" on upgrade.
        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        @event.listens_for(engine, "connect")
        def _no_autobegin(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None

        return engine
    kwargs.setdefault("pool_size", 20)
    kwargs.setdefault("max_overflow", 40)
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


class Database:
    """An engine plus a session factory; :meth:`session` is one unit of work (one transaction)."""

    def __init__(self, url: str, **kwargs: Any) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url, **kwargs)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.sessions() as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    def upgrade(self, extra_dirs: list[str] | None = None) -> None:
        """Bring the schema to the newest revision of the engine and every plugin (Alembic heads)."""
        upgrade(self.engine, extra_dirs or [])

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(extra_dirs: list[str]) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    dirs = [str(MIGRATIONS / "versions"), *extra_dirs]
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(dirs))
    return cfg


def upgrade(engine: Engine, extra_dirs: list[str]) -> None:
    """Alembic's ``upgrade heads`` in one transaction — skipped when the store already stands where
    these revision files lead (:mod:`engine.store.schema_state`)."""
    from engine.store import schema_state

    wanted = schema_state.digest([str(MIGRATIONS / "versions"), *extra_dirs])
    with engine.begin() as conn:
        if schema_state.up_to_date(conn, wanted):
            return
        from alembic import command

        cfg = alembic_config(extra_dirs)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
        schema_state.record(conn, wanted)
