"""Recruitment routes of the event plan type (:mod:`.funnel`), under ``…/event``.

Unit liaisons register their own unit's people (coordinators, HQ and admins any unit's); screening,
offers and the waitlist are for coordinators, HQ and admins; interview scores for interviewers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from engine.errors import Conflict
from engine.inputs import Day, Id
from engine.sdk.http import ProgrammeCtx
from engine.sdk.roster import place_on_post

from . import funnel
from .routes import PREFIX, EventCaller

router = APIRouter(prefix=PREFIX, tags=["event"])
STAFF = ("admin", "hq", "coordinator")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonIn(_In):
    name: str = Field(min_length=1, max_length=100)
    id_number: str = Field(min_length=15, max_length=18)
    phone: str | None = Field(default=None, max_length=20)
    available_days: int = Field(default=0, ge=0, le=366)
    resident_months: int | None = Field(default=None, ge=0, le=1200)
    local_household: bool = False
    languages: list[Annotated[str, Field(min_length=1, max_length=50)]] = Field(
        default_factory=list, max_length=20, description="语言 languages the person can serve in (e.g. 英语)")
    skills: list[Annotated[str, Field(min_length=1, max_length=50)]] = Field(
        default_factory=list, max_length=20, description="技能 skills (e.g. 急救)")
    guardian_name: str | None = Field(default=None, min_length=1, max_length=100,
                                      description="未满 18 岁：签署书面同意的监护人 / under 18: the guardian who signed")


class BatchIn(_In):
    people: list[PersonIn] = Field(min_length=1, max_length=2000)


class ScreenIn(_In):
    passed: bool
    note: str | None = Field(default=None, max_length=2000)


class ScoreIn(_In):
    score: Decimal = Field(ge=0, le=100)


class OffersIn(_In):
    places: int = Field(ge=1, le=100_000)


@router.post("/units/{unit_code}/registrations", status_code=201)
def register_unit(unit_code: Annotated[str, Path(max_length=63)], body: BatchIn, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    """集体动员、组织报名: a unit's liaison registers the unit's people, within its quota."""
    unit = funnel.unit_of(ctx.rules, unit_code)
    funnel.may_register_for(ctx, unit, access.roles, access.actor)
    ids = funnel.register_batch(ctx, unit.code, body.people, stage="screened")
    return {"unit": unit.code, "registered": len(ids), "candidate_ids": ids}


class ApplicationIn(PersonIn):
    unit: str | None = Field(default=None, max_length=63, description="an open-recruitment unit (rules.units[] with "
                             "directed: false) whose quota this application counts against")


@router.post("/applications", status_code=201)
def apply_open(body: ApplicationIn, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    """公开招募: a coordinator enters an open applicant (checked against rules.eligibility), optionally
    through an open-recruitment unit, whose quota it then counts against."""
    access.require(*STAFF, what="登记公开招募报名 / entering an open application")
    if body.unit is not None:
        funnel.open_unit(ctx.rules, body.unit)
    [cid] = funnel.register_batch(ctx, body.unit, [body], stage="applied")
    return {"candidate_id": cid}


@router.post("/candidates/{candidate_id}/screen")
def screen(candidate_id: Id, body: ScreenIn, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    access.require(*STAFF, what="初筛 / screening")
    row = funnel.get(ctx, candidate_id)
    funnel.move(row, "screened" if body.passed else "rejected", allowed_from=("applied",))
    row.note = body.note
    return {"candidate_id": row.id, "stage": row.stage}


@router.post("/candidates/{candidate_id}/scores", status_code=201)
def add_score(candidate_id: Id, body: ScoreIn, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    access.require("interviewer", what="面试打分 / interview scoring")
    funnel.score(ctx, candidate_id, body.score)
    return {"candidate_id": candidate_id, "interviewer": access.actor}


@router.post("/offers")
def offers(body: OffersIn, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    access.require(*STAFF, what="录用 / making offers")
    return funnel.make_offers(ctx, body.places)


@router.post("/waitlist/next")
def waitlist_next(access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    access.require(*STAFF, what="候补递补 / calling the waitlist")
    row = funnel.next_from_waitlist(ctx)
    return {"candidate_id": row.id, "stage": row.stage}


@router.post("/candidates/{candidate_id}/agree")
def agree(candidate_id: Id, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    """志愿服务协议书 signed: an offered (or unit-registered) candidate becomes a volunteer of the event."""
    access.require(*STAFF, what="签订志愿服务协议 / recording the agreement")
    row = funnel.get(ctx, candidate_id)
    directed = row.unit_code is not None and funnel.unit_of(ctx.rules, row.unit_code).directed
    allowed = ("offered", "screened") if directed else ("offered",)  # the unit vouches; open applicants need an offer
    funnel.move(row, "agreed", allowed_from=allowed)
    return {"candidate_id": row.id, "stage": row.stage}


@router.get("/funnel")
def get_funnel(access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    access.require(*STAFF, "unit_liaison", what="查看招募进度 / reading the funnel")
    return funnel.summary(ctx)


class PlaceIn(_In):
    post_id: Id
    signed_on: Day
    guardian_name: str | None = Field(default=None, min_length=1, max_length=100,
                                      description="未成年人：签署协议书的监护人（默认：已登记同意的监护人）/ a minor: "
                                                  "the guardian who signed (default: the one whose consent is on record)")


@router.post("/candidates/{candidate_id}/place", status_code=201)
def place(candidate_id: Id, body: PlaceIn, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    """定岗: an agreed candidate is placed on a post — the engine's application to it is applied,
    offered, its agreement recorded and agreed, with every guard; then they can be rostered."""
    access.require(*STAFF, what="定岗 / placing on a post")
    row = funnel.get(ctx, candidate_id)
    if row.stage != "agreed":
        raise Conflict(f"报名者 {row.id} 处于 {row.stage}，签约后才能定岗 / candidate {row.id} is {row.stage!r}: place "
                       "them after the agreement", field="stage")
    # the call's day for ages (eligibility.age_on, else the event's first day); a minor's agreement is
    # signed by the guardian whose consent is on record, or the one named here
    day = ctx.rules.eligibility.age_on or ctx.rules.event.starts_on
    consent = ctx.consent(row.volunteer_id)
    guardian = body.guardian_name or (consent.guardian_name if consent and consent.status == "given" else None)
    app_id = place_on_post(ctx, row.volunteer_id, body.post_id, signed_on=body.signed_on, guardian_name=guardian,
                           eligible_on=max(day, ctx.today) if day else None)
    return {"candidate_id": row.id, "volunteer_id": row.volunteer_id, "application_id": app_id}
