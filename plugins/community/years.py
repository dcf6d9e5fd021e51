"""The community year and the appeal review periods, in the programme's time zone.

Why one definition: the yearly points reset (seed 001 §1(一) 年度清零) and backbone status (seed 003
附件4 第四条 "每年…48小时") both speak of "the year"; using one year for both means a volunteer's
backbone hours restart on the same day their spendable points are reset. The year starts on
``rules.year_start`` (default 01-01) at local midnight; "year 2026" is the one starting in 2026.
A service belongs to the year in which it started (a night shift over New Year counts in the old year).
"""

from __future__ import annotations

import datetime as dt

from engine.sdk import policies
from plugins.community.rules import CommunityRules


def year_start(rules: CommunityRules, tz: str, year: int) -> dt.datetime:
    """The instant (UTC) community year ``year`` begins (the engine's year arithmetic, as the yearly
    points reset reckons it)."""
    return policies.year_start(rules.year_start, tz, year)


def year_bounds(rules: CommunityRules, tz: str, year: int) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of community year ``year`` as UTC instants."""
    return year_start(rules, tz, year), year_start(rules, tz, year + 1)


def year_of(rules: CommunityRules, tz: str, when: dt.datetime) -> int:
    """The community year an instant falls in."""
    return policies.year_of(rules.year_start, tz, when)


def period_of(day: dt.date, cadence_months: int) -> tuple[str, dt.date]:
    """The review period a day falls in and its last day: quarterly ``2026Q1`` (ends 2026-03-31),
    monthly ``2026M03``, half-yearly ``2026H1``, yearly ``2026``. Seed 001 §1(三): 每季度审核积分数据."""
    index = (day.month - 1) // cadence_months
    first_month_next = index * cadence_months + cadence_months + 1
    if first_month_next > 12:
        last = dt.date(day.year, 12, 31)
    else:
        last = dt.date(day.year, first_month_next, 1) - dt.timedelta(days=1)
    label = {1: f"{day.year}M{index + 1:02d}", 3: f"{day.year}Q{index + 1}", 6: f"{day.year}H{index + 1}",
             12: f"{day.year}"}[cadence_months]
    return label, last
