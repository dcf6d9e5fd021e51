"""Dates a programme can have: within its period (``period.start`` … ``period.end``, local days).

A service record dated 1900, or an hour report for next decade, is a typing mistake, not service:
it is refused with the period in the message. Transferred records (imported from another
organisation) are exempt — they were done elsewhere, under other programmes (WAVE2.md).
"""

from __future__ import annotations

import datetime as dt

from engine.errors import InvalidInput
from engine.programme import LoadedProgramme
from engine.timeutil import aware, local


def check_in_period(programme: LoadedProgramme, when: dt.datetime | dt.date, field: str) -> None:
    """Raise :class:`InvalidInput` naming ``field`` if ``when`` (a local day) lies outside the period."""
    period = programme.config.period
    zone = programme.config.timezone
    day = local(aware(when, zone), zone).date() if isinstance(when, dt.datetime) else when
    if not period.start <= day <= period.end:
        raise InvalidInput(f"{field} 的日期 {day} 不在计划周期 {period.start} 至 {period.end} 内 / {field} ({day}) lies "
                           f"outside the programme period {period.start} – {period.end}", field=field,
                           period={"start": period.start.isoformat(), "end": period.end.isoformat()})
