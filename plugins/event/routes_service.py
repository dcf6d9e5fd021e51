"""On-the-day routes of the event plan type, under ``…/event``: the live board per post (with the
no-show forecast) for coordinators, HQ, group heads and team leaders; equipment issue and return for
coordinators, HQ and admins."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from engine.inputs import Day, Id
from engine.sdk.http import ProgrammeCtx

from . import board, equipment
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
