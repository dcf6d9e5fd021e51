"""Points per hour by category, pro rata with the documented rounding, the 5-star share, lifetime
points, which records earn, and a correction taking points back (seed 001 §1(一), §1(三)) — the
engine's rules.points with the figures of the pack community-points-002."""

from __future__ import annotations

from decimal import Decimal

import pytest
from community_helpers import local, town_for
from sqlalchemy import select

from engine.plugins import default_host
from engine.rules.registry import load_packs
from engine.sdk.policies import Rounding, record_parts, round_points
from engine.stages.records.service import reverse_record
from engine.stages.rewards import service as rewards
from engine.stages.rewards.models import CatalogueItem

D = Decimal
POLICY = load_packs(default_host())["community-points-002"].policy().points


def base_points(minutes: int, category: str) -> Decimal:
    return record_parts(POLICY, minutes=minutes, category=category, captured="coordinator")[0]


def rating_bonus(base: Decimal, rating: int) -> Decimal:
    from engine.rules.points import rating_bonus as share

    return share(POLICY, base, rating)


@pytest.mark.parametrize(("category", "minutes", "points"), [
    ("routine", 60, D("1.00")),        # 常规社区服务 每小时 1 分
    ("professional", 60, D("2.00")),   # 专业技能服务 每小时 2 分
    ("high_risk", 60, D("3.00")),      # 高风险或高强度服务 每小时 3 分
    ("routine", 30, D("0.50")),        # half an hour, pro rata
    ("routine", 20, D("0.33")),        # 0.333… → 0.33
    ("professional", 20, D("0.67")),   # 0.666… → 0.67 (half up)
    ("high_risk", 1, D("0.05")),       # 0.05 exactly
    ("routine", 1, D("0.02")),         # 0.01666… → 0.02
])
def test_points_per_hour_by_category(category: str, minutes: int, points: Decimal) -> None:
    assert base_points(minutes, category) == points


def test_rounding_is_half_up_to_the_step() -> None:
    assert POLICY.rounding == Rounding(step=D("0.01"), mode="half_up")
    assert round_points(D("0.125"), POLICY) == D("0.13")
    assert round_points(D("0.125"), Rounding(step=D("0.01"), mode="half_even")) == D("0.12")
    assert round_points(D("1.74"), Rounding(step=D("0.5"), mode="half_up")) == D("1.50")
    assert round_points(D("1.75"), Rounding(step=D("0.5"), mode="half_up")) == D("2.00")
    assert round_points(D("1.99"), Rounding(step=D(1), mode="down")) == D("1.00")


def test_rating_share_on_a_half_hour_record() -> None:
    # 0.5 h routine = 0.50; 10 % of 0.50 = 0.05 (seed 001 §1(三) 五星评价可额外获得10%积分)
    assert rating_bonus(base_points(30, "routine"), 5) == D("0.05")
    # 0.5 h professional = 1.00 → +0.10; 20 min routine = 0.33 → 10 % = 0.033 → 0.03
    assert rating_bonus(D("1.00"), 5) == D("0.10")
    assert rating_bonus(D("0.33"), 5) == D("0.03")
    assert rating_bonus(D("1.00"), 4) == 0  # four stars earn nothing extra


def test_a_verified_record_writes_points_and_lifetime_points(eng, town) -> None:
    with eng.session() as s:
        v = town.volunteer(s)
        rec = town.serve(s, v, local(2025, 3, 1, 9), 30, "routine", rating=5)
        points = town.entries(s, v)
        # 0.50 for the half hour, 0.05 for the 5-star rating (its own entry, of kind award: a reversal or an
        # outcome takes it with the record's points), 5 for the first service
        assert [(e.kind, e.amount) for e in points] == [("award", D("0.50")), ("award", D("0.05")), ("bonus", D("5.00"))]
        assert all(e.record_id == rec.id for e in points)
        assert town.points(s, v) == D("5.55") == town.points(s, v, "lifetime_points")


def test_categories_map_to_classes_and_unknown_ones_use_the_default(eng) -> None:
    town = town_for(eng, "points: {category_map: {tutoring: professional}, default_rate: null}")
    with eng.session() as s:
        v = town.volunteer(s)
        town.serve(s, v, local(2025, 3, 1, 9), 60, "tutoring")    # 四点半课堂 → professional: 2
        town.serve(s, v, local(2025, 3, 2, 9), 60, "gardening")   # no class: no points
        awards = [e.amount for e in town.entries(s, v, kind="award")]
        assert awards == [D("2.00")]


def test_only_the_configured_captured_kinds_earn(eng) -> None:
    town = town_for(eng, "points: {earn_from: [checkin]}")
    with eng.session() as s:
        v = town.volunteer(s)
        town.serve(s, v, local(2025, 3, 1, 9), 120)  # coordinator entry: not in earn_from
        assert town.entries(s, v) == []


def test_lifetime_mirror_can_be_switched_off(eng) -> None:
    town = town_for(eng, "points: {reset: {lifetime: false}}")
    with eng.session() as s:
        v = town.volunteer(s)
        town.serve(s, v, local(2025, 3, 1, 9), 60)
        assert town.points(s, v) == D("6.00") and town.entries(s, v, "lifetime_points") == []


def test_a_reversal_does_not_claw_back_points_already_redeemed(eng) -> None:
    town = town_for(eng, "catalogue: [{code: tea, title: 茶叶 Tea, cost: 15}]")
    with eng.session() as s:
        v = town.volunteer(s)
        rec = town.serve(s, v, local(2025, 3, 1, 9), 240, "high_risk")  # 4 h × 3 = 12, + 5 first service
        item = s.scalars(select(CatalogueItem).where(CatalogueItem.programme_id == town.prog.id)).one()
        rewards.redeem(s, town.prog, eng.host, v.id, item.id, actor="coord1")  # 17 − 15 = 2 left
        reverse_record(s, town.prog, eng.host, rec.id, reason="重复录入 entered twice", actor="coord1")
        taken = next(e for e in town.entries(s, v, kind="award") if e.data.get("reverses") == rec.id)
        assert taken.amount == D("-2.00") and taken.data["not_recovered"] == "10.00"
        assert town.points(s, v) == 0 and town.ledger_sum(s, v) == 0
        assert town.points(s, v, "lifetime_points") == D("5.00")  # lifetime never spent: all 12 come back out


def test_a_reversal_takes_back_what_the_record_earned(eng, town) -> None:
    with eng.session() as s:
        v = town.volunteer(s)
        rec = town.serve(s, v, local(2025, 3, 1, 9), 240, "high_risk", rating=5)  # 12 + 1.2 + 5
        assert town.points(s, v) == D("18.20")
        reverse_record(s, town.prog, eng.host, rec.id, reason="录错日期 wrong day", actor="coord1")
        # the record's 12 and its 1.20 come back out; the first-service bonus stays
        assert town.points(s, v) == D("5.00") == town.points(s, v, "lifetime_points")
        assert town.ledger_sum(s, v) == town.points(s, v)
