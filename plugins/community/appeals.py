"""积分异议申诉 Appeals (seed 001 §1(三)).

"设立积分异议申诉通道,由社区居委会、居民代表和第三方机构组成监督会,每季度审核积分数据": a volunteer
disputes one of their own ledger entries; the review board (role ``review_board``) takes it up at
its review and either upholds it or corrects it. A correction never edits the entry: the right
amount is credited first (kind ``correction``) and the disputed entry is then reversed with the
engine's reversing entry, together with its lifetime twin when it has one — so a volunteer who
already spent the points is not pushed below zero by a correction in their favour.

Cadence: each appeal belongs to the review period in which it was filed (a quarter by default,
``rules.appeals.cadence_months``) and is due at that period's end (``review_by``); the board's queue
and the report list appeals by period. An entry may be appealed once; redemptions and refunds are
settled by cancelling the redemption instead, and reversals are themselves corrections.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.sdk import Fired, InstanceView, PlanContext
from engine.sdk.tables import LedgerEntry, User, Volunteer, WorkflowInstance, utcnow
from plugins.community.models import Appeal
from plugins.community.rules import CommunityRules
from plugins.community.units import ref, units
from plugins.community.years import period_of

WORKFLOW = "appeal"
NOT_APPEALABLE = ("redemption", "refund", "reversal")


def get_appeal(session: Session, programme: Any, appeal_id: int) -> Appeal:
    row = session.get(Appeal, appeal_id)
    if row is None or row.programme_id != programme.id:
        raise NotFound(f"没有申诉 {appeal_id} / no appeal {appeal_id} in programme {programme.id!r}", appeal=appeal_id)
    return row


def file_appeal(ctx: PlanContext, *, entry_id: int, volunteer_id: int, reason: str,
                claimed_amount: Decimal | None = None) -> Appeal:
    """A volunteer disputes their own entry (filed by ``ctx.actor`` at ``ctx.now``); starts the
    ``appeal`` workflow."""
    session, programme, actor, now = ctx.session, ctx.programme, ctx.actor, ctx.now
    rules: CommunityRules = programme.rules
    entry = session.get(LedgerEntry, entry_id)
    if entry is None or entry.programme_id != programme.id:
        raise NotFound(f"没有台账记录 {entry_id} / no ledger entry {entry_id} in programme {programme.id!r}",
                       field="entry_id")
    if entry.volunteer_id != volunteer_id:
        raise Forbidden(f"只能对自己的积分记录提出申诉 / you may appeal only your own ledger entries (entry {entry_id})")
    if entry.kind in NOT_APPEALABLE or entry.reverses_id is not None:
        raise Conflict(f"台账记录 {entry_id}（{entry.kind}）不能申诉：兑换请取消兑换，冲正记录本身即为更正 / entry {entry_id} "
                       f"({entry.kind}) cannot be appealed: cancel a redemption instead; a reversal is already a "
                       "correction", field="entry_id")
    if not reason.strip():
        raise InvalidInput("请写明申诉理由 / give the reason for the appeal", field="reason")
    window = rules.appeals.window_days
    if window is not None and now - entry.created_at > dt.timedelta(days=window):
        raise Conflict(f"台账记录 {entry_id} 已超过 {window} 天申诉期 / entry {entry_id} is older than the {window}-day "
                       "appeal window (rules.appeals.window_days)", field="entry_id")
    if session.scalar(select(Appeal.id).where(Appeal.entry_id == entry_id)) is not None:
        raise Conflict(f"台账记录 {entry_id} 已有申诉 / entry {entry_id} has already been appealed", field="entry_id")
    if session.scalar(select(LedgerEntry.id).where(LedgerEntry.reverses_id == entry_id)) is not None:
        raise Conflict(f"台账记录 {entry_id} 已被冲正 / entry {entry_id} has already been reversed", field="entry_id")
    label, due = period_of(now.astimezone(programme.config.tz).date(), rules.appeals.cadence_months)
    row = Appeal(programme_id=programme.id, volunteer_id=volunteer_id, entry_id=entry_id, reason=reason.strip(),
                 claimed_amount=claimed_amount, period=label, review_by=due, filed_by=actor, filed_at=now)
    session.add(row)
    session.flush()
    ctx.start(WORKFLOW, "appeal", row.id)
    return row


def instance_of(ctx: PlanContext, appeal_id: int) -> InstanceView | None:
    return ctx.find_instance(WORKFLOW, "appeal", appeal_id)


def fire(ctx: PlanContext, appeal_id: int, trigger: str, *, payload: dict[str, Any] | None = None) -> Fired:
    """Fire ``trigger`` on the appeal's workflow as ``ctx.actor`` with ``ctx.roles``."""
    get_appeal(ctx.session, ctx.programme, appeal_id)
    inst = instance_of(ctx, appeal_id)
    if inst is None:
        raise NotFound(f"申诉 {appeal_id} 没有工作流实例 / appeal {appeal_id} has no workflow instance")
    return ctx.fire(inst, trigger, payload=payload)


def parse_amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"更正数额无效：{value!r} / corrected_amount is not a number: {value!r}",
                           field="corrected_amount") from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(f"更正数额最多两位小数：{value!r} / corrected_amount has at most 2 decimals",
                           field="corrected_amount")
    return amount


def actor_is_party(session: Session, appeal: Appeal, actor: str) -> bool:
    """Whether the person deciding is the appellant (nobody reviews their own appeal)."""
    user_id = session.scalar(select(User.id).where(User.username == actor))
    vol_user = session.scalar(select(Volunteer.user_id).where(Volunteer.id == appeal.volunteer_id))
    return user_id is not None and user_id == vol_user


def twin_of(session: Session, programme: Any, entry: LedgerEntry) -> LedgerEntry | None:
    """The lifetime twin of a points earning, if any: the entry written beside it in the lifetime unit
    (same ref but the unit; without a ref — the engine's award for a record — same record, kind,
    amount and reason, not yet reversed)."""
    points, lifetime = units(programme)
    if entry.unit != points or lifetime is None or entry.amount <= 0:
        return None
    if entry.ref:
        if not entry.ref.endswith(":" + points):
            return None
        return session.scalars(select(LedgerEntry).where(
            LedgerEntry.ref == entry.ref[: -len(points)] + lifetime)).one_or_none()
    if entry.record_id is None:
        return None
    reversed_ids = select(LedgerEntry.reverses_id).where(LedgerEntry.reverses_id.is_not(None))
    return session.scalars(select(LedgerEntry).where(
        LedgerEntry.programme_id == entry.programme_id, LedgerEntry.unit == lifetime,
        LedgerEntry.record_id == entry.record_id, LedgerEntry.kind == entry.kind, LedgerEntry.ref.is_(None),
        LedgerEntry.amount == entry.amount, LedgerEntry.reason == entry.reason,
        LedgerEntry.id.not_in(reversed_ids)).order_by(LedgerEntry.id).limit(1)).one_or_none()


def apply_correction(ctx: PlanContext, appeal: Appeal, corrected: Decimal, *, note: str) -> list[int]:
    """Write the corrected amount and reverse the disputed entry (and its lifetime twin).

    Whichever of the two is a credit goes first, so a correction in the volunteer's favour never
    fails because they already spent the points it corrects. Written as ``ctx.actor``.
    """
    session, programme = ctx.session, ctx.programme
    entry = session.get(LedgerEntry, appeal.entry_id)
    assert entry is not None
    written: list[int] = []
    originals = [entry] + [t for t in [twin_of(session, programme, entry)] if t is not None]
    for original in originals:
        def credit_new(original: LedgerEntry = original) -> None:
            if corrected == 0:
                return
            new = ctx.append_ledger(original.volunteer_id, original.unit, corrected, kind="correction",
                                    reason=f"申诉 {appeal.id} 更正：{note} / appeal {appeal.id} corrected",
                                    record_id=original.record_id,
                                    ref=ref(programme.id, "appeal", appeal.id, original.unit),
                                    data={"appeal": appeal.id, "corrects": original.id, "was": str(original.amount)},
                                    what=f"申诉 {appeal.id} 更正 / correcting on appeal {appeal.id}")
            if new is not None:
                written.append(new.id)

        def reverse_old(original: LedgerEntry = original) -> None:
            rev = ctx.reverse_ledger(original.id, reason=f"申诉 {appeal.id} 更正 / corrected on appeal {appeal.id}: {note}")
            written.append(rev.id)

        steps = [(corrected, credit_new), (-Decimal(original.amount), reverse_old)]
        for _, step in sorted(steps, key=lambda s: s[0], reverse=True):
            step()
    return written


def record_decision(appeal: Appeal, decision: str, note: str | None, actor: str,
                    corrected: Decimal | None = None, entries: list[int] | None = None) -> None:
    appeal.decision, appeal.decision_note, appeal.decided_by, appeal.decided_at = decision, note, actor, utcnow()
    appeal.corrected_amount = corrected
    appeal.correction_entries = list(entries or [])


def list_appeals(session: Session, programme_id: str, *, volunteer_id: int | None = None,
                 period: str | None = None) -> list[tuple[Appeal, str | None]]:
    q = (select(Appeal, WorkflowInstance.state)
         .outerjoin(WorkflowInstance, (WorkflowInstance.programme_id == Appeal.programme_id)
                    & (WorkflowInstance.workflow == WORKFLOW) & (WorkflowInstance.subject_type == "appeal")
                    & (WorkflowInstance.subject_id == cast(Appeal.id, String)))
         .where(Appeal.programme_id == programme_id))
    if volunteer_id is not None:
        q = q.where(Appeal.volunteer_id == volunteer_id)
    if period:
        q = q.where(Appeal.period == period)
    return [(a, s) for a, s in session.execute(q.order_by(Appeal.id))]

