"""What every youth route shares: the 404 for other plan types, the viewer, commits."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from fastapi import Depends

from engine.errors import GuardsFailed, NotFound
from engine.sdk import PlanContext
from engine.sdk.http import Access, Caller, ProgrammeCtx

from ..people import Viewer, viewer

PREFIX = "/programmes/{programme_id}/youth"
TAGS: list[str | Enum] = ["youth"]


def youth_access(access: Caller) -> Access:
    if access.programme.plan_type_id != "youth":
        raise NotFound(f"项目 {access.programme.id} 不是学生志愿服务项目 / programme {access.programme.id!r} is of plan "
                       f"type {access.programme.plan_type_id!r}, not youth")
    return access


YouthDep = Annotated[Access, Depends(youth_access)]


def youth_ctx(access: YouthDep, ctx: ProgrammeCtx) -> PlanContext:
    return ctx


YouthCtx = Annotated[PlanContext, Depends(youth_ctx)]


def the_viewer(access: YouthDep, ctx: YouthCtx) -> Viewer:
    return viewer(ctx, access.user.id, access.sees_personal_data())


ViewerDep = Annotated[Viewer, Depends(the_viewer)]


def fired(session: Any, result: Any, trigger: str) -> None:
    if not result.ok:
        session.commit()  # keep the refusal in the transition log
        raise GuardsFailed(trigger, result.reasons)
