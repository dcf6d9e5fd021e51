"""Time-bank accounts in the store (``rules.time_bank``): hours earned by service, transfers between
members, to partner communities and to named pools, all zero-sum, in hours to 2 decimals.

Accounts: ``v:<volunteer id>`` for a member, ``pool:<name>`` for a pool (the overflow pool, a
donation pool), ``partner:<code>`` for a partner community's clearing account. A balance is the
sum of the account's entries; a transfer writes two entries with one ``transfer`` key.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from engine.errors import Conflict, InvalidInput
from engine.programme import LoadedProgramme
from engine.rules import timebank as tb
from engine.rules.models import TimeBankPolicy
from engine.stages.records.models import ServiceRecord
from engine.stages.rewards.models import TimeBankEntry
from engine.store.base import utcnow


def policy_timebank(programme: LoadedProgramme) -> TimeBankPolicy | None:
    p = programme.policy
    return None if p is None or p.time_bank is None or "time_bank" in programme.shadowed else p.time_bank


def _policy(programme: LoadedProgramme) -> TimeBankPolicy:
    pol = policy_timebank(programme)
    if pol is None:
        raise InvalidInput("本项目没有时间银行规则 / this programme has no rules.time_bank", field="time_bank")
    return pol


def balance(session: Session, programme_id: str, account: str) -> tuple[Decimal, Decimal]:
    """(balance, of which donate-only) of an account, in hours."""
    total, donate = session.execute(select(
        func.coalesce(func.sum(TimeBankEntry.hours), 0),
        func.coalesce(func.sum(case((TimeBankEntry.donate_only.is_(True), TimeBankEntry.hours), else_=0)), 0))
        .where(TimeBankEntry.programme_id == programme_id, TimeBankEntry.account == account)).one()
    return Decimal(total), Decimal(donate)


def _entry(session: Session, programme: LoadedProgramme, account: str, hours: Decimal, kind: str, *, actor: str,
           reason: str, transfer: str | None = None, counterparty: str | None = None, donate_only: bool = False,
           flagged: bool = False) -> TimeBankEntry:
    row = TimeBankEntry(programme_id=programme.id, account=account, hours=hours, kind=kind, transfer=transfer,
                        counterparty=counterparty, donate_only=donate_only, flagged=flagged, reason=reason,
                        created_by=actor, created_at=utcnow())
    session.add(row)
    return row


def _lock(session: Session, programme_id: str, accounts: list[str]) -> None:
    """Serialise writers on these accounts (PostgreSQL row locks; SQLite serialises writers itself)."""
    session.execute(select(TimeBankEntry.id).where(TimeBankEntry.programme_id == programme_id,
                                                   TimeBankEntry.account.in_(sorted(accounts))).with_for_update())


def _arrive(session: Session, programme: LoadedProgramme, pol: TimeBankPolicy, account: str, hours: Decimal,
            kind: str, *, actor: str, reason: str, transfer: str, counterparty: str | None,
            donate_only: bool) -> dict[str, Any]:
    held, _ = balance(session, programme.id, account)
    d = tb.receive(pol, held, hours) if account.startswith("v:") else tb.Decision(kept=hours)
    if d.refused:
        raise Conflict(d.refused, rule=d.rule)
    if d.kept:
        _entry(session, programme, account, d.kept, kind, actor=actor, reason=reason, transfer=transfer,
               counterparty=counterparty, donate_only=donate_only)
    if d.overflow:
        _entry(session, programme, f"pool:{pol.overflow_pool}", d.overflow, "overflow", actor=actor,
               reason=f"超出存储上限转入 / overflow above the cap from {account}", transfer=transfer,
               counterparty=account, donate_only=donate_only)
    return {"kept": str(d.kept), "overflow": str(d.overflow), "pool": pol.overflow_pool if d.overflow else None}


def earn(session: Session, programme: LoadedProgramme, record: ServiceRecord, *, actor: str) -> dict[str, Any] | None:
    """A verified record's credited hours into the member's account (a reversal takes them back)."""
    pol = policy_timebank(programme)
    if pol is None or record.adjusts_id is not None:
        return None
    account = f"v:{record.volunteer_id}"
    key = f"rec:{record.id}"
    donate_only = record.category in pol.donate_only_categories
    if record.reverses_id is not None:
        back = session.scalars(select(TimeBankEntry).where(TimeBankEntry.programme_id == programme.id,
                                                           TimeBankEntry.transfer == f"rec:{record.reverses_id}"))
        for e in list(back):
            _entry(session, programme, e.account, -Decimal(e.hours), "reversal", actor=actor, transfer=key,
                   reason=f"冲正 / reversal of record #{record.reverses_id}", donate_only=e.donate_only)
        session.flush()
        return {"reversed": record.reverses_id}
    hours = tb.rounded(pol, Decimal(record.minutes) / 60)
    if hours <= 0:
        return None
    _lock(session, programme.id, [account])
    out = _arrive(session, programme, pol, account, hours, "earn", actor=actor, transfer=key, counterparty=None,
                  reason=f"服务记录 #{record.id} / service record #{record.id}", donate_only=donate_only)
    session.flush()
    return out


def transfer(session: Session, programme: LoadedProgramme, source: str, target: str, hours: Decimal, *, actor: str,
             reason: str, donation: bool = False) -> dict[str, Any]:
    """Move hours between accounts, zero-sum: a member to a member, to a pool (a donation), or to a
    partner community's clearing account (``partner:<code>``, only the partners the policy lists)."""
    pol = _policy(programme)
    for acc in (source, target):
        kind, _, name = acc.partition(":")
        if kind not in ("v", "pool", "partner") or not name:
            raise InvalidInput(f"账户 {acc!r} 无效 / account {acc!r}: use v:<id>, pool:<name> or partner:<code>",
                               field="account")
        if kind == "partner" and name not in pol.partners:
            raise InvalidInput(f"{name} 不是伙伴社区 / {name!r} is not a partner community; partners: "
                               f"{', '.join(pol.partners) or '(none)'} (rules.time_bank.partners)", field="account")
    if source == target:
        raise InvalidInput("转出与转入账户相同 / source and target are the same account", field="account")
    amount = tb.rounded(pol, Decimal(hours))
    if amount <= 0:
        raise InvalidInput(f"{hours} 小时按 {pol.rounding.step} 取整后为 0 / {hours} h rounds to 0 "
                           f"(rules.time_bank.rounding)", field="hours")
    donation = donation or target.startswith("pool:")
    _lock(session, programme.id, [source, target])
    held, donate_only = balance(session, programme.id, source)
    d = tb.send(pol, held, donate_only, amount, donation=donation) if source.startswith("v:") else tb.Decision(
        kept=amount)
    if d.refused:
        raise Conflict(d.refused, rule=d.rule)
    key = uuid.uuid4().hex
    from_donate = min(amount, max(Decimal(0), donate_only)) if donation else Decimal(0)
    if from_donate:
        _entry(session, programme, source, -from_donate, "donate", actor=actor, reason=reason, transfer=key,
               counterparty=target, donate_only=True, flagged=d.flagged)
    if amount - from_donate:
        _entry(session, programme, source, -(amount - from_donate), "donate" if donation else "transfer", actor=actor,
               reason=reason, transfer=key, counterparty=target, flagged=d.flagged)
    arrived = _arrive(session, programme, pol, target, amount, "donate" if donation else "transfer", actor=actor,
                      reason=reason, transfer=key, counterparty=source, donate_only=False)
    session.flush()
    return {"transfer": key, "hours": str(amount), "flagged": d.flagged, **arrived}


def flagged_accounts(session: Session, programme_id: str) -> list[str]:
    """Accounts that went below the floor under ``on_floor: flag`` (for a coordinator)."""
    return sorted(set(session.scalars(select(TimeBankEntry.account).where(
        TimeBankEntry.programme_id == programme_id, TimeBankEntry.flagged.is_(True)))))
