"""Credited minutes: how a record's minutes derive from its raw check-in and check-out.

The raw facts stay on the record (``started_at``, ``ended_at``, ``raw_minutes``: what was served
or entered); ``minutes`` holds the credited figure this policy derives, so every reader (totals,
levels, hours to next, reports, exports, plan types) sums the same column and gets one answer.
A rule change is replayed from the raw facts (:mod:`engine.rules.replay`).

Order of the steps (each documented in ``docs/rules.md``): the served span (clipped to the shift
when ``count_from: shift``) → nothing below ``min_minutes`` → travel added when counted → rounding
to ``rounding.step`` minutes → the cap per activity → the cap per day (what the day's earlier
activities already credited is taken off first). Transferred-in records keep the minutes the
issuing organisation certified (谁记录谁证明, 民政部令第67号), so the policy does not touch them.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, case, literal

from engine.rules.models import HoursPolicy, Rounding

_MODES = {"down": ROUND_FLOOR, "up": ROUND_CEILING, "nearest": ROUND_HALF_UP, "half_up": ROUND_HALF_UP,
          "half_even": ROUND_HALF_EVEN}


def round_to(value: Decimal, rounding: Rounding) -> Decimal:
    """``value`` rounded to a multiple of ``rounding.step`` (down, up, nearest = half up, half even)."""
    steps = (Decimal(value) / rounding.step).quantize(Decimal(1), rounding=_MODES[rounding.mode])
    return steps * rounding.step


def served_minutes(started_at: dt.datetime, ended_at: dt.datetime, raw_minutes: int,
                   policy: HoursPolicy, shift: tuple[dt.datetime, dt.datetime] | None) -> int:
    """The served minutes before rounding and caps: the raw figure, clipped to the shift if asked."""
    if policy.count_from == "shift" and shift is not None:
        start, end = max(started_at, shift[0]), min(ended_at, shift[1])
        clipped = max(0, int((end - start).total_seconds()) // 60)
        return min(raw_minutes, clipped)
    return raw_minutes


def credit(policy: HoursPolicy, *, started_at: dt.datetime, ended_at: dt.datetime, raw_minutes: int,
           shift: tuple[dt.datetime, dt.datetime] | None = None, day_credited: int = 0) -> int:
    """Credited minutes of one activity; ``day_credited``: what the same day already credited."""
    minutes = served_minutes(started_at, ended_at, raw_minutes, policy, shift)
    if minutes <= 0 or minutes < policy.min_minutes:
        return 0
    if policy.travel.counted:
        minutes += policy.travel.minutes
    minutes = int(round_to(Decimal(minutes), policy.rounding))
    if policy.cap_per_activity_hours is not None:
        minutes = min(minutes, int(policy.cap_per_activity_hours * 60))
    if policy.cap_per_day_hours is not None:
        minutes = max(0, min(minutes, int(policy.cap_per_day_hours * 60) - max(0, day_credited)))
    return max(0, minutes)


def day_bounds(when: dt.datetime, tz: Any) -> tuple[dt.datetime, dt.datetime]:
    """The programme-local day containing ``when``, as UTC-aware instants."""
    local = when.astimezone(tz)
    start = dt.datetime.combine(local.date(), dt.time(0), tzinfo=tz)
    return start.astimezone(dt.UTC), (start + dt.timedelta(days=1)).astimezone(dt.UTC)


def level_kinds(programme: Any) -> list[str]:
    """Captured kinds whose hours count for levels: ``rules.hours.level_kinds``, else ``rewards.level_hours_from``."""
    policy = programme.rules_policy.hours
    return list(policy.level_kinds if policy.level_kinds is not None else programme.config.rewards.level_hours_from)


def counts_for_levels(programme: Any, captured: str, category: str) -> bool:
    return captured in level_kinds(programme) and category not in programme.rules_policy.hours.exclude_from_levels


def level_condition(programme: Any, captured_col: Any, category_col: Any) -> Any:
    """The SQL form of :func:`counts_for_levels`."""
    cond = captured_col.in_(level_kinds(programme))
    excluded = programme.rules_policy.hours.exclude_from_levels
    return and_(cond, category_col.not_in(excluded)) if excluded else cond


def level_minutes_expr(programme: Any, minutes_col: Any, captured_col: Any, category_col: Any) -> Any:
    return case((level_condition(programme, captured_col, category_col), minutes_col), else_=literal(0))
