"""Budget lines of the event, under ``…/event/budget``: HQ and admins record planned and actual
amounts; HQ, admins and coordinators read the lines with their differences and totals."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from engine.inputs import Id, Money
from engine.sdk.http import ProgrammeCtx

from . import budget
from .routes import PREFIX, EventCaller

router = APIRouter(prefix=PREFIX + "/budget", tags=["event"])
WRITERS = ("admin", "hq")
READERS = ("admin", "hq", "coordinator")
Category = Literal["uniforms", "meals", "transport", "insurance", "training", "equipment", "accommodation",
                   "communication", "publicity", "medical", "recognition", "other"]
Currency = Field(default="CNY", min_length=3, max_length=3, pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. CNY")


class LineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    category: Category
    item: str = Field(default="", max_length=200, description="what the line is for within the category")
    currency: str = Currency
    planned: Money
    actual: Money | None = None


class LinePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    planned: Money | None = None
    actual: Money | None = None
    currency: str | None = Field(default=None, min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")


@router.get("")
def get_budget(access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    access.require(*READERS, what="查看预算 / reading the budget")
    return budget.summary(ctx.session, ctx.programme.id)


@router.post("/lines", status_code=201)
def add_line(body: LineIn, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    access.require(*WRITERS, what="登记预算 / recording the budget")
    row = budget.add(ctx, body.category, body.item.strip(), body.currency, body.planned, body.actual)
    return budget.line_view(row)


@router.patch("/lines/{line_id}")
def change_line(line_id: Id, body: LinePatch, access: EventCaller, ctx: ProgrammeCtx) -> dict[str, Any]:
    """Change the planned amount, record the actual (``null`` clears it), or correct the currency."""
    access.require(*WRITERS, what="登记预算 / recording the budget")
    row = budget.get(ctx, line_id)
    sent = body.model_fields_set
    if "planned" in sent and body.planned is not None:
        row.planned = body.planned
    if "actual" in sent:
        row.actual = body.actual
    if "currency" in sent and body.currency is not None:
        row.currency = body.currency
    row.updated_by = ctx.actor
    ctx.session.flush()
    return budget.line_view(row)
