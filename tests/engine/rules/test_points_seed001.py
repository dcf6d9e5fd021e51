"""The mechanisms seed 001's scheme needs, with its figures and their edges: rounding half up or half
even at the half step, the five-star share (``rating_bonus``) of the rounded points, a streak of
consecutive services broken by a no-show or a long gap, lifetime points switched off, an empty level
scheme over a pack, a replay under the same rules finding nothing to change — and the pack
community-points-002 with those figures at their edges."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from engine.rules.models import PointsPolicy, Streak
from engine.rules.points import record_parts, record_points, streak_due
from engine.rules.replay import replay_programme
from engine.stages.records.models import VolunteerTotal
from engine.stages.records.service import reverse_record
from engine.stages.rewards.ledger import balance_of

SEED = {"per_hour": {"routine": 1, "professional": 2, "high_risk": 3}, "default_rate": 1,
        "rating_bonus": {"min_stars": 5, "percent": 10}}


def _pol(**extra):
    return PointsPolicy.model_validate({**SEED, **extra})


@pytest.mark.parametrize(("minutes", "half_up", "half_even"), [
    (30, 1, 0),    # 0.5 point: up to 1, to the even 0
    (90, 2, 2),    # 1.5: both to 2
    (150, 3, 2),   # 2.5: up 3, even 2
    (31, 1, 1),    # just above half: both up
    (29, 0, 0),    # just below: both down
])
def test_whole_points_round_half_up_or_half_even(minutes, half_up, half_even):
    for mode, want in (("half_up", half_up), ("nearest", half_up), ("half_even", half_even)):
        pol = _pol(rounding={"step": 1, "mode": mode})
        assert record_points(pol, minutes=minutes, category="routine", captured="checkin") == want, mode


def test_the_five_star_share_is_ten_percent_of_the_rounded_points():
    pol = _pol()
    assert record_parts(pol, minutes=30, category="routine", captured="checkin", rating=5) == (
        Decimal("0.50"), Decimal("0.05"))
    assert record_parts(pol, minutes=20, category="high_risk", captured="checkin", rating=5) == (
        Decimal("1.00"), Decimal("0.10"))
    assert record_parts(pol, minutes=30, category="routine", captured="checkin", rating=4)[1] == 0
    assert record_parts(pol, minutes=30, category="routine", captured="checkin", rating=None)[1] == 0
    # 3 min routine = 0.05; its 10 % is 0.005: half up 0.01, half even 0.00
    assert record_parts(pol, minutes=3, category="routine", captured="checkin", rating=5)[1] == Decimal("0.01")
    even = _pol(rounding={"step": "0.01", "mode": "half_even"})
    assert record_parts(even, minutes=3, category="routine", captured="checkin", rating=5)[1] == Decimal("0.00")
    # 9 min = 0.15, its 10 % 0.015: half even to 0.02 as well
    assert record_parts(even, minutes=9, category="routine", captured="checkin", rating=5)[1] == Decimal("0.02")


def test_a_rating_exactly_at_min_stars_earns_the_share():
    pol = _pol(rating_bonus={"min_stars": 4, "percent": 10})
    assert record_points(pol, minutes=60, category="routine", captured="checkin", rating=4) == Decimal("1.10")
    assert record_points(pol, minutes=60, category="routine", captured="checkin", rating=3) == Decimal("1.00")


T0 = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)


def test_a_streak_of_ten_broken_by_a_no_show_or_a_gap():
    streak = Streak(every=10, points=Decimal(10), break_on_no_show=True, max_gap_days=31)
    days = [T0 + dt.timedelta(days=i) for i in range(10)]
    assert streak_due(days, [], streak) == (1, 10)
    no_show = T0 + dt.timedelta(days=4, hours=1)  # between the 5th and the 6th
    assert streak_due(days, [no_show], streak) == (0, 5)
    assert streak_due(days, [no_show], Streak(every=10, points=Decimal(10), max_gap_days=31)) == (1, 10)
    # exactly 31 days between two services keeps the streak; a minute more breaks it
    spaced = [T0 + dt.timedelta(days=31 * i) for i in range(10)]
    assert streak_due(spaced, [], streak) == (1, 10)
    late = [*spaced[:5], *(t + dt.timedelta(minutes=1) for t in spaced[5:])]
    assert streak_due(late, [], streak) == (0, 5)


def test_a_long_gap_restarts_the_streak_in_the_ledger(eng, site):
    prog = site.load("rules:\n  pack: national-stars\n  points:\n"
                     "    per_hour: {routine: 1}\n    bonuses: {streak: {every: 3, points: 10, max_gap_days: 31}}\n")
    with eng.session() as s:
        v = site.volunteer(s).id
        for day in ("2026-01-01", "2026-01-20", "2026-03-01", "2026-03-02", "2026-03-03"):  # 40 days after the 2nd
            site.serve(s, v, f"{day} 09:00", 60)
        assert balance_of(s, prog.id, v, "points") == 5 + 10  # one streak: Mar 1–3
        site.serve(s, v, "2026-01-10 09:00", 60)  # entered late: Jan 1, 10, 20 is a streak of three too
        assert balance_of(s, prog.id, v, "points") == 6 + 20
        assert replay_programme(s, prog, prog).changes == []


def test_a_record_of_a_kind_that_does_not_earn_is_no_service_for_the_bonuses(eng, site):
    prog = site.load("rules:\n  pack: community-points-001\n  points:\n    earn_from: [checkin, coordinator]\n")
    with eng.session() as s:
        v = site.volunteer(s).id
        site.serve(s, v, "2026-03-01 09:00", 120, captured="transferred")  # certified elsewhere: no points, no bonus
        assert balance_of(s, prog.id, v, "points") == 0
        site.serve(s, v, "2026-03-02 09:00", 60)  # the first service here: 1 + 5
        assert balance_of(s, prog.id, v, "points") == 6
        assert replay_programme(s, prog, prog).changes == []


def test_lifetime_points_can_be_switched_off(eng, site):
    prog = site.load("rules:\n  pack: community-points-001\n  points:\n    reset: {lifetime: false}\n")
    with eng.session() as s:
        v = site.volunteer(s).id
        site.serve(s, v, "2026-03-01 09:00", 60)
        assert balance_of(s, prog.id, v, "points") == 6
        assert balance_of(s, prog.id, v, "lifetime_points") == 0


def test_an_empty_level_scheme_leaves_levels_to_rewards_levels(eng, site):
    prog = site.load("rules:\n  pack: national-stars\n  levels: {scheme: []}\n",
                     extra="rewards:\n  levels: [{name: 入门, min_hours: 1}]\n")
    with eng.session() as s:
        v = site.volunteer(s).id
        site.serve(s, v, "2026-03-01 09:00", 60)
        s.flush()
        total = s.query(VolunteerTotal).filter_by(programme_id=prog.id, volunteer_id=v).one()
        assert total.level == "入门"


def test_same_rules_replayed_change_nothing_with_the_seed_001_mechanisms(eng, site):
    """The ledger written record by record and the replay agree: rating share, half-even rounding,
    a streak with a gap, a reversal (of a service after the streak: a streak bonus once paid is not
    taken back, so a reversal inside a streak is a change the replay reports)."""
    prog = site.load("rules:\n  pack: community-points-001\n  points:\n    rating: {}\n"
                     "    rating_bonus: {min_stars: 5, percent: 10}\n    rounding: {step: 0.01, mode: half_even}\n"
                     "    bonuses: {streak: {every: 2, points: 10, max_gap_days: 7}}\n")
    with eng.session() as s:
        a, b = site.volunteer(s).id, site.volunteer(s).id
        for i, (day, minutes, rating) in enumerate([("03-01", 3, 5), ("03-02", 9, 5), ("03-20", 30, 4),
                                                    ("03-21", 20, 5), ("03-22", 45, None)]):
            site.serve(s, a, f"2026-{day} 09:00", minutes, category="high_risk" if i % 2 else "routine", rating=rating)
        site.serve(s, b, "2026-03-01 09:00", 61, rating=5)
        site.serve(s, b, "2026-03-03 09:00", 61, rating=5)
        r = site.serve(s, b, "2026-03-04 09:00", 61, rating=5)  # reversed: its points go, the streak paid stays
        reverse_record(s, prog, eng.host, r.id, reason="wrong person", actor="coord")
        s.commit()
        assert replay_programme(s, prog, prog).changes == []


def test_the_community_pack_has_seed_001s_figures_at_their_edges():
    from engine.plugins import default_host
    from engine.rules.levels import decide
    from engine.rules.registry import load_packs

    pack = load_packs(default_host())["community-points-002"]
    pts, lv = pack.policy().points, pack.policy().levels
    assert pack.lineage == ["community-points-002", "national-stars"]
    assert record_parts(pts, minutes=30, category="routine", captured="checkin", rating=5) == (
        Decimal("0.50"), Decimal("0.05"))
    assert record_points(pts, minutes=60, category="gardening", captured="coordinator") == 1  # unlisted: routine
    assert record_points(pts, minutes=60, category="high_risk", captured="transferred") == 0  # via the time bank
    assert record_points(pts, minutes=60, category="high_risk", captured="self_reported") == 0
    assert record_points(pts, minutes=1, category="professional", captured="checkin") == Decimal("0.03")  # 0.0333
    assert pts.bonuses.streak == Streak(every=10, points=Decimal(10), break_on_no_show=True, max_gap_days=31)
    assert (pts.bonuses.first_service, pts.reset.yearly, pts.reset.mirror_unit) == (5, True, "lifetime_points")
    assert decide(lv, 100 * 60 - 1) is None and decide(lv, 100 * 60).name == "一星志愿者 1-star"
    assert decide(lv, 1500 * 60).name == "五星志愿者 5-star" and not lv.previous_required
