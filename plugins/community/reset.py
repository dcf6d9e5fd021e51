"""积分年度清零 The yearly reset of spendable points (seed 001 §1(一)).

"积分累积实行年度清零制度,但可设立终身成就积分": spendable ``points`` reset when the community year
begins (``rules.year_start``, default 1 January, programme time zone); ``lifetime_points`` never do.

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
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, insert, select, update
from sqlalchemy.orm import Session

from engine.errors import Conflict
from engine.stages.records.models import ServiceRecord
from engine.stages.records.service import dialect_insert
from engine.stages.rewards.models import Balance, LedgerEntry
from engine.store import utcnow
from plugins.community.models import PointsReset
from plugins.community.points import POINTS
from plugins.community.rules import CommunityRules
from plugins.community.years import year_of, year_start

ZERO = Decimal(0)


def due_year(programme: Any, now: dt.datetime | None = None) -> int:
    """The latest year whose reset is due (the current community year)."""
    return year_of(programme.rules, programme.config.timezone, now or utcnow())


def reset_ref(programme_id: str, year: int, volunteer_id: int) -> str:
    return f"reset:{programme_id}:{POINTS}:{year}:{volunteer_id}"


def _claim(session: Session, programme: Any, year: int, moment: dt.datetime, actor: str,
           now: dt.datetime) -> int | None:
    stmt = dialect_insert(session, PointsReset).values(
        programme_id=programme.id, year=year, reset_at=moment, volunteers=0, total=ZERO, run_by=actor, run_at=now)
    stmt = stmt.on_conflict_do_nothing(index_elements=["programme_id", "year"])  # type: ignore[attr-defined]
    return session.execute(stmt.returning(PointsReset.id)).scalar_one_or_none()


def reset_points(session: Session, programme: Any, year: int, *, actor: str,
                 now: dt.datetime | None = None) -> tuple[PointsReset, bool]:
    """Run the reset of community year ``year`` (the one at its start); returns (marker, ran now)."""
    rules: CommunityRules = programme.rules
    now = now or utcnow()
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
    volunteers, total = _reset_balances(session, programme.id, year, moment, actor, now)
    session.execute(update(PointsReset).where(PointsReset.id == marker_id).values(volunteers=volunteers, total=total)
                    .execution_options(synchronize_session=False))
    marker = session.get(PointsReset, marker_id)
    assert marker is not None
    session.refresh(marker)
    return marker, True


def _reset_balances(session: Session, programme_id: str, year: int, moment: dt.datetime, actor: str,
                    now: dt.datetime) -> tuple[int, Decimal]:
    locked = session.execute(select(Balance.id, Balance.volunteer_id, Balance.amount).where(
        Balance.programme_id == programme_id, Balance.unit == POINTS, Balance.amount > 0)
        .order_by(Balance.volunteer_id).with_for_update()).all()
    if not locked:
        return 0, ZERO
    earned_at = func.coalesce(ServiceRecord.started_at, LedgerEntry.created_at)
    sums = dict((v, (Decimal(b or 0), Decimal(s or 0))) for v, b, s in session.execute(
        select(LedgerEntry.volunteer_id,
               func.sum(case((earned_at < moment, LedgerEntry.amount), else_=0)),
               func.sum(case((and_(earned_at >= moment, LedgerEntry.amount < 0), LedgerEntry.amount), else_=0)))
        .outerjoin(ServiceRecord, ServiceRecord.id == LedgerEntry.record_id)
        .where(LedgerEntry.programme_id == programme_id, LedgerEntry.unit == POINTS)
        .group_by(LedgerEntry.volunteer_id)))
    refs = [reset_ref(programme_id, year, v) for _, v, _ in locked]
    done = set(session.scalars(select(LedgerEntry.ref).where(LedgerEntry.ref.in_(refs))))
    entries, moves = [], []
    for bid, vid, amount in locked:
        balance = Decimal(amount)
        before, spent_after = sums.get(vid, (ZERO, ZERO))
        take = min(balance, max(ZERO, before + spent_after))
        if take <= 0 or reset_ref(programme_id, year, vid) in done:
            continue
        entries.append(dict(
            programme_id=programme_id, volunteer_id=vid, unit=POINTS, amount=-take, kind="reset",
            reason=f"{year} 年度清零 / yearly reset {year}", record_id=None, reverses_id=None,
            ref=reset_ref(programme_id, year, vid), created_by=actor, created_at=now,
            data={"year": year, "reset_at": moment.isoformat(), "balance": str(balance), "earned_before": str(before),
                  "spent_since": str(-spent_after), "rule": "seed 001 §1(一) 积分累积实行年度清零制度"}))
        moves.append({"id": bid, "amount": balance - take})
    if entries:
        session.execute(insert(LedgerEntry), entries)
        session.execute(update(Balance), moves)  # the rows are locked above
    return len(entries), sum((-e["amount"] for e in entries), ZERO)


def list_resets(session: Session, programme_id: str) -> list[PointsReset]:
    return list(session.scalars(select(PointsReset).where(PointsReset.programme_id == programme_id)
                                .order_by(PointsReset.year)))
