"""Routes: appeals (seed 001 §1(三)) and dismissal cases (seed 003 附件4 第五条)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from engine.errors import Forbidden
from engine.inputs import Id, Money
from engine.sdk.http import Access, SessionDep
from plugins.community import appeals, dismissal
from plugins.community.routes.common import (
    BOARD,
    MANAGERS,
    PREFIX,
    TAGS,
    CommunityCtx,
    CommunityDep,
    FireIn,
    done,
    fired,
    own_id,
    reach,
)

router = APIRouter(prefix=PREFIX, tags=TAGS)

# ------------------------------------------------------------------ appeals
class AppealIn(BaseModel):
    entry_id: Id
    reason: str = Field(min_length=2, max_length=2000)
    claimed_amount: Money | None = Field(default=None, description="what the volunteer believes is right")


def _appeal_view(a: Any, state: str | None) -> dict[str, Any]:
    return {"id": a.id, "volunteer_id": a.volunteer_id, "entry_id": a.entry_id, "reason": a.reason,
            "claimed_amount": a.claimed_amount, "period": a.period, "review_by": a.review_by, "state": state,
            "decision": a.decision, "decision_note": a.decision_note, "corrected_amount": a.corrected_amount,
            "correction_entries": a.correction_entries, "decided_by": a.decided_by, "filed_at": a.filed_at}


@router.post("/appeals", status_code=201)
def file_appeal(body: AppealIn, access: CommunityDep, ctx: CommunityCtx, session: SessionDep) -> dict[str, Any]:
    """A volunteer disputes one of their own ledger entries (seed 001 §1(三))."""
    vid = reach(session, access, None, what="an appeal")
    row = appeals.file_appeal(ctx, entry_id=body.entry_id, volunteer_id=vid, reason=body.reason,
                              claimed_amount=body.claimed_amount)
    return _appeal_view(row, "filed")


@router.get("/appeals")
def list_appeals(access: CommunityDep, session: SessionDep, period: str | None = None) -> list[dict[str, Any]]:
    """The board's queue (filter by period, e.g. 2026Q1); a volunteer sees only their own appeals."""
    vid = None if access.has(*BOARD) else reach(session, access, None, what="appeals")
    return [_appeal_view(a, s) for a, s in appeals.list_appeals(session, access.programme.id, volunteer_id=vid,
                                                                 period=period)]


@router.post("/appeals/{appeal_id}/fire")
def fire_appeal(appeal_id: Id, body: FireIn, access: CommunityDep, ctx: CommunityCtx,
                session: SessionDep) -> dict[str, Any]:
    """review / uphold / correct (board; payload note, corrected_amount) or withdraw (the appellant)."""
    row = appeals.get_appeal(session, access.programme, appeal_id)
    if not access.has(*BOARD) and row.volunteer_id != own_id(session, access):
        raise Forbidden(f"只能处理自己的申诉 / you may act only on your own appeal ({appeal_id})")
    result = appeals.fire(ctx, appeal_id, body.trigger, payload=body.payload)
    fired(session, result, body.trigger)
    return done(session, _appeal_view(row, result.instance.state))


# ------------------------------------------------------------------ dismissals
class DismissalIn(BaseModel):
    volunteer_id: Id
    ground: str = Field(max_length=63, description=", ".join(dismissal.GROUNDS))
    description: str = Field(min_length=2, max_length=4000)


class EvidenceIn(BaseModel):
    kind: str = Field(max_length=63, description=", ".join(dismissal.EVIDENCE_KINDS))
    description: str = Field(min_length=2, max_length=4000)
    ref: str | None = Field(default=None, max_length=200)


def _case_view(session: Any, access: Access, case: Any) -> dict[str, Any]:
    inst = dismissal.state_of(session, access.programme.id, case.id)
    zh, en = dismissal.GROUNDS[case.ground]
    return {"id": case.id, "volunteer_id": case.volunteer_id, "ground": case.ground, "ground_text": f"{zh} / {en}",
            "description": case.description, "state": inst.state if inst else None, "decision": case.decision,
            "decision_note": case.decision_note, "decided_by": case.decided_by, "reported_to": case.reported_to,
            "evidence": [{"id": e.id, "kind": e.kind, "description": e.description, "ref": e.ref,
                          "added_by": e.added_by, "added_at": e.added_at} for e in dismissal.evidence(session, case.id)]}


@router.post("/dismissals", status_code=201)
def propose_dismissal(body: DismissalIn, access: CommunityDep, ctx: CommunityCtx, session: SessionDep) -> dict[str, Any]:
    access.require(*MANAGERS, what="proposing a dismissal")
    case = dismissal.propose(ctx, volunteer_id=body.volunteer_id, ground=body.ground, description=body.description)
    return _case_view(session, access, case)


@router.get("/dismissals/{dismissal_id}")
def show_dismissal(dismissal_id: Id, access: CommunityDep, session: SessionDep) -> dict[str, Any]:
    case = dismissal.get_case(session, access.programme, dismissal_id)
    if not access.has(*BOARD):
        reach(session, access, case.volunteer_id, staff=BOARD, what="a dismissal case")
    return _case_view(session, access, case)


@router.post("/dismissals/{dismissal_id}/evidence", status_code=201)
def add_evidence(dismissal_id: Id, body: EvidenceIn, access: CommunityDep, session: SessionDep) -> dict[str, Any]:
    access.require(*MANAGERS, what="adding evidence")
    dismissal.add_evidence(session, access.programme, dismissal_id, kind=body.kind, description=body.description,
                           ref=body.ref, actor=access.actor)
    return _case_view(session, access, dismissal.get_case(session, access.programme, dismissal_id))


@router.post("/dismissals/{dismissal_id}/fire")
def fire_dismissal(dismissal_id: Id, body: FireIn, access: CommunityDep, ctx: CommunityCtx,
                   session: SessionDep) -> dict[str, Any]:
    """review (needs evidence) / dismiss / clear / report_upstream — each decision with a note."""
    result = dismissal.fire(ctx, dismissal_id, body.trigger, payload=body.payload)
    fired(session, result, body.trigger)
    return _case_view(session, access, dismissal.get_case(session, access.programme, dismissal_id))
