"""Appeals against ledger entries (申诉): a volunteer contests one of their own entries with a
reason; a coordinator upholds it — the entry is reversed by a reversing entry, so the ledger stays
append-only (:func:`ledger.reverse`) — or dismisses it with the reason given back. Both sides see
the decision; the coordinator's dashboard counts the open ones."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.stages.rewards import ledger
from engine.stages.rewards.models import LedgerAppeal, LedgerEntry
from engine.store.base import utcnow

DECISIONS = ("uphold", "dismiss")


def file(session: Session, programme_id: str, entry_id: int, volunteer_id: int, reason: str, *,
         actor: str) -> LedgerAppeal:
    entry = session.get(LedgerEntry, entry_id)
    if entry is None or entry.programme_id != programme_id:
        raise NotFound(f"没有台账记录 {entry_id} / no ledger entry {entry_id} in programme {programme_id!r}",
                       field="entry_id")
    if entry.volunteer_id != volunteer_id:
        raise Forbidden(f"台账记录 {entry_id} 不是你的 / ledger entry {entry_id} is not yours")
    if entry.kind in ledger.WORKFLOW_KINDS:
        raise InvalidInput(f"台账记录 {entry_id} 属于积分兑换，请取消兑换 / entry {entry_id} belongs to a redemption: "
                           "cancel the redemption instead", field="entry_id")
    if entry.reverses_id is not None:
        raise InvalidInput(f"台账记录 {entry_id} 是冲正记录，不能申诉 / entry {entry_id} is a reversal and cannot be "
                           "appealed", field="entry_id")
    row = LedgerAppeal(programme_id=programme_id, volunteer_id=volunteer_id, entry_id=entry_id,
                       reason=reason.strip(), filed_by=actor)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        raise Conflict(f"台账记录 {entry_id} 已有申诉 / ledger entry {entry_id} has been appealed already",
                       entry=entry_id) from None
    return row


def decide(session: Session, programme_id: str, appeal_id: int, decision: str, note: str, *,
           actor: str) -> LedgerAppeal:
    appeal = session.get(LedgerAppeal, appeal_id)
    if appeal is None or appeal.programme_id != programme_id:
        raise NotFound(f"没有申诉 {appeal_id} / no appeal {appeal_id} in programme {programme_id!r}")
    if appeal.status != "open":
        raise Conflict(f"申诉 {appeal_id} 已处理（{appeal.status}）/ appeal {appeal_id} was already decided: "
                       f"{appeal.status}", appeal=appeal_id)
    if decision not in DECISIONS:
        raise InvalidInput("决定须为 uphold 或 dismiss / decision must be uphold or dismiss", field="decision")
    if decision == "uphold":
        reversal = ledger.reverse(session, programme_id, appeal.entry_id, actor=actor,
                                  reason=f"申诉 {appeal.id} 成立 / appeal {appeal.id} upheld: {note}")
        appeal.status, appeal.reversal_id = "upheld", reversal.id
    else:
        appeal.status = "dismissed"
    appeal.decided_by, appeal.decided_at, appeal.decision_note = actor, utcnow(), note.strip()
    session.flush()
    return appeal


def listing(session: Session, programme_id: str, *, volunteer_id: int | None = None, status: str | None = None,
            limit: int = 200) -> list[tuple[LedgerAppeal, LedgerEntry]]:
    q = (select(LedgerAppeal, LedgerEntry).join(LedgerEntry, LedgerEntry.id == LedgerAppeal.entry_id)
         .where(LedgerAppeal.programme_id == programme_id))
    if volunteer_id is not None:
        q = q.where(LedgerAppeal.volunteer_id == volunteer_id)
    if status is not None:
        q = q.where(LedgerAppeal.status == status)
    return [(a, e) for a, e in session.execute(q.order_by(LedgerAppeal.id.desc()).limit(limit))]
