"""Alembic environment: runs on the connection the engine hands over (see engine.store.db.upgrade)."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context

import engine.certificates.models
import engine.notify.models
import engine.orgs.models
import engine.scheduling.models
import engine.stages.models
import engine.store.models
import engine.web.models  # noqa: F401
from engine.store.base import Base, UTCDateTime

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the engine always passes a connection
    raise RuntimeError("run migrations through `volunteer db upgrade` or engine.store.db.upgrade()")

# `volunteer db revision PLAN_TYPE` autogenerates only that plan type's tables ...
only_tables: set[str] | None = context.config.attributes.get("only_tables")


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    if only_tables is None:
        return True
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table in only_tables


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """... and writes the engine's time type by its public name (engine.sdk.tables)."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        autogen_context.imports.add("import engine.sdk.tables")
        return "engine.sdk.tables.UTCDateTime()"
    return False


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_object=include_object,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
