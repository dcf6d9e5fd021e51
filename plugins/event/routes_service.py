"""On-the-day routes of the event plan type, under ``…/event``: the live board per post (with the
no-show forecast and the reallocations) for coordinators, HQ, group heads and team leaders; moving
volunteers between posts by crowd flow for group heads, HQ and admins (:mod:`.realloc`); equipment
issue and return for coordinators, HQ and admins."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from engine.inputs import Day, Id, Moment
from engine.sdk.http import ProgrammeCtx

from . import board, equipment, realloc
from .routes import PREFIX, EventCaller

router = APIRouter(prefix=PREFIX, tags=["event"])
STAFF = ("admin", "hq", "coordinator")


class IssueIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    volunteer_id: Id
    item: str = Field(min_length=1, max_length=63)
    code: str | None = Field(default=None, max_length=100)


@router.get("/board")
def get_board(day: Day, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    access.require(*STAFF, "group_head", "team_leader", what="现场看板 / the live board")
    return {"day": day.isoformat(), "posts": board.board(ctx, day)}


class MoveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    from_post_id: Id
    to_post_id: Id
    count: int = Field(ge=1, le=500, description="how many to move")
    starts_at: Moment
    ends_at: Moment
    reason: str = Field(min_length=1, max_length=2000, description="e.g. 3号门人流激增 / crowd at gate 3")
    volunteer_ids: list[Id] | None = Field(default=None, max_length=500,
                                           description="whom to move; absent: chosen (checked in, fewest hours)")


def _aware(ctx: Any, t: Any) -> Any:
    return t if t.tzinfo else t.replace(tzinfo=ctx.zone)


@router.post("/reallocations", status_code=201)
def post_move(body: MoveIn, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    """弹性调配: move ``count`` volunteers from one post to another for a window, each checked by the
    engine's roster rules; logged; the board shows it."""
    access.require("admin", "hq", "group_head", what="现场调配 / reallocating volunteers")
    return realloc.move(ctx, body.from_post_id, body.to_post_id, body.count, _aware(ctx, body.starts_at),
                        _aware(ctx, body.ends_at), body.reason.strip(), body.volunteer_ids)


class EndIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    at: Moment | None = Field(default=None, description="when it ended; absent: now")
    reason: str = Field(min_length=1, max_length=2000, description="e.g. 3号门人流恢复 / gate 3 back to normal")


@router.post("/reallocations/{move_id}/end")
def end_move(move_id: Id, body: EndIn, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    """结束调配: end a move before its window ends (cancel it before it begins); the volunteer is back
    on their own post from then, and the log keeps the planned end."""
    access.require("admin", "hq", "group_head", what="结束调配 / ending a reallocation")
    return realloc.end(ctx, move_id, None if body.at is None else _aware(ctx, body.at), body.reason.strip())


@router.get("/reallocations")
def get_moves(day: Day, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    access.require(*STAFF, "group_head", "team_leader", what="查看调配记录 / the reallocation log")
    return {"day": day.isoformat(), "moves": [realloc.view(ctx, m) for m in realloc.on_day(ctx, day)]}


@router.post("/equipment", status_code=201)
def issue(body: IssueIn, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    access.require(*STAFF, what="发放装备 / issuing equipment")
    row = equipment.issue(ctx, body.volunteer_id, body.item, body.code)
    return {"id": row.id, "item": row.item, "code": row.code}


@router.post("/equipment/{issue_id}/return")
def give_back(issue_id: Id, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    access.require(*STAFF, what="回收装备 / taking equipment back")
    row = equipment.give_back(ctx, issue_id)
    return {"id": row.id, "returned_at": row.returned_at.isoformat() if row.returned_at else None}


@router.get("/equipment/outstanding")
def still_out(access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    access.require(*STAFF, what="查看未归还装备 / equipment still out")
    return equipment.outstanding(ctx)
