"""The auto-roster's problem and answer as plain data (slots, who may take which, the rules' figures;
the pairs chosen), and the day arithmetic the model and the greedy roster share."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from engine.timeutil import minutes_by_day


@dataclass(frozen=True)
class Slot:
    id: int
    start: dt.datetime
    end: dt.datetime
    need: int  # free places to fill (capacity minus locked assignments)


@dataclass
class Problem:
    slots: list[Slot]
    eligible: dict[int, set[int]]                     # person → slot ids they may take
    tz: ZoneInfo
    rest_minutes: int = 0
    max_day_minutes: int | None = None
    max_week_minutes: int | None = None
    max_consecutive_days: int | None = None
    max_shifts_per_day: int | None = None               # shifts starting on one day
    locked: dict[int, list[tuple[dt.datetime, dt.datetime]]] = field(default_factory=dict)  # person → fixed spans
    previous: set[tuple[int, int]] = field(default_factory=set)   # (person, slot) of the roster being redone
    preferred: set[tuple[int, int]] = field(default_factory=set)  # (person, slot) wished for
    # --- added for event: a wish's weight (a higher-ranked wish counts more; absent: 1) ---
    preference_weight: dict[tuple[int, int], int] = field(default_factory=dict)


@dataclass
class Solution:
    pairs: set[tuple[int, int]]
    filled: int
    needed: int
    bound: float            # CP-SAT's proven upper bound on coverage
    status: str
    seconds: float
    levels: dict[str, float] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        return 0.0 if self.bound <= 0 else max(0.0, (self.bound - self.filled) / self.bound)


def _day_minutes(start: dt.datetime, end: dt.datetime, tz: ZoneInfo) -> dict[dt.date, int]:
    return minutes_by_day([(start, end)], tz)


def _starts_by_day(spans: list[tuple[dt.datetime, dt.datetime]], tz: ZoneInfo) -> dict[dt.date, int]:
    out: dict[dt.date, int] = defaultdict(int)
    for a, _b in spans:
        out[a.astimezone(tz).date()] += 1
    return out


def clash(a0: dt.datetime, a1: dt.datetime, b0: dt.datetime, b1: dt.datetime, rest_minutes: int) -> bool:
    """Overlap, or less rest between them than ``rest_minutes``."""
    if a0 < b1 and b0 < a1:
        return True
    gap = b0 - a1 if a1 <= b0 else a0 - b1
    return gap < dt.timedelta(minutes=rest_minutes)
