"""Shift rules (``rules.shifts``) refused at assignment with the rule named, each at its edge.

The programme's figures: 8 h a day, 11 h rest, 20 h a week, 3 days in a row, duty window T−7 … T+3
around an event on 2026-05-01 … 05-03 (T0 is 2026-05-01 09:00, Asia/Shanghai).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from svc_helpers import SERVICE_YAML, T0, Site, minutes
from tests_support import bring_to

from engine.errors import GuardsFailed
from engine.stages.service import roster

RULES = {
    "day": "max_hours_per_day: 8",
    "rest": "min_rest_hours: 11",
    "week": "max_hours_per_week: 20",
    "run": "max_consecutive_days: 3",
    "shifts": "max_shifts_per_day: 1",
    "window": "duty_window: {event_start: 2026-05-01, event_end: 2026-05-03, before_days: 7, after_days: 3}",
}
BEFORE = T0 - dt.timedelta(days=10)
DAY = dt.timedelta(days=1)


def programme(eng: Any, *keys: str) -> tuple[Any, Site]:
    """A programme with only the named rules on (service.min_rest_minutes 60 and 600 min a day too)."""
    body = "".join(f"    {RULES[k]}\n" for k in keys)
    pid = "shift-" + "-".join(keys)
    p = eng.load(SERVICE_YAML.format(id=pid, org="班次规则站") + "rules:\n  shifts:\n" + body, filename=f"{pid}.yaml")
    bring_to(eng, p.id, "service")
    return p, Site(eng, p)


def assign(eng: Any, prog: Any, s: Any, shift: Any, vol: Any) -> Any:
    return roster.assign(s, prog, eng.host, shift.id, vol.id, actor="coord1", now=BEFORE)


def refusal(eng: Any, prog: Any, s: Any, shift: Any, vol: Any) -> list[str]:
    with pytest.raises(GuardsFailed) as exc, s.begin_nested():
        assign(eng, prog, s, shift, vol)
    return exc.value.reasons


def test_hours_per_day_edge(eng: Any) -> None:
    prog, site = programme(eng, "day")
    with eng.session() as s:
        post = site.post(s, site.project(s))
        v = site.ready(s, post)
        assign(eng, prog, s, site.shift(s, post, T0 - minutes(120), 240), v)   # 07:00–11:00
        assign(eng, prog, s, site.shift(s, post, T0 + minutes(180), 240), v)   # 12:00–16:00: exactly 8 h
        reasons = refusal(eng, prog, s, site.shift(s, post, T0 + minutes(480), 30), v)  # 17:00: 8.5 h
        assert reasons == ["2026-05-01 当天将排 8.5 小时，超过每日上限 8 小时 / 8.5 h on 2026-05-01 would exceed "
                           "shifts.max_hours_per_day = 8"]


def test_one_shift_a_day(eng: Any) -> None:
    """郑开 2018 race day: one shift per person. A night shift counts on the day it starts."""
    prog, site = programme(eng, "shifts")
    with eng.session() as s:
        post = site.post(s, site.project(s))
        v = site.ready(s, post)
        assign(eng, prog, s, site.shift(s, post, T0 - minutes(120), 120), v)   # 07:00–09:00
        assert refusal(eng, prog, s, site.shift(s, post, T0 + minutes(300), 60), v) == [
            "2026-05-01 当天将排 2 个班次，超过每日上限 1 个 / 2 shifts on 2026-05-01 would exceed "
            "shifts.max_shifts_per_day = 1"]
        assign(eng, prog, s, site.shift(s, post, T0 + minutes(900), 240), v)  # 05-02 00:00: the next day


def test_min_rest_edge(eng: Any) -> None:
    prog, site = programme(eng, "rest")
    with eng.session() as s:
        post = site.post(s, site.project(s))
        v = site.ready(s, post)
        assign(eng, prog, s, site.shift(s, post, T0, 240), v)                     # ends 13:00
        short = site.shift(s, post, T0 + minutes(240 + 11 * 60 - 1), 60)          # 23:59: 10 h 59 min
        reasons = refusal(eng, prog, s, short, v)
        assert len(reasons) == 1 and "shifts.min_rest_hours is 11" in reasons[0]
        assert assign(eng, prog, s, site.shift(s, post, T0 + minutes(240 + 11 * 60), 60), v).status == "assigned"


def test_consecutive_days_and_week(eng: Any) -> None:
    prog, site = programme(eng, "run", "week")
    with eng.session() as s:
        post = site.post(s, site.project(s))
        v = site.ready(s, post)
        for d in range(3):  # Fri 1, Sat 2, Sun 3 May: 3 days in a row, 12 h
            assign(eng, prog, s, site.shift(s, post, T0 + d * DAY, 240), v)
        fourth = site.shift(s, post, T0 + 3 * DAY, 240)  # Mon 4 May: a new ISO week, but a 4th day in a row
        assert refusal(eng, prog, s, fourth, v) == [
            "将连续值守 4 天（2026-05-01 至 2026-05-04），超过上限 3 天 / 4 days on duty in a row (2026-05-01 – "
            "2026-05-04) would exceed shifts.max_consecutive_days = 3"]
        w = site.ready(s, post, "李四")
        for d in (-4, -3, -1):  # Mon 27, Tue 28, Thu 30 April: 3 × 6 h = 18 h in the week of 27 April
            assign(eng, prog, s, site.shift(s, post, T0 + d * DAY, 360), w)
        reasons = refusal(eng, prog, s, site.shift(s, post, T0 + DAY, 180), w)  # Sat 2 May: 21 h that week
        assert reasons == ["2026 年第 18 周将排 21 小时，超过每周上限 20 小时 / 21 h in week 18 of 2026 would exceed "
                           "shifts.max_hours_per_week = 20"]
        assert assign(eng, prog, s, site.shift(s, post, T0 + DAY, 120), w).status == "assigned"  # exactly 20 h


def test_duty_window_edges(eng: Any) -> None:
    prog, site = programme(eng, "window")
    with eng.session() as s:
        post = site.post(s, site.project(s))
        v = site.ready(s, post)
        assert assign(eng, prog, s, site.shift(s, post, T0 - 7 * DAY, 60), v)  # T−7 (24 April)
        assert assign(eng, prog, s, site.shift(s, post, T0 + 5 * DAY, 60), v)  # last day + 3 (6 May)
        early = refusal(eng, prog, s, site.shift(s, post, T0 - 8 * DAY, 60), v)
        late = refusal(eng, prog, s, site.shift(s, post, T0 + 6 * DAY, 60), v)
        for reasons in (early, late):
            assert reasons == ["班次在值守期 2026-04-24 至 2026-05-06 之外 / shift lies outside the duty window "
                               "2026-04-24 – 2026-05-06 (shifts.duty_window: T−7 … T+3)"]


def test_a_venue_keeps_its_own_window(eng: Any) -> None:
    """by_node: venue-b competes 5–6 May, so its volunteers serve 28 April … 9 May; elsewhere the
    programme's 24 April … 6 May. The node is the shift's project's."""
    from engine.stages.service import shift_rules

    RULES["venue"] = RULES["window"][:-1] + ", by_node: {venue-b: {event_start: 2026-05-05, event_end: 2026-05-06}}}"
    prog, site = programme(eng, "venue")
    with eng.session() as s:
        b, a = site.post(s, site.project(s, "B 馆", node="venue-b")), site.post(s, site.project(s, "A 馆", node="a"))
        v = site.ready(s, b)
        site.apply(s, a, v)
        assert refusal(eng, prog, s, site.shift(s, b, T0 - 4 * DAY, 60), v) == [  # 27 April at B: before its T−7
            "班次在值守期 2026-04-28 至 2026-05-09 之外 / shift lies outside the duty window 2026-04-28 – 2026-05-09 "
            "(shifts.duty_window.by_node.venue-b: T−7 … T+3)"]
        assert assign(eng, prog, s, site.shift(s, a, T0 - 4 * DAY, 60), v)       # the same day at A
        assert assign(eng, prog, s, site.shift(s, b, T0 + 8 * DAY, 60), v)       # 9 May at B: its T+3
        assert shift_rules.venue_lookup(s, prog, prog.rules_policy.shifts)(b.id) == {"node": "venue-b", "parents": {}}


def test_no_rules_means_no_limits(eng: Any) -> None:
    p = eng.load(SERVICE_YAML.format(id="no-shift-rules", org="无规则站"), filename="x.yaml")
    assert p.rules_policy.shifts is None


def test_contradiction_is_a_config_error(eng: Any) -> None:
    from engine.errors import ConfigError

    bad = SERVICE_YAML.format(id="bad-shifts", org="错规则站") + "rules:\n  shifts: {max_hours_per_day: 10, max_hours_per_week: 8}\n"
    with pytest.raises(ConfigError, match="max_hours_per_week"):
        eng.load(bad, filename="bad.yaml")


def test_a_reloaded_programme_file_is_honoured(eng: Any) -> None:
    """The roster keeps what it works out from a programme (how far around a shift to read the person's
    other shifts) with the parsed programme: a file loaded again with other figures is checked by them."""
    base = SERVICE_YAML.format(id="shift-reload", org="班次规则站")
    prog = eng.load(base, filename="shift-reload.yaml")  # no shift rules: the roster reads a day and the rest
    bring_to(eng, prog.id, "service")
    site = Site(eng, prog)
    with eng.session() as s:
        post = site.post(s, site.project(s))
        v = site.ready(s, post)
        first = assign(eng, prog, s, site.shift(s, post, T0 - minutes(120), 240), v).shift_id  # 05-01 07:00–11:00
        later = site.shift(s, post, T0 + minutes(180), 120)                    # 12:00–14:00: 6 h that day
        next_day = site.shift(s, post, T0 + DAY + minutes(300), 60)            # 05-02 14:00: 27 h after 11:00
        s.commit()
        later_id, next_id, vid = later.id, next_day.id, v.id
    # 30 h of rest instead of 1: the shift of the day before is now in reach, and too close
    eng.load(base.replace("min_rest_minutes: 60", "min_rest_minutes: 1800"), filename="shift-reload.yaml")
    with eng.session() as s:
        with pytest.raises(GuardsFailed) as exc:
            roster.assign(s, eng.programme(prog.id, s), eng.host, next_id, vid, actor="coord1", now=BEFORE)
        assert exc.value.reasons == [f"与班次 {first} 之间只休息 1620 分钟，至少需 1800 分钟 / only 1620 min of rest "
                                     f"next to shift {first}; service.min_rest_minutes is 1800"]
    eng.load(base + "rules:\n  shifts:\n    max_hours_per_day: 5\n", filename="shift-reload.yaml")
    with eng.session() as s:
        with pytest.raises(GuardsFailed) as exc:
            roster.assign(s, eng.programme(prog.id, s), eng.host, later_id, vid, actor="coord1", now=BEFORE)
        assert exc.value.reasons == ["2026-05-01 当天将排 6 小时，超过每日上限 5 小时 / 6 h on 2026-05-01 would "
                                     "exceed shifts.max_hours_per_day = 5"]
