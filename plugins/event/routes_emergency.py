"""Emergency plans and incident checklists over HTTP, under ``…/event``: every member of the
programme reads the plans (they are taught in training); whoever reported an incident and the
responders (team leaders up) read its checklist and tick steps off."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from engine.errors import Forbidden
from engine.inputs import Id
from engine.sdk.http import ProgrammeCtx
from engine.sdk.tables import Incident

from . import emergency
from .routes import PREFIX, RESPONDERS, EventCaller

router = APIRouter(prefix=PREFIX, tags=["event"])


class TickIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str | None = Field(default=None, max_length=1000, description="e.g. 120 已到场 / ambulance arrived")


@router.get("/emergency-plans")
def plans(access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    rules: Any = ctx.rules
    return {cat: {"title": p.title, "steps": list(p.steps)} for cat, p in rules.emergency_plans.items() if p}


def _may_work_on(access: Any, ctx: Any, incident_id: int) -> None:
    row = ctx.session.get(Incident, incident_id)
    if row is not None and row.programme_id == ctx.programme.id and row.reported_by == ctx.actor:
        return
    if not access.has(*RESPONDERS):
        raise Forbidden("只有报告人和组长以上可处理该事件的预案 / only whoever reported the incident and team leaders up "
                        "work through its checklist")


@router.get("/incidents/{incident_id}/checklist")
def checklist(incident_id: Id, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    _may_work_on(access, ctx, incident_id)
    return emergency.view(ctx, incident_id, emergency.open_checklist(ctx, incident_id))


@router.post("/incidents/{incident_id}/checklist/{step}")
def tick(incident_id: Id, step: Id, body: TickIn, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    """Tick one step off (who and when are kept); a step is ticked once."""
    _may_work_on(access, ctx, incident_id)
    note = (body.note or "").strip() or None
    return emergency.view(ctx, incident_id, emergency.tick(ctx, incident_id, step, note))
