"""Alembic environment: runs on the connection the engine hands over (see engine.store.db.upgrade)."""

from __future__ import annotations

from alembic import context

import engine.certificates.models
import engine.notify.models
import engine.orgs.models
import engine.scheduling.models
import engine.stages.models
import engine.store.models
import engine.web.models  # noqa: F401
from engine.store.base import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the engine always passes a connection
    raise RuntimeError("run migrations through `volunteer db upgrade` or engine.store.db.upgrade()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
