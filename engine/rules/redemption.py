"""Redemption limits: how often (N per month, quarter or year, per item, per flag and over the
whole catalogue) and who (from a level, from lifetime hours, from hours this year). A refusal
names the rule and, for a frequency limit, the date it opens again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from engine.rules.models import ItemLimit, Period


def period_bounds(day: dt.date, per: Period) -> tuple[dt.date, dt.date]:
    """[first day, first day of the next period) containing ``day`` (calendar periods)."""
    if per == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year + 1, 1, 1)
    months = 3 if per == "quarter" else 1
    start_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, start_month, 1)
    end_month = start_month + months
    end = dt.date(day.year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
    return start, end


PER_ZH = {"month": "每月", "quarter": "每季度", "year": "每年"}


def refusal(limit: ItemLimit, rule: str, *, today: dt.date, used: int, level_rank: int | None,
            min_rank: int | None, lifetime_hours: Decimal, year_hours: Decimal) -> tuple[str, str | None] | None:
    """(message, next opening date) when ``limit`` refuses, else ``None``."""
    if limit.min_level is not None and (level_rank is None or min_rank is None or level_rank < min_rank):
        return (f"须达到 {limit.min_level}（{rule}）/ needs level {limit.min_level!r} or above ({rule})", None)
    if limit.min_hours is not None and lifetime_hours < limit.min_hours:
        return (f"累计服务须满 {limit.min_hours:g} 小时，现 {lifetime_hours:g} 小时（{rule}）/ needs "
                f"{limit.min_hours:g} h of service, has {lifetime_hours:g} h ({rule})", None)
    if limit.min_hours_this_year is not None and year_hours < limit.min_hours_this_year:
        return (f"本年度服务须满 {limit.min_hours_this_year:g} 小时，现 {year_hours:g} 小时（{rule}）/ needs "
                f"{limit.min_hours_this_year:g} h of service this year, has {year_hours:g} h ({rule})", None)
    if limit.max is not None and used >= limit.max:
        opens = period_bounds(today, limit.per)[1]
        return (f"{PER_ZH[limit.per]}限兑 {limit.max} 次，已兑 {used} 次，{opens.isoformat()} 起可再兑（{rule}）/ "
                f"at most {limit.max} per {limit.per}, {used} used; opens again on {opens.isoformat()} ({rule})",
                opens.isoformat())
    return None
