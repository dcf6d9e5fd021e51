"""First service +5 and every 10 consecutive services +10 (seed 001 §1(一)), with the streak rule
the community defines (pack community-points-002, the engine's rules.points.bonuses.streak): a
no-show or a gap of more than 31 days starts the count again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from community_helpers import local, town_for

from engine.rules.models import Streak
from engine.sdk.policies import streak_due
from engine.stages.records.service import verify_records

D = Decimal


def streak_bonuses(town, s, v) -> list[Decimal]:  # type: ignore[no-untyped-def]
    return [e.amount for e in town.entries(s, v, kind="bonus") if (e.ref or "").startswith("streak:")]


def weekly(n: int, start: dt.datetime = local(2025, 1, 4, 9)) -> list[dt.datetime]:
    return [start + dt.timedelta(days=7 * i) for i in range(n)]


def test_first_service_bonus_is_paid_once(eng, town) -> None:
    with eng.session() as s:
        v = town.volunteer(s)
        for when in weekly(3):
            town.serve(s, v, when, 60)
        firsts = [e for e in town.entries(s, v, kind="bonus") if (e.ref or "").startswith("first:")]
        assert [e.amount for e in firsts] == [D("5.00")]


def test_the_tenth_service_earns_ten_and_the_ninth_does_not(eng, town) -> None:
    with eng.session() as s:
        v = town.volunteer(s)
        for when in weekly(9):
            town.serve(s, v, when, 60)
        assert streak_bonuses(town, s, v) == []
        # 9 × 1 + 5 first service
        assert town.points(s, v) == D("14.00")
        rec = town.serve(s, v, local(2025, 3, 8, 9), 60)  # the 10th
        assert streak_bonuses(town, s, v) == [D("10.00")]
        assert town.entries(s, v, kind="bonus")[-1].record_id == rec.id
        assert town.points(s, v) == D("25.00")  # 10 × 1 + 5 + 10


def test_every_ten_means_the_twentieth_pays_again(eng, town) -> None:
    with eng.session() as s:
        v = town.volunteer(s)
        for when in weekly(21):
            town.serve(s, v, when, 60)
        assert streak_bonuses(town, s, v) == [D("10.00"), D("10.00")]


def test_a_no_show_breaks_the_streak(eng, town) -> None:
    with eng.session() as s:
        v = town.volunteer(s)
        days = weekly(12)
        for when in days[:5]:
            town.serve(s, v, when, 60)
        town.no_show(s, v, days[5])  # rostered, did not come
        for when in days[6:]:
            town.serve(s, v, when, 60)
        # 5 services, a no-show, then 6: no run of 10
        assert streak_bonuses(town, s, v) == []


def test_a_gap_of_more_than_31_days_breaks_the_streak_and_31_does_not(eng, town) -> None:
    with eng.session() as s:
        v = town.volunteer(s)
        first = weekly(5)
        for when in first:
            town.serve(s, v, when, 60)
        resume = first[-1] + dt.timedelta(days=31)  # exactly 31 days later: still consecutive
        for when in weekly(5, resume):
            town.serve(s, v, when, 60)
        assert streak_bonuses(town, s, v) == [D("10.00")]
        w = town.volunteer(s, "王叔叔")
        for when in first:
            town.serve(s, w, when, 60)
        for when in weekly(5, first[-1] + dt.timedelta(days=31, minutes=1)):  # a minute more than 31 days
            town.serve(s, w, when, 60)
        assert streak_bonuses(town, s, w) == []


def test_the_streak_rule_is_configurable(eng) -> None:
    town = town_for(eng, "points: {bonuses: {streak: {every: 3, points: 4, break_on_no_show: false, max_gap_days: null}}}")
    with eng.session() as s:
        v = town.volunteer(s)
        days = weekly(4)
        town.serve(s, v, days[0], 60)
        town.no_show(s, v, days[1])
        town.serve(s, v, days[2], 60)
        town.serve(s, v, local(2025, 9, 1, 9), 60)  # months later, still counts
        assert streak_bonuses(town, s, v) == [D("4.00")]


def test_records_verified_late_or_in_a_batch_never_pay_twice(eng, town) -> None:
    with eng.session() as s:
        v = town.volunteer(s)
        ids = [town.serve(s, v, when, 60, verify=False).id for when in weekly(12)]
        assert town.entries(s, v) == []  # nothing counts before it is verified
        verify_records(s, town.prog, eng.host, list(reversed(ids[:11])), actor="coord1")
        verify_records(s, town.prog, eng.host, ids, actor="coord2")  # the 12th, the others already done
        assert streak_bonuses(town, s, v) == [D("10.00")]
        # 12 × 1 + 5 first service + 10 for the run of ten
        assert town.points(s, v) == D("27.00")


def test_streak_state_counts_in_start_order() -> None:
    streak = Streak(every=10, points=D(10), break_on_no_show=True, max_gap_days=31)  # the pack's
    times = weekly(10)
    assert streak_due(list(reversed(times)), [], streak) == (1, 10)
    assert streak_due(times, [times[4] + dt.timedelta(hours=1)], streak) == (0, 5)
