"""Level schemes: thresholds (with repeats after the top), nomination-only levels, the previous
level required first, annual batches with a cut-off, and "next level / hours to next".

Pure functions over integer minutes; the rewards stage supplies the held and nominated levels
from the store. A threshold is met exactly (6000 min is 100 h; 5999 is not).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from engine.rules.models import LevelsPolicy


@dataclass(frozen=True)
class Step:
    name: str
    minutes: Decimal  # threshold in minutes
    nomination: bool = False
    repeat: int = 0  # 0 for a scheme level, n for the n-th repeat after the top

    @property
    def hours(self) -> Decimal:
        return self.minutes / 60


def ladder(policy: LevelsPolicy, minutes: int | Decimal) -> list[Step]:
    """The scheme's steps, lowest first, plus the repeats reached by ``minutes`` and the one after."""
    steps = [Step(lv.name, lv.hours * 60, lv.nomination) for lv in policy.scheme]
    if policy.repeat is not None and steps:
        top = steps[-1]
        every = policy.repeat.every * 60
        n = 1
        while True:
            at = top.minutes + every * n
            steps.append(Step(policy.repeat.name.format(top=top.name, n=n), at, False, n))
            if at > Decimal(minutes):
                break
            n += 1
    return steps


def decide(policy: LevelsPolicy, minutes: int, nominated: set[str] = frozenset()) -> Step | None:  # type: ignore[assignment]
    """The highest level granted for ``minutes``.

    A nomination-only level without a nomination is skipped; under ``previous_required`` it
    blocks every level above it (the levels come one after another).
    """
    best = None
    for step in ladder(policy, minutes):
        if Decimal(minutes) < step.minutes:
            break
        if step.nomination and step.name not in nominated:
            if policy.previous_required:
                break
            continue
        best = step
    return best


def next_step(policy: LevelsPolicy, minutes: int) -> tuple[Step | None, Decimal]:
    """(the next level, hours still needed); at the top of a scheme without repeats: (None, 0)."""
    for step in ladder(policy, minutes):
        if Decimal(minutes) < step.minutes:
            return step, ((step.minutes - Decimal(minutes)) / 60).quantize(Decimal("0.01"))
    return None, Decimal(0)


def may_nominate(policy: LevelsPolicy, level: str, held_or_above: set[str]) -> str | None:
    """Why a nomination (application) for ``level`` is refused, or ``None``."""
    names = [lv.name for lv in policy.scheme]
    if level not in names:
        return (f"没有等级 {level}（可选：{'、'.join(names)}）/ no level {level!r} in the scheme; "
                f"levels: {', '.join(names)}")
    i = names.index(level)
    if policy.previous_required and i > 0 and names[i - 1] not in held_or_above:
        return (f"须先获得 {names[i - 1]} / {names[i - 1]!r} must be awarded before applying for {level!r} "
                "(rules.levels.previous_required)")
    return None


def batch_cutoff(policy: LevelsPolicy, year: int) -> dt.date:
    """The last day whose hours count for ``year``'s batch (hours after it count next year)."""
    assert policy.batch is not None
    month, day = (int(x) for x in policy.batch.cutoff.split("-"))
    return dt.date(year, month, min(day, 28) if month == 2 and day == 29 else day)


def batch_window(policy: LevelsPolicy, year: int) -> tuple[dt.date | None, dt.date]:
    """(first day, last day) whose hours count for ``year``'s batch: under ``batch.hours: year`` from
    the day after last year's cut-off, else from the beginning (``None``)."""
    assert policy.batch is not None
    last = batch_cutoff(policy, year)
    if policy.batch.hours != "year":
        return None, last
    return batch_cutoff(policy, year - 1) + dt.timedelta(days=1), last


def batch_year(policy: LevelsPolicy, day: dt.date) -> int:
    """The batch whose hours a day's service counts for (after the cut-off: next year's)."""
    return day.year if day <= batch_cutoff(policy, day.year) else day.year + 1


def crossing(policy: LevelsPolicy, dated_minutes: list[tuple[dt.date, int]], step: Step) -> dt.date | None:
    """The day a threshold was earned: when the running total (in date order) first reached it."""
    total = 0
    for day, minutes in sorted(dated_minutes):
        total += minutes
        if Decimal(total) >= step.minutes:
            return day
    return None
