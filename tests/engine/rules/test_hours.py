"""Hours policy: credited minutes from raw check-in/out, with the national rule (travel excluded,
民政部《志愿服务记录办法》2012) and the edges of rounding and caps; one answer in totals and levels."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from engine.rules.hours import credit, round_to
from engine.rules.models import HoursPolicy, Rounding
from engine.stages.records.service import programme_totals, volunteer_totals
from engine.stages.rewards.level_policy import standing

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def _credit(policy: HoursPolicy, minutes: int, **kw) -> int:
    return credit(policy, started_at=T0, ended_at=T0 + dt.timedelta(minutes=minutes), raw_minutes=minutes, **kw)


@pytest.mark.parametrize(("mode", "minutes", "expected"), [
    ("up", 61, 75), ("up", 60, 60), ("up", 1, 15),
    ("nearest", 67, 60), ("nearest", 68, 75), ("nearest", 52, 45), ("nearest", 53, 60),
    ("down", 74, 60), ("down", 75, 75), ("down", 14, 0),
])
def test_quarter_hour_rounding_at_its_edges(mode, minutes, expected):
    policy = HoursPolicy(rounding=Rounding(step=Decimal(15), mode=mode))
    assert _credit(policy, minutes) == expected


def test_default_policy_credits_what_was_served():
    assert _credit(HoursPolicy(), 137) == 137
    assert round_to(Decimal("7.5"), Rounding(step=Decimal(1), mode="nearest")) == 8  # half up


def test_clipped_to_the_shift_or_counted_from_checkin():
    shift = (T0 + dt.timedelta(minutes=30), T0 + dt.timedelta(minutes=150))  # 09:30–11:30
    # checked in at 09:00, out at 12:00: 180 served, 120 within the shift
    assert _credit(HoursPolicy(count_from="checkin"), 180, shift=shift) == 180
    assert _credit(HoursPolicy(count_from="shift"), 180, shift=shift) == 120
    assert _credit(HoursPolicy(count_from="shift"), 20, shift=shift) == 0  # left before the shift began


def test_travel_is_excluded_nationally_and_counted_when_a_scheme_says_so():
    assert _credit(HoursPolicy(), 90) == 90
    assert _credit(HoursPolicy.model_validate({"travel": {"counted": True, "minutes": 40}}), 90) == 130


def test_caps_per_activity_and_per_day():
    policy = HoursPolicy.model_validate({"cap_per_activity_hours": 4, "cap_per_day_hours": 8})
    assert _credit(policy, 300) == 240
    assert _credit(policy, 240) == 240
    assert _credit(policy, 240, day_credited=300) == 180  # only 3 h of the day are left
    assert _credit(policy, 60, day_credited=480) == 0
    assert _credit(HoursPolicy(min_minutes=30), 29) == 0


def test_a_cap_per_activity_above_the_day_cap_is_refused(site):
    from engine.errors import ConfigError

    with pytest.raises(ConfigError) as exc:
        site.load("rules:\n  hours:\n    cap_per_activity_hours: 10\n    cap_per_day_hours: 8\n")
    (problem,) = exc.value.problems
    assert problem.line == 7 and "cap_per_activity_hours (10) is above" in problem.message


def test_totals_levels_and_hours_to_next_agree_under_the_policy(eng, site):
    """Quarter hour up, 8 h a day, donations not counted for levels: every figure says the same."""
    prog = site.load("""rules:
  pack: national-stars
  hours:
    rounding: {step: 15, mode: up}
    cap_per_day_hours: 8
    exclude_from_levels: [donation]
""")
    with eng.session() as s:
        v = site.volunteer(s)
        a = site.serve(s, v.id, "2026-03-01 09:00", 61)           # 61 → 75
        b = site.serve(s, v.id, "2026-03-01 13:00", 7 * 60 + 1)   # 421 → 435, capped at 480 − 75 = 405
        c = site.serve(s, v.id, "2026-03-02 09:00", 100, category="donation")  # → 105, not for levels
        assert (a.raw_minutes, a.minutes, b.minutes, c.minutes) == (61, 75, 405, 105)
        t = volunteer_totals(s, prog, v.id)
        assert (t["minutes"], t["level_minutes"]) == (585, 480)
        st = standing(s, prog, v.id)
        assert (st["hours"], st["level_hours"], st["level"]) == (9.75, 8.0, None)
        assert (st["next_level"], st["hours_to_next"]) == ("一星志愿者 1-star", 92.0)
        assert programme_totals(s, prog)["minutes"] == 585
        s.commit()
