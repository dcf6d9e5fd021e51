"""Times people type have no zone; times we store are UTC. One place converts between them."""

from __future__ import annotations

import datetime as dt
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


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
