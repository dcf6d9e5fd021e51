from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import text

from engine.http.deps import EngineDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health(engine: EngineDep) -> dict[str, Any]:
    """Is the service up and its database reachable? Lists installed plan types and plugin failures."""
    with engine.session() as s:
        s.execute(text("SELECT 1"))
    return {
        "status": "ok",
        "database": engine.db.engine.dialect.name,
        "plan_types": engine.host.plan_type_ids(),
        "plugin_failures": [str(f) for f in engine.host.failures],
    }
