"""时间银行 The time bank (seed 001 §3(一): "探索'时间银行'跨区域通兑,与周边社区互认积分").

Beijing 第四十条 and Shandong 第三十五条 let organisations reward volunteers "通过服务积分、时间储蓄以及
会员互助等方式"; this module is the time-saving (时间储蓄) part for a community.

* **Partners** are listed in ``rules.time_bank.partners`` with a ``rate`` (our points per one of
  theirs). Points earned with a partner arrive as an *inbound* transfer that keeps its provenance
  (partner, their reference, the community where they were earned, the day) and is unique per
  (partner, reference): a retried import returns the first one, and points that were earned *here*
  and come back are refused — nothing is counted twice. Service records transferred in
  (``captured=transferred``) earn no points for the same reason: points travel only through here.
* **Double entry.** Every transfer is a debit and a credit of the same amount on two accounts
  (``volunteer:<id>`` or ``partner:<code>``), so its legs sum to zero, as in TimeOverflow's
  ``Transfer``. A volunteer's legs are also entries in the engine's ledger (their spendable
  points); a partner's account is the clearing balance between the two communities.
* **Limits.** A volunteer's points never go below zero (the engine's ledger refuses); a partner's
  clearing balance may be kept within ``min_balance``/``max_balance``; ``storage_cap`` is the most
  points a person may hold after a transfer in (time banks cap stored time so it is used, not hoarded).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.errors import Conflict, InvalidInput, NotFound
from engine.sdk import PlanContext
from engine.sdk import fmt_amount as fmt
from engine.sdk.policies import round_points
from engine.sdk.tables import upsert
from plugins.community.models import TimeBankLeg, TimeBankTransfer
from plugins.community.rules import CommunityRules, PartnerEntry
from plugins.community.units import ref, units

ZERO = Decimal(0)


def volunteer_account(volunteer_id: int) -> str:
    return f"volunteer:{volunteer_id}"


def partner_account(code: str) -> str:
    return f"partner:{code}"


def our_code(programme: Any) -> str:
    return programme.rules.time_bank.community_code or programme.id


def _rules(programme: Any) -> CommunityRules:
    rules: CommunityRules = programme.rules
    if not rules.time_bank.enabled:
        raise Conflict("本项目未开通时间银行 / the time bank is switched off in this programme (rules.time_bank.enabled)")
    return rules


def get_partner(rules: CommunityRules, code: str) -> PartnerEntry:
    for p in rules.time_bank.partners:
        if p.code == code:
            return p
    known = ", ".join(p.code for p in rules.time_bank.partners) or "(none)"
    raise NotFound(f"{code!r} 不是互认积分的伙伴社区 / {code!r} is not a partner community; partners: {known}",
                   field="partner")


def account_balance(session: Session, programme_id: str, account: str) -> Decimal:
    return Decimal(session.scalar(select(func.coalesce(func.sum(TimeBankLeg.amount), 0)).where(
        TimeBankLeg.programme_id == programme_id, TimeBankLeg.account == account)) or 0)


def _check_partner_limit(session: Session, programme_id: str, partner: PartnerEntry, change: Decimal) -> None:
    after = account_balance(session, programme_id, partner_account(partner.code)) + change
    if partner.min_balance is not None and after < partner.min_balance:
        raise Conflict(f"与 {partner.name} 的清算余额将为 {fmt(after)}，低于下限 {fmt(partner.min_balance)} / the clearing "
                       f"balance with {partner.code!r} would be {fmt(after)}, below its limit {fmt(partner.min_balance)}",
                       field="amount")
    if partner.max_balance is not None and after > partner.max_balance:
        raise Conflict(f"与 {partner.name} 的清算余额将为 {fmt(after)}，高于上限 {fmt(partner.max_balance)} / the clearing "
                       f"balance with {partner.code!r} would be {fmt(after)}, above its limit {fmt(partner.max_balance)}",
                       field="amount")


def _check_cap(ctx: PlanContext, rules: CommunityRules, volunteer_id: int, incoming: Decimal) -> None:
    cap = rules.time_bank.storage_cap
    if cap is None:
        return
    have = ctx.balance_for_update(volunteer_id, units(ctx.programme)[0])
    if have + incoming > cap:
        raise Conflict(f"转入后积分 {fmt(have + incoming)} 将超过储存上限 {fmt(cap)} / after this transfer the volunteer "
                       f"would hold {fmt(have + incoming)} points, above the storage cap of {fmt(cap)}", field="amount")


def _converted(ctx: PlanContext, amount: Decimal) -> Decimal:
    """A partner's points at its rate, rounded as this programme rounds its points (``rules.points.rounding``)."""
    pol = ctx.points_policy
    return round_points(amount, pol) if pol is not None else amount.quantize(Decimal("0.01"))


def _amount(value: Decimal) -> Decimal:
    amount = Decimal(str(value))
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(f"数额须为正数，最多两位小数 / amount must be positive with at most 2 decimals, got {value}",
                           field="amount")
    return amount


def _leg(session: Session, programme_id: str, transfer: TimeBankTransfer, account: str, amount: Decimal,
         entry_id: int | None = None) -> None:
    session.add(TimeBankLeg(transfer_id=transfer.id, programme_id=programme_id, account=account, amount=amount,
                            entry_id=entry_id))


def _volunteer_leg(ctx: PlanContext, transfer: TimeBankTransfer, volunteer_id: int, amount: Decimal,
                   side: str, reason: str, lifetime: bool = False) -> None:
    programme = ctx.programme
    points, life = units(programme)
    data = {"transfer": transfer.id, "kind": transfer.kind, "partner": transfer.partner_code,
            "source_ref": transfer.source_ref, "origin": transfer.origin,
            "earned_on": transfer.earned_on.isoformat() if transfer.earned_on else None}
    entry = ctx.append_ledger(volunteer_id, points, amount, kind="transfer", reason=reason,
                              ref=ref(programme.id, "tb", transfer.id, side, points), data=data,
                              what=f"时间银行转出 / time-bank transfer {transfer.id}")
    assert entry is not None
    _leg(ctx.session, programme.id, transfer, volunteer_account(volunteer_id), amount, entry.id)
    if lifetime and life and amount > 0:
        ctx.append_ledger(volunteer_id, life, amount, kind="transfer", reason=reason,
                          ref=ref(programme.id, "tb", transfer.id, side, life), data=data)


def inbound(ctx: PlanContext, *, partner: str, source_ref: str, volunteer_id: int, amount: Decimal,
            origin: str | None = None, earned_on: dt.date | None = None,
            note: str | None = None) -> tuple[TimeBankTransfer, bool]:
    """Points earned with a partner arrive at its rate, recorded by ``ctx.actor``; returns (transfer,
    created). Idempotent."""
    session, programme, actor = ctx.session, ctx.programme, ctx.actor
    rules = _rules(programme)
    p = get_partner(rules, partner)
    theirs = _amount(amount)
    origin = origin or p.code
    if origin == our_code(programme):
        raise Conflict(f"这些积分原本就在本社区获得，不能再次计入 / these points were earned here ({origin}); they are "
                       "already counted and cannot come back in", field="origin")
    vol = ctx.volunteer(volunteer_id)
    stmt = upsert(session, TimeBankTransfer).values(
        programme_id=programme.id, kind="inbound", amount=_converted(ctx, theirs * p.rate),
        partner_code=p.code, original_amount=theirs, rate=p.rate, source_ref=source_ref, origin=origin,
        earned_on=earned_on, note=note, created_by=actor, created_at=ctx.now)
    stmt = stmt.on_conflict_do_nothing(index_elements=["programme_id", "partner_code", "source_ref"])  # type: ignore[attr-defined]
    new_id = session.execute(stmt.returning(TimeBankTransfer.id)).scalar_one_or_none()
    if new_id is None:
        first = session.scalars(select(TimeBankTransfer).where(
            TimeBankTransfer.programme_id == programme.id, TimeBankTransfer.partner_code == p.code,
            TimeBankTransfer.source_ref == source_ref)).one()
        legs = {leg.account for leg in session.scalars(select(TimeBankLeg).where(TimeBankLeg.transfer_id == first.id))}
        if volunteer_account(volunteer_id) not in legs or Decimal(first.original_amount or 0) != theirs:
            raise Conflict(f"{p.name} 的记录 {source_ref} 已于转账 {first.id} 计入，内容不同 / {p.code}:{source_ref} was "
                           f"already received as transfer {first.id} with other details", field="source_ref")
        return first, False
    transfer = session.get(TimeBankTransfer, new_id)
    assert transfer is not None
    ours = Decimal(transfer.amount)
    if ours <= 0:
        raise InvalidInput(f"按汇率 {p.rate} 折算后为 0 / at rate {p.rate} this is worth nothing here", field="amount")
    _check_partner_limit(session, programme.id, p, -ours)
    _check_cap(ctx, rules, volunteer_id, ours)
    _leg(session, programme.id, transfer, partner_account(p.code), -ours)
    _volunteer_leg(ctx, transfer, vol.id, ours, "in",
                   f"{p.name} 互认积分 {fmt(theirs)} × {p.rate:g} / {fmt(theirs)} points from {p.code} at {p.rate:g}",
                   lifetime=rules.time_bank.count_lifetime)
    session.flush()
    return transfer, True


def outbound(ctx: PlanContext, *, volunteer_id: int, partner: str, amount: Decimal,
             note: str | None = None) -> TimeBankTransfer:
    """A volunteer's points leave for a partner community (e.g. they move there)."""
    session, programme, actor = ctx.session, ctx.programme, ctx.actor
    rules = _rules(programme)
    p = get_partner(rules, partner)
    value = _amount(amount)
    vol = ctx.volunteer(volunteer_id)
    _check_partner_limit(session, programme.id, p, value)
    transfer = TimeBankTransfer(programme_id=programme.id, kind="outbound", amount=value, partner_code=p.code,
                                original_amount=value, rate=Decimal(1), origin=our_code(programme), note=note,
                                created_by=actor, created_at=ctx.now)
    session.add(transfer)
    session.flush()
    transfer.source_ref = f"{our_code(programme)}:{transfer.id}"
    _volunteer_leg(ctx, transfer, vol.id, -value, "out", f"转往 {p.name} / to partner {p.code}")
    _leg(session, programme.id, transfer, partner_account(p.code), value)
    session.flush()
    return transfer


def person_transfer(ctx: PlanContext, *, from_volunteer: int, to_volunteer: int, amount: Decimal,
                    note: str | None = None) -> TimeBankTransfer:
    """One volunteer gives points to another (e.g. to a family member who needs services)."""
    session, programme, actor = ctx.session, ctx.programme, ctx.actor
    rules = _rules(programme)
    value = _amount(amount)
    if from_volunteer == to_volunteer:
        raise InvalidInput("不能转给自己 / a transfer needs two different volunteers", field="to_volunteer")
    giver = ctx.volunteer(from_volunteer)
    taker = ctx.volunteer(to_volunteer)
    _check_cap(ctx, rules, taker.id, value)
    transfer = TimeBankTransfer(programme_id=programme.id, kind="person", amount=value, note=note, created_by=actor,
                                created_at=ctx.now)
    session.add(transfer)
    session.flush()
    _volunteer_leg(ctx, transfer, giver.id, -value, "out", f"转给 {taker.name} / to {taker.name}")
    _volunteer_leg(ctx, transfer, taker.id, value, "in", f"来自 {giver.name} / from {giver.name}")
    session.flush()
    return transfer


def partner_balances(session: Session, programme: Any) -> list[dict[str, Any]]:
    rules: CommunityRules = programme.rules
    sums = dict(session.execute(select(TimeBankLeg.account, func.sum(TimeBankLeg.amount)).where(
        TimeBankLeg.programme_id == programme.id, TimeBankLeg.account.like("partner:%"))
        .group_by(TimeBankLeg.account)).all())
    return [{"code": p.code, "name": p.name, "rate": p.rate, "balance": Decimal(sums.get(partner_account(p.code), 0)),
             "min_balance": p.min_balance, "max_balance": p.max_balance} for p in rules.time_bank.partners]


def unbalanced_transfers(session: Session, programme_id: str) -> list[int]:
    """Transfers whose legs do not sum to zero (always empty; a check for audits and tests)."""
    return [int(t) for t in session.scalars(select(TimeBankLeg.transfer_id).where(TimeBankLeg.programme_id == programme_id)
                                            .group_by(TimeBankLeg.transfer_id).having(func.sum(TimeBankLeg.amount) != 0))]


def legs_of(session: Session, transfer_id: int) -> list[TimeBankLeg]:
    return list(session.scalars(select(TimeBankLeg).where(TimeBankLeg.transfer_id == transfer_id).order_by(TimeBankLeg.id)))
