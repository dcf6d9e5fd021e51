"""The yearly reset of spendable points (``rules.points.reset``, seed 001 §1(一) 积分累积实行年度清零制度).

Every plan type whose ``rules.points.reset.yearly`` is on gets it: the scheduled path
(:mod:`engine.stages.rewards.jobs`) runs it once the year has begun, and a plan type or an admin
may run it earlier by hand (:meth:`engine.sdk.rewards.RewardsMethods.reset_points_year`).

**What is reset: the balance as it stood when the year began.** The year starts on
``reset.year_start`` (MM-DD, default 01-01) at local midnight in the programme's time zone; "year
2027" is the one starting in 2027. A reset may run days late, so each ledger entry is dated by the
service it was earned for (the record's start; entries without a record by when they were
written). Points earned for services of the new year survive; points spent since the year began
are taken from the old balance first (first in, first out)::

    reset = min(balance now, max(0, earned before the year began + spent since))

A plain "take every balance to zero" (``POST …/ledger/reset``) would also wipe what was earned for
the new year's first days whenever the reset runs after them.

Each volunteer's reset is one ``reset`` entry (ref ``reset:<programme>:<unit>:<year>:<volunteer>``),
so a year is never taken twice, whoever runs it and however often; the balances are locked first
(:meth:`engine.sdk.context.PlanContext.reset_balances`), so a redemption racing it is wholly before
or wholly after. Lifetime points (``reset.lifetime_unit``) are never reset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from engine.errors import Conflict
from engine.rules.models import PointsPolicy
from engine.stages.records.models import ServiceRecord
from engine.stages.rewards.models import LedgerEntry
from engine.timeutil import year_start

ZERO = Decimal(0)
RULE = "rules.points.reset.yearly (seed 001 §1(一) 积分累积实行年度清零制度)"


def ref_prefix(programme_id: str, unit: str, year: int) -> str:
    return f"reset:{programme_id}:{unit}:{year}:"


def _earned_and_spent(session: Session, programme_id: str, unit: str,
                      moment: dt.datetime) -> dict[int, tuple[Decimal, Decimal]]:
    """By volunteer: (net earned before ``moment``, debits since ``moment`` (≤ 0))."""
    earned_at = func.coalesce(ServiceRecord.started_at, LedgerEntry.created_at)
    rows = session.execute(
        select(LedgerEntry.volunteer_id,
               func.sum(case((earned_at < moment, LedgerEntry.amount), else_=0)),
               func.sum(case((and_(earned_at >= moment, LedgerEntry.amount < 0), LedgerEntry.amount), else_=0)))
        .outerjoin(ServiceRecord, ServiceRecord.id == LedgerEntry.record_id)
        .where(LedgerEntry.programme_id == programme_id, LedgerEntry.unit == unit)
        .group_by(LedgerEntry.volunteer_id))
    return {int(v): (Decimal(b or 0), Decimal(s or 0)) for v, b, s in rows}


def reset_year(ctx: Any, policy: PointsPolicy, year: int, *, rule: str = RULE) -> tuple[int, Decimal]:
    """Run the reset of points year ``year`` as ``ctx.actor`` at ``ctx.now``: (volunteers reset, total).

    Refused before the year has begun. A year already reset takes nothing more (0, 0)."""
    moment = year_start(policy.reset.year_start, ctx.programme.config.timezone, year)
    if ctx.now < moment:
        raise Conflict(f"{year} 年度清零时间（{moment.isoformat()}）未到 / the {year} reset is not due before "
                       f"{moment.isoformat()}", year=year)
    session, pid, unit = ctx.session, ctx.programme.id, policy.unit

    def decide(balances: Mapping[int, Decimal]) -> dict[int, tuple[Decimal, dict[str, Any]]]:
        sums = _earned_and_spent(session, pid, unit, moment)  # read after the balances are locked
        out: dict[int, tuple[Decimal, dict[str, Any]]] = {}
        for vid, balance in balances.items():
            before, spent_after = sums.get(vid, (ZERO, ZERO))
            out[vid] = (max(ZERO, before + spent_after),
                        {"year": year, "reset_at": moment.isoformat(), "balance": str(balance),
                         "earned_before": str(before), "spent_since": str(-spent_after), "rule": rule})
        return out

    taken: tuple[int, Decimal] = ctx.reset_balances(unit, str(year), decide, reason=f"{year} 年度清零 / yearly reset {year}")
    return taken


def year_totals(session: Session, programme_id: str, unit: str, year: int) -> tuple[int, Decimal]:
    """What the reset of ``year`` took, whoever ran it: (volunteers, total), from the ledger."""
    n, total = session.execute(select(func.count(), func.coalesce(func.sum(-LedgerEntry.amount), 0)).where(
        LedgerEntry.programme_id == programme_id, LedgerEntry.unit == unit, LedgerEntry.kind == "reset",
        LedgerEntry.ref.startswith(ref_prefix(programme_id, unit, year), autoescape=True))).one()
    return int(n), Decimal(total)
