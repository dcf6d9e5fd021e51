"""积分年度清零 The yearly reset of spendable points (seed 001 §1(一)).

"积分累积实行年度清零制度,但可设立终身成就积分": spendable ``points`` reset when the community year
begins (``rules.year_start``, default 1 January, programme time zone); ``lifetime_points`` never do.
The units are the engine's points policy's (``rules.points``); the reset stays this plan type's own
rather than the engine's ``reset_unit`` (which takes the whole balance): it takes only what was
earned before the year began, so points earned for the new year's services survive a late run.

How it is done, and why:

* **A ledger entry, not a deletion.** Each volunteer's reset is one ``reset`` entry (ref
  ``reset:<programme>:points:<year>:<volunteer>``, the engine's own reset ref, so the engine's
  generic reset and this one never both take a year) and the balance cache moves with it.
* **Exactly once per year.** A marker row (unique programme + year) is claimed first with
  ``INSERT … ON CONFLICT DO NOTHING``; a second trigger — even a concurrent one — finds it taken and
  changes nothing. Years must run in order (a year after a later one is refused).
* **What is reset: the balance as it stood when the year began.** The reset may run days later, so
  each entry is dated by the service it was earned for (``record.started_at``; entries without a
  record by when they were written). Points earned for services of the new year survive; points
  spent since the year began are taken from the old balance first (first in, first out)::

      reset = min(balance now, max(0, earned before the year began + spent since))

* **Racing redemptions.** The balance rows are locked (``FOR UPDATE`` on PostgreSQL; SQLite
  serialises writers) before they are read, and a redemption's debit is a conditional ``UPDATE …
  WHERE amount >= cost``: whichever commits first, the other sees its result, so no balance goes
  negative and the ledger always sums to the balance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.orm import Session

from engine.errors import Conflict
from engine.sdk import PlanContext
from engine.sdk.tables import LedgerEntry, ServiceRecord, upsert, utcnow
from plugins.community.models import PointsReset
from plugins.community.rules import CommunityRules
from plugins.community.units import POINTS, units
from plugins.community.years import year_of, year_start

ZERO = Decimal(0)


def due_year(programme: Any, now: dt.datetime | None = None) -> int:
    """The latest year whose reset is due (the current community year)."""
    return year_of(programme.rules, programme.config.timezone, now or utcnow())


def reset_ref(programme_id: str, year: int, volunteer_id: int) -> str:
    return f"reset:{programme_id}:{POINTS}:{year}:{volunteer_id}"


def _claim(session: Session, programme: Any, year: int, moment: dt.datetime, actor: str,
           now: dt.datetime) -> int | None:
    stmt = upsert(session, PointsReset).values(
        programme_id=programme.id, year=year, reset_at=moment, volunteers=0, total=ZERO, run_by=actor, run_at=now)
    stmt = stmt.on_conflict_do_nothing(index_elements=["programme_id", "year"])  # type: ignore[attr-defined]
    return session.execute(stmt.returning(PointsReset.id)).scalar_one_or_none()


def reset_points(ctx: PlanContext, year: int) -> tuple[PointsReset, bool]:
    """Run the reset of community year ``year`` (the one at its start) as ``ctx.actor`` at ``ctx.now``;
    returns (marker, ran now)."""
    session, programme, actor, now = ctx.session, ctx.programme, ctx.actor, ctx.now
    rules: CommunityRules = programme.rules
    moment = year_start(rules, programme.config.timezone, year)
    if now < moment:
        raise Conflict(f"{year} 年度清零时间（{moment.isoformat()}）未到 / the {year} reset is not due before "
                       f"{moment.isoformat()}", year=year)
    later = session.scalar(select(func.max(PointsReset.year)).where(PointsReset.programme_id == programme.id))
    if later is not None and later > year:
        raise Conflict(f"已执行 {later} 年度清零，不能再执行更早的 {year} 年 / the {later} reset already ran; an earlier "
                       f"year ({year}) cannot run after it (its points were included)", year=year)
    marker_id = _claim(session, programme, year, moment, actor, now)
    if marker_id is None:
        existing = session.scalars(select(PointsReset).where(
            PointsReset.programme_id == programme.id, PointsReset.year == year)).one()
        return existing, False
    volunteers, total = _reset_balances(ctx, year, moment)
    session.execute(update(PointsReset).where(PointsReset.id == marker_id).values(volunteers=volunteers, total=total)
                    .execution_options(synchronize_session=False))
    marker = session.get(PointsReset, marker_id)
    assert marker is not None
    session.refresh(marker)
    return marker, True


def _reset_balances(ctx: PlanContext, year: int, moment: dt.datetime) -> tuple[int, Decimal]:
    """The entries, through the engine's reset (it locks the balances, then asks :func:`decide`)."""
    session, programme_id = ctx.session, ctx.programme.id
    unit = units(ctx.programme)[0]

    def decide(balances: Mapping[int, Decimal]) -> dict[int, tuple[Decimal, dict[str, Any]]]:
        # read after the balances are locked, so a redemption committed meanwhile is counted
        earned_at = func.coalesce(ServiceRecord.started_at, LedgerEntry.created_at)
        sums = dict((v, (Decimal(b or 0), Decimal(s or 0))) for v, b, s in session.execute(
            select(LedgerEntry.volunteer_id,
                   func.sum(case((earned_at < moment, LedgerEntry.amount), else_=0)),
                   func.sum(case((and_(earned_at >= moment, LedgerEntry.amount < 0), LedgerEntry.amount), else_=0)))
            .outerjoin(ServiceRecord, ServiceRecord.id == LedgerEntry.record_id)
            .where(LedgerEntry.programme_id == programme_id, LedgerEntry.unit == unit)
            .group_by(LedgerEntry.volunteer_id)))
        out: dict[int, tuple[Decimal, dict[str, Any]]] = {}
        for vid, balance in balances.items():
            before, spent_after = sums.get(vid, (ZERO, ZERO))
            out[vid] = (max(ZERO, before + spent_after),
                        {"year": year, "reset_at": moment.isoformat(), "balance": str(balance),
                         "earned_before": str(before), "spent_since": str(-spent_after),
                         "rule": "seed 001 §1(一) 积分累积实行年度清零制度"})
        return out

    return ctx.reset_balances(unit, str(year), decide, reason=f"{year} 年度清零 / yearly reset {year}")


def list_resets(session: Session, programme_id: str) -> list[PointsReset]:
    return list(session.scalars(select(PointsReset).where(PointsReset.programme_id == programme_id)
                                .order_by(PointsReset.year)))
