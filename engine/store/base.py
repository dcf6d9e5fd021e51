"""The declarative base every table (engine or plugin) is defined on."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import JSON, DateTime, MetaData, Table, TypeDecorator
from sqlalchemy.orm import DeclarativeBase

from engine import timeutil

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timestamps stored in UTC and always returned timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give a timezone-aware time")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


def utcnow() -> dt.datetime:
    """Now, from the engine's clock (:func:`engine.timeutil.now`)."""
    return timeutil.now()


def dialect_insert(session: Any, table: Any) -> Any:
    """An ``INSERT`` for ``table`` in the session's dialect that offers ``on_conflict_do_nothing`` and
    ``on_conflict_do_update`` (PostgreSQL and SQLite both have them)."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    if name == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table)
    raise NotImplementedError(f"unsupported database dialect {name!r}")  # pragma: no cover


_RETURNING: dict[type, Any] = {}


def insert_loaded(session: Any, model: type[Base], values: dict[str, Any], *, stmt: Any = None) -> Any:
    """Insert one row by a Core ``INSERT … RETURNING`` (every column) and hand it back as a loaded ORM
    object of the session, with no unit-of-work flush for it: for hot paths that write a row and go on
    using it. ``stmt``: another such statement (e.g. with ``ON CONFLICT DO NOTHING``); None is returned
    when it inserts nothing. Rows still pending in the session are flushed first, so foreign keys to
    them hold."""
    if session.new:
        session.flush()
    if stmt is None:
        stmt = _RETURNING.get(model)
        if stmt is None:
            table = cast(Table, model.__table__)
            stmt = _RETURNING[model] = table.insert().returning(*table.c)
    row = session.connection().execute(stmt, values).first()
    return None if row is None else adopt_loaded(session, model, row._mapping)


def adopt_loaded(session: Any, model: type[Base], stored: Any) -> Any:
    """An ORM object of ``model`` for a row just stored (``stored``: every column by name), added to
    the session as loaded, as if a query had read it."""
    from sqlalchemy.orm import make_transient_to_detached

    made = model.__mapper__.class_manager.new_instance()  # as a query's load does: no constructor, no events
    made.__dict__.update(stored)
    make_transient_to_detached(made)  # the values just stored are its committed state
    session.add(made)
    return made
