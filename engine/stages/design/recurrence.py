"""Weekly recurring shifts: a template (weekdays, local start and end time, date range, holidays)
expanded into concrete UTC intervals.

Written with the standard library (python-dateutil is not a dependency): a weekly rule is a few
lines. Each occurrence is built from the *local* wall-clock time of its own day and converted
with :mod:`zoneinfo`, so a series that crosses a daylight-saving change keeps its local time
(16:30 stays 16:30) while the UTC instant moves. A wall time that does not exist on its day
(clocks jump forward) is read with the offset in force before the jump, so it moves forward by
the gap (02:30 → 03:30), as ``zoneinfo`` does with ``fold=0``; a wall time that exists twice
(clocks go back) means the first of the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_TITLES = ("周一 Monday", "周二 Tuesday", "周三 Wednesday", "周四 Thursday", "周五 Friday",
                  "周六 Saturday", "周日 Sunday")
MAX_OCCURRENCES = 1000


@dataclass(frozen=True)
class Occurrence:
    day: dt.date  # the local date
    starts_at: dt.datetime  # UTC
    ends_at: dt.datetime  # UTC


@dataclass(frozen=True)
class Expansion:
    occurrences: list[Occurrence]
    skipped: list[dt.date]  # dates that matched the rule but were listed as holidays


def to_utc(day: dt.date, wall: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The UTC instant of a local wall-clock time on a local date."""
    return dt.datetime.combine(day, wall, tzinfo=zone).astimezone(dt.UTC)


def days_matching(start: dt.date, end: dt.date, weekdays: Iterable[str]) -> list[dt.date]:
    """Every date from ``start`` to ``end`` inclusive whose weekday is listed (``mon`` … ``sun``)."""
    wanted = sorted({WEEKDAYS.index(w) for w in weekdays})
    days: list[dt.date] = []
    for wd in wanted:
        day = start + dt.timedelta(days=(wd - start.weekday()) % 7)
        while day <= end:
            days.append(day)
            day += dt.timedelta(days=7)
    return sorted(days)


def expand_weekly(start: dt.date, end: dt.date, weekdays: Iterable[str], start_time: dt.time, end_time: dt.time,
                  zone: ZoneInfo, skip: Iterable[dt.date] = ()) -> Expansion:
    """Occurrences of a weekly template, local days in order; ``skip`` dates are left out and reported."""
    skip_set = set(skip)
    occurrences: list[Occurrence] = []
    skipped: list[dt.date] = []
    for day in days_matching(start, end, weekdays):
        if day in skip_set:
            skipped.append(day)
            continue
        occurrences.append(Occurrence(day, to_utc(day, start_time, zone), to_utc(day, end_time, zone)))
    return Expansion(occurrences, skipped)
