"""Volunteers' preferences and availability, under ``…/event``: a volunteer gives and reads their own
(``/me/wishes``, their login linked to an enrolled volunteer); coordinators, HQ and admins read anyone's
in the programme (``/volunteers/{id}/wishes``)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from engine.inputs import Day, Id, Moment
from engine.sdk.http import ProgrammeCtx

from . import wishes
from .routes import PREFIX, EventCaller, own_volunteer_id

router = APIRouter(prefix=PREFIX, tags=["event"])
READERS = ("admin", "hq", "coordinator")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WishIn(_In):
    kind: Literal["post", "group"]
    ref: str = Field(min_length=1, max_length=100, description="post id, or a group or team code")


class WindowIn(_In):
    starts_at: Moment
    ends_at: Moment
    note: str | None = Field(default=None, max_length=200)


class WishesIn(_In):
    preferences: list[WishIn] = Field(default_factory=list, max_length=wishes.MAX_WISHES, description="most wished first")
    unavailable_days: list[Day] = Field(default_factory=list, max_length=400)
    unavailable_windows: list[WindowIn] = Field(default_factory=list, max_length=400)


@router.get("/me/wishes")
def get_own(access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    return wishes.view(ctx, own_volunteer_id(access, ctx))


@router.put("/me/wishes")
def put_own(body: WishesIn, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    """Replace my ranked preferences and the days / windows I am not free."""
    vid = own_volunteer_id(access, ctx)
    return wishes.replace(ctx, vid, [(w.kind, w.ref) for w in body.preferences], body.unavailable_days,
                          [(w.starts_at, w.ends_at, w.note) for w in body.unavailable_windows])


@router.get("/volunteers/{volunteer_id}/wishes")
def get_for(volunteer_id: Id, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    own = ctx.volunteer_of_user(access.user.id)
    if own is None or own.id != volunteer_id:
        access.require(*READERS, what="查看志愿者意向 / reading a volunteer's preferences")
    ctx.volunteer(volunteer_id)  # 404 for anyone not enrolled in this programme
    return wishes.view(ctx, volunteer_id)
