"""The satisfaction survey over HTTP, under ``…/event/feedback``: HQ, coordinators and admins enter
the public's answers (a batch, all or nothing) and read the summary; a rostered volunteer rates
their own experience once (``…/feedback/me``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from engine.inputs import Id
from engine.sdk.http import ProgrammeCtx

from . import feedback
from .routes import PREFIX, EventCaller, own_volunteer_id

router = APIRouter(prefix=PREFIX + "/feedback", tags=["event"])
STAFF = ("admin", "hq", "coordinator")
Rating = Annotated[int, Field(ge=1, le=5, description="1 (very poor) … 5 (very good)")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnswerIn(_In):
    respondent: Literal["visitor", "exhibitor", "partner"]
    rating: Rating
    post_id: Id | None = None
    comment: str | None = Field(default=None, max_length=1000)


class SurveyIn(_In):
    responses: list[AnswerIn] = Field(min_length=1, max_length=5000)


class OwnIn(_In):
    rating: Rating
    post_id: Id | None = None
    comment: str | None = Field(default=None, max_length=1000)


@router.post("", status_code=201)
def enter_survey(body: SurveyIn, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    access.require(*STAFF, what="录入满意度调查 / entering survey answers")
    rows = [{**a.model_dump(), "comment": (a.comment or "").strip() or None} for a in body.responses]
    return {"recorded": feedback.record_survey(ctx, rows)}


@router.post("/me", status_code=201)
def rate_own(body: OwnIn, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    feedback.record_own(ctx, own_volunteer_id(access, ctx), body.rating, body.post_id, (body.comment or "").strip() or None)
    return {"recorded": 1}


@router.get("")
def read_summary(access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    access.require(*STAFF, what="查看满意度 / reading the satisfaction survey")
    return feedback.summary(ctx.session, ctx.programme.id)
