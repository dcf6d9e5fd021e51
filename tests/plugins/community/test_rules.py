"""The rules model: defaults are the documents' figures; every figure is overridable; bad values are
reported at their line."""

from __future__ import annotations

from decimal import Decimal

import pytest
from community_helpers import load

from engine.errors import ConfigError, PluginError
from plugins.community.rules import CommunityRules
from plugins.community.stars import PRESETS


def test_defaults_are_the_documents_figures() -> None:
    r = CommunityRules()
    assert r.points.per_hour == {"routine": 1, "professional": 2, "high_risk": 3}  # seed 001 §1(一)
    assert r.points.rounding.step == Decimal("0.01") and r.points.rounding.mode == "half_up"
    assert (r.bonuses.first_service, r.bonuses.streak.every, r.bonuses.streak.points) == (5, 10, 10)  # seed 001 §1(一)
    assert (r.rating.stars, r.rating.percent) == (5, 10)  # seed 001 §1(三) 五星评价 +10%
    assert r.backbone.min_hours == 48  # seed 003 附件4 第四条
    assert r.mentoring.mentees_per_mentor == 3  # seed 001 §2(一) 每名骨干志愿者需培养3名新人
    assert r.appeals.cadence_months == 3  # seed 001 §1(三) 每季度审核
    assert r.network.grid_households == (300, 500) and r.network.building_households == (20, 30)  # seed 001 §2(一)
    assert r.year_start == "01-01"
    assert [(c.code, c.cost) for c in r.catalogue] == [
        ("supermarket-voucher-50", 100), ("gym-1h", 50), ("cleaning-20off", 200)]  # seed 001 §1(二)
    assert [float(lv.min_hours) for lv in PRESETS["national"].levels] == [100, 300, 600, 1000, 1500]


def test_every_figure_is_overridable_in_the_programme(eng) -> None:
    prog = load(eng, """
year_start: "07-01"
points:
  per_hour: {routine: 1.5, professional: 2, high_risk: 4}
  category_map: {tutoring: professional}
  rounding: {step: 0.5, mode: down}
rating: {percent: 20}
bonuses: {first_service: 8, streak: {every: 5, points: 6, max_gap_days: null, break_on_no_show: false}}
backbone: {min_hours: 40}
stars: {levels: [{stars: 1, name: 一星, min_hours: 50}], nomination_from: 1}
catalogue: [{code: tea, title: 茶叶 Tea, cost: 30, stock: 5, love_reward: true}]
""")
    r = prog.rules
    assert r.points.per_hour["high_risk"] == 4 and r.points.category_map == {"tutoring": "professional"}
    assert r.bonuses.streak.every == 5 and r.bonuses.streak.max_gap_days is None
    assert r.backbone.min_hours == 40 and r.year_start_md == (7, 1)
    assert [c.code for c in r.catalogue] == ["tea"]


@pytest.mark.parametrize(("rules", "message"), [
    ("points: {category_map: {tutoring: expert}}", "unknown class 'expert'"),
    ('year_start: "02-29"', "not a day every year has"),
    ("stars: {preset: shenzhen}", "unknown stars preset 'shenzhen'"),
    ("network: {station: {code: s, name: 站}, grids: [{code: g, name: 网格, households: 900}]}", "outside 300–500"),
    ("points: {earn_from: [walk_in]}", "earn_from"),
    ("bonus: {first_service: 5}", "bonus"),
])
def test_bad_rules_are_reported_at_their_line(eng, rules: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        load(eng, rules)
    text = str(err.value)
    assert message in text and "haibin.yaml:" in text


def test_households_bounds_can_be_widened(eng) -> None:
    prog = load(eng, """
network:
  grid_households: [200, 1000]
  station: {code: s, name: 站}
  grids: [{code: g, name: 网格, households: 900}]
""")
    assert prog.rules.network.grids[0].households == 900


def test_stars_and_engine_levels_cannot_both_decide(eng) -> None:
    # The hook cannot raise a positioned ConfigError (see the plan-type docs): the engine wraps it.
    with pytest.raises(PluginError, match=r"rules\.stars"):
        load(eng, extra="rewards:\n  levels: [{name: 一星, min_hours: 100}]\n")
    prog = load(eng, "stars: {preset: null}", pid="engine-levels",
                extra="rewards:\n  levels: [{name: 一星, min_hours: 100}]\n")
    assert prog.config.rewards.levels[0].name == "一星"
