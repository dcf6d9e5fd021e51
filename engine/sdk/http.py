"""What a plan type's HTTP routes depend on (public).

Return your routers from ``volunteer_api_routers``; the engine mounts them under ``/api/v1`` with
its own authentication, error body and OpenAPI audit. In a route:

* :data:`Caller` — the caller inside the programme of the path's ``programme_id``: ``.user``,
  ``.roles``, ``.actor``, ``.has(*roles)``, ``.require(*roles, what=…)`` (403 naming the roles),
  ``.sees_personal_data()``; a non-member gets 403 before your code runs.
* :data:`ProgrammeCtx` — a :class:`engine.sdk.PlanContext` acting as that caller, on the request's
  unit of work (committed by the engine when the route returns without error).
* :data:`SessionDep`, :data:`EngineDep`, :data:`CurrentUser` — the lower-level pieces, for routes
  that are not under one programme.
* :data:`ProgrammeId` — a path parameter typed as the YAML allows a programme id.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from engine.http.deps import (
    Access,
    AccessDep,
    CurrentUser,
    EngineDep,
    ProgrammeId,
    SessionDep,
    access_for,
)
from engine.sdk.context import PlanContext

__all__ = ["Access", "Caller", "CurrentUser", "EngineDep", "ProgrammeCtx", "ProgrammeId", "SessionDep",
           "access_for", "plan_context"]

#: The caller's roles in the path's programme (alias of the engine's ``AccessDep``).
Caller = AccessDep


def plan_context(access: AccessDep, session: SessionDep, engine: EngineDep) -> PlanContext:
    """The facade for a route: the programme of the path, acting as the caller with their roles."""
    ctx: PlanContext = engine.host.context(session, access.programme, actor=access.actor, roles=access.roles)
    return ctx


ProgrammeCtx = Annotated[PlanContext, Depends(plan_context)]
