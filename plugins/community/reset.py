"""积分年度清零 The yearly reset of spendable points (seed 001 §1(一)): the community's record of it.

"积分累积实行年度清零制度,但可设立终身成就积分": spendable ``points`` reset when the community year
begins (``rules.year_start``, default 1 January, programme time zone); ``lifetime_points`` never do.
The reset itself is the engine's (``rules.points.reset``; :meth:`PlanContext.reset_points_year`):
it takes only what was earned before the year began, so points earned for the new year's services
survive a late run, and the scheduled path runs it by itself at the year's first tick. A load check
keeps ``rules.year_start`` equal to ``rules.points.reset.year_start``.

What this module adds, and why:

* **A marker per year** (who ran it, when, how many volunteers, what total), for the community's
  report and ``GET …/community/resets``. It is claimed first with ``INSERT … ON CONFLICT DO
  NOTHING``; a second trigger — even a concurrent one — finds it taken and changes nothing. Its
  figures are read from the ledger's reset entries of that year, so they are right also when the
  scheduled path took the year before anyone ran it by hand.
* **Years in order.** A year after a later one is refused (its points were included).
* **Racing redemptions** are the engine's concern: the balance rows are locked before they are read,
  and a redemption's debit is a conditional ``UPDATE … WHERE amount >= cost``, so no balance goes
  negative and the ledger always sums to the balance.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from engine.errors import Conflict
from engine.sdk import PlanContext
from engine.sdk.tables import upsert, utcnow
from plugins.community.models import PointsReset
from plugins.community.rules import CommunityRules
from plugins.community.years import year_of, year_start

ZERO = Decimal(0)


def due_year(programme: Any, now: dt.datetime | None = None) -> int:
    """The latest year whose reset is due (the current community year)."""
    return year_of(programme.rules, programme.config.timezone, now or utcnow())


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
    ctx.reset_points_year(year)
    volunteers, total = ctx.points_reset_taken(year)  # the scheduled path may have run it already
    session.execute(update(PointsReset).where(PointsReset.id == marker_id).values(volunteers=volunteers, total=total)
                    .execution_options(synchronize_session=False))
    marker = session.get(PointsReset, marker_id)
    assert marker is not None
    session.refresh(marker)
    return marker, True


def list_resets(session: Session, programme_id: str) -> list[PointsReset]:
    return list(session.scalars(select(PointsReset).where(PointsReset.programme_id == programme_id)
                                .order_by(PointsReset.year)))


def record_scheduled(ctx: PlanContext) -> int | None:
    """Write the marker of the current year once the engine's scheduled path has reset it (a year
    it took nothing from leaves no marker); returns the year recorded, else None."""
    year = due_year(ctx.programme, ctx.now)
    known = ctx.session.scalar(select(PointsReset.id).where(
        PointsReset.programme_id == ctx.programme.id, PointsReset.year >= year))
    if known is not None or ctx.points_reset_taken(year)[0] == 0:
        return None
    reset_points(ctx, year)
    return year
