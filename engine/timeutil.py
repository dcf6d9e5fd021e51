"""Times people type have no zone; times we store are UTC. One place converts between them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo


def aware(value: dt.datetime, zone: str | ZoneInfo) -> dt.datetime:
    """A naive ``value`` is read in the programme's zone; an aware one is kept as it is."""
    if value.tzinfo is not None:
        return value
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    return value.replace(tzinfo=tz)


def local(value: dt.datetime, zone: str | ZoneInfo) -> dt.datetime:
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    return value.astimezone(tz)


_clock: Callable[[], dt.datetime] | None = None


def now() -> dt.datetime:
    """The engine's clock: UTC, aware. Every "now" in the engine comes from here, so that a test can
    set the time for the whole process (:func:`engine.testing.frozen_clock`)."""
    return _clock() if _clock is not None else dt.datetime.now(dt.UTC)


def today(zone: str | ZoneInfo) -> dt.date:
    """Today's date in ``zone`` (a programme's day, not the server's)."""
    return local(now(), zone).date()


def set_clock(clock: Callable[[], dt.datetime] | None) -> None:
    """Replace the clock (``None`` restores the real one). For tests and replays only."""
    global _clock
    _clock = clock


def year_start(mmdd: str, zone: str | ZoneInfo, year: int) -> dt.datetime:
    """The instant (UTC) a year that starts on ``mmdd`` (MM-DD, local midnight in ``zone``) begins;
    "year 2027" is the one starting in 2027 (a points year, a community year)."""
    month, day = (int(x) for x in mmdd.split("-"))
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    return dt.datetime(year, month, day, tzinfo=tz).astimezone(dt.UTC)


def year_of(mmdd: str, zone: str | ZoneInfo, when: dt.datetime) -> int:
    """The year (starting on ``mmdd``) an instant falls in: the latest whose start is not after it."""
    local_year = when.astimezone(zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)).year
    return local_year if when >= year_start(mmdd, zone, local_year) else local_year - 1


def minutes_by_day(spans: Iterable[tuple[dt.datetime, dt.datetime]], zone: ZoneInfo) -> dict[dt.date, int]:
    """Minutes of the spans that fall on each day of ``zone`` (a night shift counts on both days)."""
    out: dict[dt.date, int] = {}
    for start, end in spans:
        t = start
        while t < end:
            local_t = t.astimezone(zone)
            midnight = dt.datetime.combine(local_t.date() + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
            stop = min(end, midnight)
            out[local_t.date()] = out.get(local_t.date(), 0) + int((stop - t).total_seconds()) // 60
            t = stop
    return out
