"""Activities (shifts) over HTTP: the safety file, starting and finishing, the year's plan."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from engine.inputs import Day, Id

from .. import safety_file as F
from ..people import visible_student
from ..year import plan
from .common import PREFIX, TAGS, ViewerDep, YouthCtx, YouthDep, fired

router = APIRouter(prefix=PREFIX, tags=TAGS)
SAFETY = ("admin", "coordinator", "league_teacher", "instructor")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BriefingIn(_In):
    note: str | None = Field(default=None, max_length=4000)


class RiskIn(_In):
    summary: str = Field(min_length=1, max_length=4000)
    dangerous: bool = False


class InsuranceIn(_In):
    insurer: str = Field(min_length=1, max_length=120)
    policy_no: str = Field(min_length=1, max_length=60)
    insured_until: Day


class InstructorIn(_In):
    username: str = Field(min_length=1, max_length=150)


class PresenceIn(_In):
    volunteer_id: Id
    guardian_name: str = Field(min_length=1, max_length=100)


@router.get("/year")
def year_plan(access: YouthDep, ctx: YouthCtx) -> dict[str, Any]:
    """The academic year's four quarters and the activities planned in each."""
    access.require(*SAFETY, what="the year's plan")
    return {"programme": ctx.programme.id, "quarters": plan(ctx)}


@router.get("/honours")
def year_honours(access: YouthDep, ctx: YouthCtx) -> dict[str, Any]:
    """This year's class, grade and school honours by the programme's scheme (ties at a quota named)."""
    from ..honours import honours

    access.require("admin", "coordinator", "league_teacher", what="the year's honours")
    return honours(ctx)


@router.get("/activities/{shift_id}/safety")
def safety_of(shift_id: Id, access: YouthDep, ctx: YouthCtx) -> dict[str, Any]:
    """The activity's safety file and everything that still keeps it from starting."""
    access.require(*SAFETY, what="an activity's safety file")
    return F.checklist(ctx, shift_id)


@router.post("/activities/{shift_id}/briefing")
def briefing(shift_id: Id, body: BriefingIn, access: YouthDep, ctx: YouthCtx) -> dict[str, Any]:
    access.require(*SAFETY, what="recording a safety briefing")
    F.record_briefing(ctx, shift_id, body.note)
    return F.checklist(ctx, shift_id)


@router.post("/activities/{shift_id}/risk")
def risk(shift_id: Id, body: RiskIn, access: YouthDep, ctx: YouthCtx) -> dict[str, Any]:
    access.require(*SAFETY, what="submitting a risk assessment")
    F.submit_risk(ctx, shift_id, body.summary, body.dangerous)
    return F.checklist(ctx, shift_id)


@router.post("/activities/{shift_id}/risk/approve")
def approve(shift_id: Id, access: YouthDep, ctx: YouthCtx) -> dict[str, Any]:
    access.require("admin", "coordinator", "league_teacher", what="approving a risk assessment")
    F.approve_risk(ctx, shift_id)
    return F.checklist(ctx, shift_id)


@router.post("/activities/{shift_id}/insurance")
def insurance(shift_id: Id, body: InsuranceIn, access: YouthDep, ctx: YouthCtx) -> dict[str, Any]:
    access.require("admin", "coordinator", "league_teacher", what="recording insurance")
    F.record_insurance(ctx, shift_id, body.insurer, body.policy_no, body.insured_until)
    return F.checklist(ctx, shift_id)


@router.post("/activities/{shift_id}/instructors")
def instructor(shift_id: Id, body: InstructorIn, access: YouthDep, ctx: YouthCtx) -> dict[str, Any]:
    access.require("admin", "coordinator", "league_teacher", what="adding an instructor to a team")
    F.add_instructor(ctx, shift_id, body.username)
    return F.checklist(ctx, shift_id)


@router.post("/activities/{shift_id}/presence")
def presence(shift_id: Id, body: PresenceIn, access: YouthDep, ctx: YouthCtx, v: ViewerDep) -> dict[str, Any]:
    """Record that a guardian accompanied a student at this activity (where the region allows it)."""
    access.require(*SAFETY, what="recording a guardian's presence")
    visible_student(ctx, v, body.volunteer_id)
    F.record_presence(ctx, shift_id, body.volunteer_id, body.guardian_name)
    return F.checklist(ctx, shift_id)


@router.post("/activities/{shift_id}/start")
def start(shift_id: Id, access: YouthDep, ctx: YouthCtx) -> dict[str, Any]:
    """Start the activity: refused (422) with every missing safety step, by name."""
    access.require(*SAFETY, what="starting an activity")
    result = F.start_activity(ctx, shift_id)
    fired(ctx.session, result, "start")
    return {"shift_id": shift_id, "state": result.instance.state}


@router.post("/activities/{shift_id}/finish")
def finish(shift_id: Id, access: YouthDep, ctx: YouthCtx) -> dict[str, Any]:
    access.require(*SAFETY, what="finishing an activity")
    inst = ctx.find_instance("activity", "shift", shift_id)
    if inst is None:
        from engine.errors import Conflict

        raise Conflict(f"活动 {shift_id} 尚未开始 / activity {shift_id} has not started")
    result = ctx.fire(inst, "finish")
    fired(ctx.session, result, "finish")
    return {"shift_id": shift_id, "state": result.instance.state}
