"""Weekly expansion: a term of Tuesdays in Asia/Shanghai, several weekdays, and a DST change."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from engine.stages.design.recurrence import days_matching, expand_weekly, to_utc

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
T = dt.time


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_a_term_of_tuesdays() -> None:
    # every Tuesday 16:30–18:00, 2026-09-01 (a Tuesday) – 2027-01-15: 20 Tuesdays, the last on 2027-01-12;
    # 2026-10-06 (National Day week) skipped; 2026-10-01 is a Thursday, so listing it changes nothing
    exp = expand_weekly(dt.date(2026, 9, 1), dt.date(2027, 1, 15), ["tue"], T(16, 30), T(18, 0), SHANGHAI,
                        skip=[dt.date(2026, 10, 6), dt.date(2026, 10, 1)])
    assert len(exp.occurrences) == 19
    assert exp.skipped == [dt.date(2026, 10, 6)]
    first, last = exp.occurrences[0], exp.occurrences[-1]
    assert (first.day, first.starts_at, first.ends_at) == (dt.date(2026, 9, 1), utc(2026, 9, 1, 8, 30),
                                                           utc(2026, 9, 1, 10, 0))  # UTC+8 all year
    assert (last.day, last.starts_at, last.ends_at) == (dt.date(2027, 1, 12), utc(2027, 1, 12, 8, 30),
                                                        utc(2027, 1, 12, 10, 0))
    assert dt.date(2026, 10, 6) not in [o.day for o in exp.occurrences]
    assert {o.day.weekday() for o in exp.occurrences} == {1}
    assert all(o.ends_at - o.starts_at == dt.timedelta(minutes=90) for o in exp.occurrences)


def test_several_weekdays_in_date_order() -> None:
    days = days_matching(dt.date(2026, 9, 1), dt.date(2026, 9, 14), ["thu", "mon"])
    assert days == [dt.date(2026, 9, 3), dt.date(2026, 9, 7), dt.date(2026, 9, 10), dt.date(2026, 9, 14)]
    assert days_matching(dt.date(2026, 9, 2), dt.date(2026, 9, 7), ["tue"]) == []


def test_local_time_holds_across_daylight_saving() -> None:
    # Berlin moves from UTC+1 to UTC+2 on Sunday 2026-03-29: 16:30 local stays 16:30 local
    exp = expand_weekly(dt.date(2026, 3, 22), dt.date(2026, 4, 5), ["sun"], T(16, 30), T(18, 0), BERLIN)
    assert [o.starts_at for o in exp.occurrences] == [utc(2026, 3, 22, 15, 30), utc(2026, 3, 29, 14, 30),
                                                      utc(2026, 4, 5, 14, 30)]
    # a wall time inside the gap (02:00–03:00 does not exist that night) moves forward by the gap
    assert to_utc(dt.date(2026, 3, 29), T(2, 30), BERLIN) == utc(2026, 3, 29, 1, 30)  # = 03:30 CEST
    # a wall time that happens twice (2026-10-25, 02:00–03:00) is the first, still on summer time
    assert to_utc(dt.date(2026, 10, 25), T(2, 30), BERLIN) == utc(2026, 10, 25, 0, 30)
