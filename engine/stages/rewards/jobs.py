"""The rewards stage's scheduled work, run by the scheduled path like any plan type's.

* The yearly reset of spendable points (:mod:`engine.stages.rewards.yearly_reset`), for every
  programme whose ``rules.points.reset.yearly`` is on: at the first tick of a points year it takes
  what was earned before the year began. One claim per (programme, unit, year), kept for good, so a
  year runs once on however many workers and later ticks cost one ``INSERT … ON CONFLICT``. A
  plan type or an admin may have run that year by hand before: the ledger refs make it a no-op.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from engine.hookspecs import hookimpl

if TYPE_CHECKING:
    from engine.programme import LoadedProgramme

JOB = "engine.stages.rewards.jobs"


@hookimpl
def volunteer_scheduled(programme: LoadedProgramme, now: dt.datetime, ctx: Any) -> dict[str, Any] | None:
    from engine.stages.rewards.points_policy import policy_points
    from engine.stages.rewards.yearly_reset import reset_year
    from engine.timeutil import year_of

    policy = policy_points(programme)
    if policy is None or not policy.reset.yearly:
        return None
    year = year_of(policy.reset.year_start, programme.config.timezone, now)
    if not ctx.claim(JOB, f"points-reset:{policy.unit}:{year}"):
        return None
    volunteers, total = reset_year(ctx, policy, year)
    return {"points_reset": {"year": year, "volunteers": volunteers, "total": str(total)}} if volunteers else None
