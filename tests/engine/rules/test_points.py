"""Points with seed 001's figures (community-points-001): 1 / 2 / 3 per hour by type, +5 on the
first service, +10 every 10 services, 5-star rating +10 %, yearly reset with lifetime points kept;
plus a cap of counted hours per activity, an outcome that zeroes an activity, and a minimum of
hours before redeeming."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from engine.errors import Conflict
from engine.rules.models import PointsPolicy
from engine.rules.points import record_points
from engine.stages.rewards.ledger import balance_of
from engine.stages.rewards.points_policy import apply_outcome, reset_points
from engine.stages.rewards.service import create_item, redeem

PACK = "rules:\n  pack: community-points-001\n"


def test_rates_caps_and_rating_of_seed_001():
    pol = PointsPolicy.model_validate({"per_hour": {"routine": 1, "professional": 2, "high_risk": 3},
                                       "category_map": {"tutoring": "professional"}, "rating": {5: "1.10"},
                                       "cap_hours_per_activity": 4})
    assert record_points(pol, minutes=90, category="routine", captured="checkin") == Decimal("1.50")
    assert record_points(pol, minutes=60, category="tutoring", captured="checkin") == 2
    assert record_points(pol, minutes=60, category="high_risk", captured="checkin", rating=5) == Decimal("3.30")
    assert record_points(pol, minutes=600, category="high_risk", captured="checkin") == 12  # 4 h counted
    assert record_points(pol, minutes=60, category="unknown", captured="checkin") == 0  # no default rate


def test_points_bonuses_and_lifetime_from_the_pack(eng, site):
    prog = site.load(PACK)
    with eng.session() as s:
        v = site.volunteer(s)
        site.serve(s, v.id, "2026-03-01 09:00", 120, category="professional")  # 4 + first service 5
        assert balance_of(s, prog.id, v.id, "points") == 9
        for day in range(2, 11):  # services 2..10: 9 × 1 point, +10 at the 10th
            site.serve(s, v.id, f"2026-03-{day:02d} 09:00", 60)
        assert balance_of(s, prog.id, v.id, "points") == 9 + 9 + 10
        site.serve(s, v.id, "2026-03-11 09:00", 60, rating=5)
        assert balance_of(s, prog.id, v.id, "points") == Decimal("29.10")
        ctx = eng.host.context(s, prog, actor="admin", now=dt.datetime(2027, 1, 2, tzinfo=dt.UTC))
        assert reset_points(ctx, 2027) == (1, Decimal("29.10"))
        assert reset_points(ctx, 2027) == (0, 0)
        assert balance_of(s, prog.id, v.id, "points") == 0
        assert balance_of(s, prog.id, v.id, "lifetime_points") == Decimal("29.10")


def test_a_substantiated_complaint_zeroes_the_activity(eng, site):
    prog = site.load(PACK + "  points:\n    outcomes: {complaint_substantiated: 0, commended: 1.5}\n")
    with eng.session() as s:
        v = site.volunteer(s)
        site.serve(s, v.id, "2026-03-01 09:00", 60, category="high_risk")  # 3 + 5
        rec = site.serve(s, v.id, "2026-03-02 09:00", 120, category="high_risk")  # 6
        apply_outcome(s, prog, rec.id, "complaint_substantiated", actor="board")
        assert balance_of(s, prog.id, v.id, "points") == 8
        assert apply_outcome(s, prog, rec.id, "complaint_substantiated", actor="board") is None


def test_minimum_hours_before_redeeming_names_the_rule(eng, site):
    prog = site.load(PACK + "  points:\n    min_hours_to_redeem: 10\n")
    with eng.session() as s:
        v = site.volunteer(s)
        site.serve(s, v.id, "2026-03-01 09:00", 9 * 60, category="high_risk")  # 27 + 5 points, 9 h
        item = create_item(s, prog, code="gym-1h", title="健身房 1 小时", cost=Decimal(10), actor="admin")
        with pytest.raises(Conflict) as exc:
            redeem(s, prog, eng.host, v.id, item.id, actor="v")
        assert exc.value.details["rule"] == "rules.points.min_hours_to_redeem"
        site.serve(s, v.id, "2026-03-02 09:00", 60)
        assert redeem(s, prog, eng.host, v.id, item.id, actor="v").cost == 10
