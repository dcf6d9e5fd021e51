"""Routes: the yearly reset and the time bank."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from engine.inputs import Amount, Day, Id
from engine.sdk.http import SessionDep
from plugins.community import reset, timebank
from plugins.community.routes.common import MANAGERS, PREFIX, STAFF, TAGS, CommunityCtx, CommunityDep, done, reach

router = APIRouter(prefix=PREFIX, tags=TAGS)

# ------------------------------------------------------------------ yearly reset
class ResetIn(BaseModel):
    year: int | None = Field(default=None, ge=2000, le=2200, description="default: the current community year")


def _reset_view(row: Any, ran: bool) -> dict[str, Any]:
    return {"year": row.year, "reset_at": row.reset_at, "volunteers": row.volunteers, "total": row.total,
            "run_by": row.run_by, "run_at": row.run_at, "ran_now": ran}


@router.post("/resets")
def run_reset(body: ResetIn, access: CommunityDep, ctx: CommunityCtx) -> dict[str, Any]:
    """The yearly reset of spendable points (admin); a second call for a year changes nothing."""
    access.require("admin", what="the yearly points reset")
    year = body.year or reset.due_year(access.programme, ctx.now)
    row, ran = reset.reset_points(ctx, year)
    return done(ctx.session, _reset_view(row, ran))


@router.get("/resets")
def list_resets(access: CommunityDep, session: SessionDep) -> list[dict[str, Any]]:
    return [_reset_view(r, False) for r in reset.list_resets(session, access.programme.id)]


# ------------------------------------------------------------------ time bank
class InboundIn(BaseModel):
    partner: str = Field(min_length=1, max_length=63)
    source_ref: str = Field(min_length=1, max_length=200, description="the partner's id of these points")
    volunteer_id: Id
    amount: Amount = Field(description="in the partner's points")
    origin: str | None = Field(default=None, max_length=63, description="where they were earned (default: partner)")
    earned_on: Day | None = None
    note: str | None = Field(default=None, max_length=2000)


class OutboundIn(BaseModel):
    partner: str = Field(min_length=1, max_length=63)
    volunteer_id: Id
    amount: Amount
    note: str | None = Field(default=None, max_length=2000)


class TransferIn(BaseModel):
    to_volunteer: Id
    amount: Amount
    from_volunteer: Id | None = Field(default=None, description="default: the caller")
    note: str | None = Field(default=None, max_length=2000)


def _transfer_view(session: Any, t: Any, created: bool = True) -> dict[str, Any]:
    return {"id": t.id, "kind": t.kind, "amount": t.amount, "partner": t.partner_code, "original_amount": t.original_amount,
            "rate": t.rate, "source_ref": t.source_ref, "origin": t.origin, "earned_on": t.earned_on, "created": created,
            "legs": [{"account": g.account, "amount": g.amount, "entry_id": g.entry_id} for g in timebank.legs_of(session, t.id)]}


@router.get("/time-bank")
def time_bank(access: CommunityDep, session: SessionDep) -> dict[str, Any]:
    access.require(*STAFF, what="the time bank")
    return {"community": timebank.our_code(access.programme), "partners": timebank.partner_balances(session, access.programme),
            "unbalanced_transfers": timebank.unbalanced_transfers(session, access.programme.id)}


@router.post("/time-bank/inbound")
def receive(body: InboundIn, access: CommunityDep, ctx: CommunityCtx) -> dict[str, Any]:
    """Points earned with a partner arrive (idempotent per partner and source_ref)."""
    access.require(*MANAGERS, what="receiving time-bank points")
    t, created = timebank.inbound(ctx, partner=body.partner, source_ref=body.source_ref,
                                  volunteer_id=body.volunteer_id, amount=body.amount, origin=body.origin,
                                  earned_on=body.earned_on, note=body.note)
    return done(ctx.session, _transfer_view(ctx.session, t, created))


@router.post("/time-bank/outbound", status_code=201)
def send(body: OutboundIn, access: CommunityDep, ctx: CommunityCtx) -> dict[str, Any]:
    access.require(*MANAGERS, what="sending points to a partner")
    t = timebank.outbound(ctx, volunteer_id=body.volunteer_id, partner=body.partner, amount=body.amount,
                          note=body.note)
    return done(ctx.session, _transfer_view(ctx.session, t))


@router.post("/time-bank/transfers", status_code=201)
def give(body: TransferIn, access: CommunityDep, ctx: CommunityCtx) -> dict[str, Any]:
    """A volunteer gives some of their points to another (staff may record it for them)."""
    giver = reach(ctx.session, access, body.from_volunteer, staff=MANAGERS, what="a time-bank transfer")
    t = timebank.person_transfer(ctx, from_volunteer=giver, to_volunteer=body.to_volunteer, amount=body.amount,
                                 note=body.note)
    return done(ctx.session, _transfer_view(ctx.session, t))
