"""Points: rate per hour by category, a cap of counted hours per activity, rating and outcome
multipliers, one-off and streak bonuses (figures of seed 001 in the ``community-points-001`` pack).

Pure functions; the rewards stage writes what they return to the ledger.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from engine.rules.hours import _MODES, round_to
from engine.rules.models import PointsPolicy, Rounding, Streak


@dataclass(frozen=True)
class Earned:
    amount: Decimal
    kind: str  # award | bonus
    reason: str
    ref: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


def rate_for(policy: PointsPolicy, category: str) -> Decimal | None:
    key = policy.category_map.get(category, category)
    if key in policy.per_hour:
        return policy.per_hour[key]
    return policy.default_rate


def record_points(policy: PointsPolicy, *, minutes: int, category: str, captured: str,
                  rating: int | None = None) -> Decimal:
    """Points for one activity's credited minutes (0 when its kind or category earns none): its
    base and its rating bonus together (:func:`record_parts`)."""
    base, bonus = record_parts(policy, minutes=minutes, category=category, captured=captured, rating=rating)
    return base + bonus


def record_parts(policy: PointsPolicy, *, minutes: int, category: str, captured: str,
                 rating: int | None = None) -> tuple[Decimal, Decimal]:
    """(base, rating bonus) of one activity. The base is ``minutes × rate (× the rating's
    multiplier) / 60`` rounded once; the bonus (``rules.points.rating_bonus``) is ``percent`` of
    the *rounded* base, rounded again — seed 001: 30 min routine, five stars → 0.50 + 0.05."""
    if captured not in policy.earn_from or minutes <= 0:
        return Decimal(0), Decimal(0)
    rate = rate_for(policy, category)
    if rate is None:
        return Decimal(0), Decimal(0)
    counted = Decimal(minutes)
    if policy.cap_hours_per_activity is not None:
        counted = min(counted, policy.cap_hours_per_activity * 60)
    base = round_ratio(counted * factor(policy, rate, rating), Decimal(60), policy.rounding)
    return base, rating_bonus(policy, base, rating)


def rating_bonus(policy: PointsPolicy, base: Decimal, rating: int | None) -> Decimal:
    """``rules.points.rating_bonus``: its percent of ``base`` from ``min_stars`` up, else 0."""
    rb = policy.rating_bonus
    if rb is None or rating is None or rating < rb.min_stars or base <= 0:
        return Decimal(0)
    return round_ratio(base * rb.percent, Decimal(100), policy.rounding)


def factor(policy: PointsPolicy, rate: Decimal, rating: int | None) -> Decimal:
    """Points per hour of one activity: the rate, times the rating's multiplier if it has one."""
    return rate * policy.rating[rating] if rating is not None and rating in policy.rating else rate


def round_ratio(numerator: Decimal, denominator: Decimal, rounding: Rounding) -> Decimal:
    """``numerator / denominator`` rounded to ``rounding`` with one division, so a value that is
    exactly on a step (or half a step) is found there: 20 min × 3 per hour is 1.00, not 0.99.
    The replay's SQL (:mod:`engine.rules.replay_sql`) computes the same in integers."""
    steps = (numerator / (denominator * rounding.step)).quantize(Decimal(1), rounding=_MODES[rounding.mode])
    return steps * rounding.step


def bonuses(policy: PointsPolicy, *, service_number: int, key: str) -> list[Earned]:
    """The bonuses the ``service_number``-th counted service earns (first service, every N); a
    streak that breaks is counted over the history instead (:func:`streak_due`)."""
    out: list[Earned] = []
    b = policy.bonuses
    if service_number == 1 and b.first_service > 0:
        out.append(Earned(b.first_service, "bonus", "首次参与 / first service", f"first:{key}"))
    if b.streak is not None and not b.streak.breaks and service_number > 0 and service_number % b.streak.every == 0 and b.streak.points > 0:
        out.append(Earned(b.streak.points, "bonus", f"连续参与满 {service_number} 次 / {service_number} services",
                          f"streak:{key}:{service_number}"))
    return out


def streak_due(services: list[dt.datetime], no_shows: list[dt.datetime], streak: Streak) -> tuple[int, int]:
    """(bonuses due over the whole history, length of the current streak) for a streak that breaks
    (``break_on_no_show``, ``max_gap_days``): the services in the order they started, the count back
    to zero at a no-show (when it breaks on them) and after a gap of more than ``max_gap_days``
    (exactly ``max_gap_days`` days keeps it). Without breaks: ``len(services) // every``."""
    events = sorted([(t, 1) for t in services] + ([(t, 0) for t in no_shows] if streak.break_on_no_show else []))
    gap = dt.timedelta(days=streak.max_gap_days) if streak.max_gap_days else None
    due = run = 0
    last: dt.datetime | None = None
    for when, is_service in events:
        if not is_service:
            run, last = 0, None
            continue
        if gap is not None and last is not None and when - last > gap:
            run = 0
        run += 1
        last = when
        if run % streak.every == 0:
            due += 1
    return due, run


def outcome_delta(policy: PointsPolicy, outcome: str, awarded: Decimal) -> Decimal:
    """The change an outcome makes to a record's points (a multiplier of 0 takes them all back)."""
    if outcome not in policy.outcomes:
        raise KeyError(outcome)
    return round_to(awarded * policy.outcomes[outcome], policy.rounding) - awarded
