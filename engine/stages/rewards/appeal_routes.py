"""HTTP routes of ledger appeals (under /api/v1/programmes/{programme_id}/…): a volunteer files an
appeal on their own entry; admins and coordinators decide (see :mod:`engine.stages.rewards.appeals`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from engine.errors import Forbidden
from engine.http.deps import AccessDep, SessionDep
from engine.inputs import Id
from engine.stages.rewards import appeals
from engine.stages.rewards.models import LedgerAppeal, LedgerEntry
from engine.stages.rewards.routes import MANAGERS, STAFF, done, own_volunteer_id

router = APIRouter(prefix="/programmes/{programme_id}", tags=["rewards"])


class AppealIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=1000)]


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["uphold", "dismiss"]
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=1000)]


class AppealOut(BaseModel):
    id: int
    entry_id: int
    volunteer_id: int
    reason: str
    status: str
    filed_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str | None
    reversal_id: int | None
    entry_amount: str = Field(description="the appealed entry's amount and unit")
    entry_reason: str

    @classmethod
    def of(cls, a: LedgerAppeal, e: LedgerEntry) -> AppealOut:
        return cls(id=a.id, entry_id=a.entry_id, volunteer_id=a.volunteer_id, reason=a.reason, status=a.status,
                   filed_at=a.filed_at, decided_by=a.decided_by, decided_at=a.decided_at,
                   decision_note=a.decision_note, reversal_id=a.reversal_id,
                   entry_amount=f"{e.amount} {e.unit}", entry_reason=e.reason)


@router.post("/ledger/{entry_id}/appeals", response_model=AppealOut, status_code=201)
def file_appeal(entry_id: Id, body: AppealIn, access: AccessDep, session: SessionDep) -> AppealOut:
    """Appeal one of your own ledger entries, with a reason (once per entry)."""
    vid = own_volunteer_id(session, access)
    if vid is None:
        raise Forbidden("你还没有志愿者档案 / you have no volunteer profile here")
    a = appeals.file(session, access.programme.id, entry_id, vid, body.reason, actor=access.actor)
    e = session.get(LedgerEntry, a.entry_id)
    assert e is not None
    return done(session, AppealOut.of(a, e))


@router.get("/appeals", response_model=list[AppealOut])
def list_appeals(access: AccessDep, session: SessionDep,
                 status: Literal["open", "upheld", "dismissed"] | None = Query(None)) -> list[AppealOut]:
    """Staff see every appeal; a volunteer their own."""
    vid = None if access.has(*STAFF) else own_volunteer_id(session, access)
    if vid is None and not access.has(*STAFF):
        return []
    return [AppealOut.of(a, e) for a, e in appeals.listing(session, access.programme.id, volunteer_id=vid,
                                                            status=status)]


@router.post("/appeals/{appeal_id}/decide", response_model=AppealOut)
def decide_appeal(appeal_id: Id, body: DecisionIn, access: AccessDep, session: SessionDep) -> AppealOut:
    """Uphold (the entry is reversed) or dismiss, with a note the volunteer reads."""
    access.require(*MANAGERS, what="deciding appeals")
    a = appeals.decide(session, access.programme.id, appeal_id, body.decision, body.note, actor=access.actor)
    e = session.get(LedgerEntry, a.entry_id)
    assert e is not None
    return done(session, AppealOut.of(a, e))
