"""HTTP routes of the event plan type, under ``/api/v1/programmes/{programme_id}/event``.

Who may do what: the organisation is shown to every member; the permit is read by admin, HQ and
coordinators and recorded by admin and HQ; the auto-roster is run by admin, HQ and coordinators;
anyone of the programme reports an incident (its category's emergency plan becomes its checklist:
:mod:`.routes_emergency`); team leaders, group heads, HQ, coordinators and admins acknowledge one. A programme of another plan type answers 404.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from engine.errors import Forbidden, InvalidInput, NotFound
from engine.inputs import Day, Id
from engine.sdk.http import Access, Caller, ProgrammeCtx
from engine.sdk.incidents import acknowledge_incident, report_incident
from engine.sdk.roster import auto_roster

from . import organisation
from .models import Permit
from .permits import decision_due, permit_need

PREFIX = "/programmes/{programme_id}/event"
router = APIRouter(prefix=PREFIX, tags=["event"])
PLANNERS = ("admin", "hq", "coordinator")
RESPONDERS = ("team_leader", "group_head", "hq", "coordinator", "admin")


def event_access(access: Caller) -> Access:
    if access.programme.plan_type_id != "event":
        raise NotFound(f"项目 {access.programme.id} 不是大型活动项目 / programme {access.programme.id!r} is not an event")
    return access


EventCaller = Annotated[Access, Depends(event_access)]


def own_volunteer_id(access: Access, ctx: Any) -> int:
    """The caller's own volunteer in this programme (403 when their login is linked to none)."""
    vol = ctx.volunteer_of_user(access.user.id)
    if vol is None:
        raise Forbidden("您的账号未关联本项目的志愿者 / your login is not linked to a volunteer of this programme")
    return int(vol.id)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PermitIn(_In):
    filed_on: Day | None = None
    accepted_on: Day | None = None
    decided_on: Day | None = None
    decision: Literal["granted", "refused"] | None = None
    number: str | None = Field(default=None, max_length=100)


class Wish(_In):
    volunteer_id: Id
    shift_id: Id


class AutoRosterIn(_In):
    shift_ids: list[Id] | None = Field(default=None, max_length=5000)
    time_limit: float = Field(default=5.0, gt=0, le=30, description="seconds for CP-SAT")
    write: bool = True
    preferences: list[Wish] = Field(default_factory=list, max_length=100_000,
                                    description="shifts volunteers asked for (honoured after coverage and keeping); "
                                                "empty: volunteers' stored preferences")
    availability: dict[Id, list[Day]] | None = Field(
        default=None, description="volunteer id → the days they are free; absent: what volunteers stored")


class IncidentIn(_In):
    category: Literal["medical", "lost_person", "fire", "weather", "dispute", "other"]
    description: str = Field(min_length=1, max_length=4000)
    level: str | None = Field(default=None, max_length=63)
    shift_id: Id | None = None
    gov_grade: Literal["particularly_serious", "serious", "relatively_serious", "general"] | None = None
    warning_colour: Literal["red", "orange", "yellow", "blue"] | None = None


@router.get("/organisation")
def get_organisation(access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    """组织架构 HQ → functional groups → teams."""
    return organisation.tree(ctx.rules)  # type: ignore[arg-type]


def _permit_view(ctx: Any, row: Permit | None) -> dict[str, Any]:
    ev = ctx.rules.event
    out: dict[str, Any] = {"need": permit_need(ev.expected_attendance, ev.starts_on,
                                               cross_province=ev.cross_province).as_dict(), "recorded": None}
    if row is not None:
        out["recorded"] = {"authority": row.authority, "filed_on": row.filed_on, "accepted_on": row.accepted_on,
                           "decision_due": decision_due(row.accepted_on) if row.accepted_on else None,
                           "decided_on": row.decided_on, "decision": row.decision, "number": row.number}
    return out


@router.get("/permit")
def get_permit(access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    """Which authority grants the safety permit, the filing deadline (条例第十二、十三条), and the record."""
    access.require(*PLANNERS, what="查看安全许可 / reading the permit")
    row = ctx.session.scalars(select(Permit).where(Permit.programme_id == ctx.programme.id)).one_or_none()
    return _permit_view(ctx, row)


@router.put("/permit")
def put_permit(body: PermitIn, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    """Record the application: filed, accepted (the 7 days of 第十四条 run from here), decided."""
    access.require("admin", "hq", what="登记安全许可 / recording the permit")
    if body.accepted_on and body.filed_on and body.accepted_on < body.filed_on:
        raise InvalidInput("受理日期早于申请日期 / accepted_on is before filed_on", field="accepted_on")
    if body.decision and not body.decided_on:
        raise InvalidInput("有决定须填写决定日期 / a decision needs decided_on", field="decided_on")
    ev = ctx.rules.event  # type: ignore[attr-defined]
    need = permit_need(ev.expected_attendance, ev.starts_on, cross_province=ev.cross_province)
    row = ctx.session.scalars(select(Permit).where(Permit.programme_id == ctx.programme.id)).one_or_none()
    if row is None:
        row = Permit(programme_id=ctx.programme.id, authority=need.authority or "-", updated_by=ctx.actor)
        ctx.session.add(row)
    for key, value in body.model_dump().items():
        setattr(row, key, value)
    row.updated_by = ctx.actor
    ctx.session.flush()
    return _permit_view(ctx, row)


@router.post("/auto-roster")
def post_auto_roster(body: AutoRosterIn, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    """自动排班 with CP-SAT: fills open shifts, keeps coordinators' assignments, explains gaps."""
    access.require(*PLANNERS, what="自动排班 / the auto-roster")
    from . import wishes

    available = None if body.availability is None else {v: set(days) for v, days in body.availability.items()}
    # what the caller does not pass comes from what volunteers gave (…/me/wishes)
    unavailable = wishes.stored_unavailable(ctx) if body.availability is None else None
    preferred = ({(w.volunteer_id, w.shift_id) for w in body.preferences} if body.preferences
                 else wishes.stored_preferred(ctx, body.shift_ids))
    return auto_roster(ctx, shift_ids=body.shift_ids, time_limit=body.time_limit, write=body.write,
                       available=available, preferred=preferred, unavailable=unavailable)


@router.post("/incidents", status_code=201)
def post_incident(body: IncidentIn, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    """Report an incident with its grade (突发事件应对法第三条) and warning colour (第六十三条)."""
    from . import emergency

    view = report_incident(ctx, body.category, body.description, level=body.level, shift_id=body.shift_id,
                           gov_grade=body.gov_grade, warning_colour=body.warning_colour)
    steps = emergency.open_checklist(ctx, view.id)  # the category's emergency plan, as a checklist
    return {**_incident(view), "checklist": emergency.view(ctx, view.id, steps)}


@router.post("/incidents/{incident_id}/acknowledge")
def post_acknowledge(incident_id: Id, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    access.require(*RESPONDERS, what="确认事件 / acknowledging an incident")
    return _incident(acknowledge_incident(ctx, incident_id))


def _incident(v: Any) -> dict[str, Any]:
    return {"id": v.id, "category": v.category, "level": v.level, "status": v.status, "gov_grade": v.gov_grade,
            "warning_colour": v.warning_colour, "acknowledged_by": v.acknowledged_by,
            "acknowledged_at": v.acknowledged_at, "level_since": v.level_since}


def routers() -> list[APIRouter]:
    from .routes_budget import router as budget_router
    from .routes_emergency import router as emergency_router
    from .routes_feedback import router as feedback_router
    from .routes_funnel import router as funnel_router
    from .routes_service import router as service_router
    from .routes_wishes import router as wishes_router

    return [router, funnel_router, service_router, wishes_router, budget_router, emergency_router, feedback_router]
