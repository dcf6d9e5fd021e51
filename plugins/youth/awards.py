"""Awards by age band over a service year (``rules.award_pack``, e.g. ``pvsa``; engine policy
:mod:`engine.rules.age_awards`) and the student's hours in each service year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from engine.errors import InvalidInput
from engine.sdk import PlanContext, age_awards_policy, award_for, service_year


def scheme(ctx: PlanContext) -> Any:
    name = getattr(ctx.rules, "award_pack", None)
    if not name:
        return None
    policy = age_awards_policy(name, ctx.host)
    if policy is None:
        raise InvalidInput(f"规则包 {name} 没有按年龄段的奖项 / pack {name!r} has no age_awards", field="rules.award_pack")
    return policy


def awards(ctx: PlanContext, volunteer_id: int) -> list[dict[str, Any]]:
    """One line per service year the student served in: band, hours, level reached, hours to the next."""
    policy = scheme(ctx)
    if policy is None:
        return []
    birth = ctx.volunteer(volunteer_id).birth_date
    hours: dict[dt.date, Decimal] = {}
    for rec in ctx.organisation_records(volunteer_id):
        start, _end = service_year(policy, rec.day)
        hours[start] = hours.get(start, Decimal(0)) + Decimal(max(rec.minutes, 0)) / 60
    out = []
    for start in sorted(hours):
        res = award_for(policy, birth, start, hours[start].quantize(Decimal("0.01")))
        year = res["year"]
        out.append({"scheme": policy.title, "year_start": year[0], "year_end": year[1],  # type: ignore[index]
                    "band": res["band"], "age": res["age"], "hours": res["hours"], "level": res["level"],
                    "next": res["next"]})
    return out
