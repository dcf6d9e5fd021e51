"""The replay's SQL form (one statement: the records aggregated under the changed rules, joined to
the caches) gives exactly the figures of the record-by-record form in Python, for policies that
round up, down, to the nearest (half up) and half even, cap an activity, add a rating's share, multiply by ratings, exclude categories,
add bonuses — and at the edges where a figure lands exactly on a rounding step."""

from __future__ import annotations

from decimal import Decimal

import pytest

from engine.rules import replay
from engine.rules.models import PointsPolicy, Rounding
from engine.rules.points import record_points
from engine.stages.records.service import reverse_record

BEFORE = "rules:\n  pack: national-stars\n  points: {per_hour: {routine: 1}}\n"
CHANGES = {
    "seed-001-like": """rules:
  pack: national-stars
  hours:
    rounding: {step: 15, mode: up}
    min_minutes: 10
    travel: {counted: true, minutes: 30}
    exclude_from_levels: [donation]
  points:
    per_hour: {routine: 1, professional: 2, high_risk: 3}
    category_map: {medical: professional}
    default_rate: 0.5
    rating: {5: 1.10, 4: 1.05}
    cap_hours_per_activity: 2.5
    earn_from: [checkin, coordinator, transferred]
    bonuses: {first_service: 5, streak: {every: 3, points: 10}}
""",
    "down-and-nearest": """rules:
  pack: national-stars
  hours:
    rounding: {step: 30, mode: nearest}
    cap_per_activity_hours: 3
  points:
    per_hour: {routine: 3, professional: 1.5}
    rounding: {step: 0.5, mode: down}
  levels:
    scheme: [{name: 一星, hours: 1}, {name: 二星, hours: 2.5}]
""",
    "seed-001-share-half-even": """rules:
  pack: national-stars
  points:
    per_hour: {routine: 1, professional: 2, high_risk: 3}
    default_rate: 1
    rating_bonus: {min_stars: 5, percent: 10}
    rounding: {step: 0.01, mode: half_even}
    earn_from: [coordinator, checkin]
    bonuses: {first_service: 5, streak: {every: 2, points: 10, max_gap_days: 1, break_on_no_show: true}}
""",
    "share-half-up-whole-points": """rules:
  pack: national-stars
  hours:
    rounding: {step: 10, mode: half_even}
  points:
    per_hour: {routine: 1, professional: 2.5}
    rating: {4: 1.2}
    rating_bonus: {min_stars: 4, percent: 12.5}
    rounding: {step: 1, mode: half_up}
""",
    "fractional-cap": """rules:
  pack: national-stars
  hours:
    rounding: {step: 7.5, mode: up}
  points:
    per_hour: {routine: 0.7}
    cap_hours_per_activity: 0.3333
    rounding: {step: 0.001, mode: up}
""",
}


def _history(eng, site):
    prog = site.load(BEFORE)
    with eng.session() as s:
        vols = [site.volunteer(s).id for _ in range(4)]
        a, b, c, d = vols
        for i, (minutes, cat, cap, rating) in enumerate([
                (20, "routine", "coordinator", None), (61, "professional", "coordinator", 5),
                (8, "routine", "coordinator", 4), (200, "medical", "self_reported", None),
                (45, "donation", "coordinator", 5), (95, "high_risk", "coordinator", 3)]):
            site.serve(s, a, f"2026-03-{i + 1:02d} 09:00", minutes, category=cat, captured=cap, rating=rating)
        site.serve(s, b, "2026-03-01 09:00", 40, category="professional")
        r = site.serve(s, b, "2026-03-02 09:00", 90)
        reverse_record(s, prog, eng.host, r.id, reason="wrong day", actor="coord")
        for day in range(1, 8):
            site.serve(s, c, f"2026-04-{day:02d} 09:00", 15 * day, category="routine", rating=5 if day % 2 else None)
        site.serve(s, d, "2026-05-01 09:00", 50, captured="transferred")  # keeps its certified minutes
        only = site.serve(s, d, "2026-03-01 09:00", 30)
        reverse_record(s, prog, eng.host, only.id, reason="not served", actor="coord")  # cached, nothing counts now
        s.commit()
    return prog


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_sql_form_matches_the_record_by_record_form(eng, site, tmp_path, monkeypatch, name):
    prog = _history(eng, site)
    path = tmp_path / "changed.yaml"
    path.write_text(site.tmp.joinpath("rules-test.yaml").read_text(encoding="utf-8").replace(BEFORE, CHANGES[name]),
                    encoding="utf-8")
    changed = eng.parse(path)
    answered = []
    figures = replay.replay_sql.figures
    monkeypatch.setattr(replay.replay_sql, "figures", lambda *a: answered.append(figures(*a)) or answered[-1])
    with eng.session() as s:
        fast = replay.replay_programme(s, prog, changed)
        assert (answered[0] is None) == (name == "fractional-cap")  # a 7.5-minute step: the other form
        monkeypatch.setattr(replay.replay_sql, "figures", lambda *a, **k: None)
        monkeypatch.setattr(replay, "_recompute_in_sql", lambda session, ch: replay._recompute_rows(session, ch))
        slow = replay.replay_programme(s, prog, changed)
    assert fast.changes and [c.as_row() for c in fast.changes] == [c.as_row() for c in slow.changes]
    assert fast.volunteers == slow.volunteers == 4 and fast.records == 15  # net of the 2 reversed pairs


@pytest.mark.parametrize("mode", ["half_up", "half_even", "nearest", "down", "up"])
def test_each_rounding_mode_in_sql_equals_the_decimal_form(eng, mode):
    """``round(a / b)`` in integers for every numerator around the half steps, against :mod:`decimal`."""
    from sqlalchemy import literal, select

    from engine.rules.hours import round_to
    from engine.rules.replay_sql import _rounded

    with eng.session() as s:
        for den in (2, 4, 10):
            got = s.execute(select(*(_rounded(literal(a), den, mode) for a in range(0, 3 * den + 1)))).one()
            want = [int(round_to(Decimal(a) / den, Rounding(step=Decimal(1), mode=mode))) for a in range(0, 3 * den + 1)]
            assert list(got) == want, (den, mode)


def test_a_figure_on_a_rounding_step_is_found_there():
    """20 min at 3 per hour is 1 point exactly, rounded down or up (no 0.99 or 1.01 from 1/3)."""
    for mode in ("down", "up", "nearest"):
        pol = PointsPolicy(per_hour={"routine": Decimal(3)}, rounding=Rounding(step=Decimal("0.01"), mode=mode))
        assert record_points(pol, minutes=20, category="routine", captured="checkin") == Decimal("1.00")
    pol = PointsPolicy(per_hour={"routine": Decimal("1.5")}, rounding=Rounding(step=Decimal("0.01"), mode="nearest"))
    assert record_points(pol, minutes=1, category="routine", captured="checkin") == Decimal("0.03")  # 0.025 → up
