"""The rules model: defaults are the documents' figures; every figure is overridable; bad values are
reported at their line."""

from __future__ import annotations

from decimal import Decimal

import pytest
from community_helpers import load

from engine.errors import ConfigError
from plugins.community.rules import CommunityRules


def test_defaults_are_the_documents_figures(eng) -> None:
    prog = load(eng)
    assert prog.pack.name == "community-points-002"  # default.yaml's pack
    p = prog.policy.points
    assert p.per_hour == {"routine": 1, "professional": 2, "high_risk": 3}  # seed 001 §1(一)
    assert p.rounding.step == Decimal("0.01") and p.rounding.mode == "half_up"
    assert (p.bonuses.first_service, p.bonuses.streak.every, p.bonuses.streak.points) == (5, 10, 10)  # seed 001 §1(一)
    assert (p.bonuses.streak.break_on_no_show, p.bonuses.streak.max_gap_days) == (True, 31)
    assert (p.rating_bonus.min_stars, p.rating_bonus.percent) == (5, 10)  # seed 001 §1(三) 五星评价 +10%
    assert p.reset.yearly and p.reset.lifetime and p.earn_from == ["checkin", "coordinator"]
    assert [float(lv.hours) for lv in prog.policy.levels.scheme] == [100, 300, 600, 1000, 1500]
    r = CommunityRules()
    assert r.backbone.min_hours == 48  # seed 003 附件4 第四条
    assert r.mentoring.mentees_per_mentor == 3  # seed 001 §2(一) 每名骨干志愿者需培养3名新人
    assert r.appeals.cadence_months == 3  # seed 001 §1(三) 每季度审核
    assert r.network.grid_households == (300, 500) and r.network.building_households == (20, 30)  # seed 001 §2(一)
    assert r.year_start == "01-01"
    assert [(c.code, c.cost) for c in r.catalogue] == [
        ("supermarket-voucher-50", 100), ("gym-1h", 50), ("cleaning-20off", 200)]  # seed 001 §1(二)


def test_every_figure_is_overridable_in_the_programme(eng) -> None:
    prog = load(eng, """
year_start: "07-01"
points:
  per_hour: {routine: 1.5, professional: 2, high_risk: 4}
  category_map: {tutoring: professional}
  rounding: {step: 0.5, mode: down}
  rating_bonus: {percent: 20}
  bonuses: {first_service: 8, streak: {every: 5, points: 6, max_gap_days: null, break_on_no_show: false}}
  reset: {year_start: "07-01"}
backbone: {min_hours: 40}
levels: {scheme: [{name: 一星, hours: 50, nomination: true}]}
catalogue: [{code: tea, title: 茶叶 Tea, cost: 30, stock: 5, love_reward: true}]
""")
    r, p = prog.rules, prog.policy.points
    assert p.per_hour["high_risk"] == 4 and p.category_map == {"tutoring": "professional"}
    assert p.bonuses.streak.every == 5 and p.bonuses.streak.max_gap_days is None and p.rating_bonus.percent == 20
    assert prog.policy.levels.scheme[0].nomination
    assert r.backbone.min_hours == 40 and r.year_start_md == (7, 1)
    assert [c.code for c in r.catalogue] == ["tea"]


@pytest.mark.parametrize(("rules", "message"), [
    ("points: {category_map: {tutoring: expert}}", "'expert' is not a key of points.per_hour"),
    ('year_start: "02-29"', "not a day every year has"),
    ('year_start: "07-01"', "rules.points.reset.year_start is 01-01: they must agree"),
    ("stars: {preset: shenzhen}", "rules.stars.preset 已移至 rules.pack"),
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
    with pytest.raises(ConfigError, match=r"rewards.levels and rules.levels") as err:
        load(eng, extra="rewards:\n  levels: [{name: 一星, min_hours: 100}]\n")
    assert err.value.problems[0].line == 7  # at rewards.levels
    prog = load(eng, "levels: {scheme: []}", pid="engine-levels",
                extra="rewards:\n  levels: [{name: 一星, min_hours: 100}]\n")
    assert prog.config.rewards.levels[0].name == "一星"


OLD = """
year_start: "01-01"
points:
  per_hour: {routine: 1}
  default_class: routine
  lifetime: true
rating: {stars: 5, percent: 10}
bonuses: {first_service: 5}
stars:
  preset: national
  nomination_from: 5
"""


def test_a_file_with_the_old_points_and_stars_keys_is_told_what_to_write(eng) -> None:
    with pytest.raises(ConfigError) as err:
        load(eng, OLD)
    found = {p.path: p for p in err.value.problems}
    assert list(found) == ["rules.points.default_class", "rules.points.lifetime", "rules.rating", "rules.bonuses",
                           "rules.stars.preset", "rules.stars.nomination_from"]
    assert [p.line for p in found.values()] == [10, 11, 12, 13, 15, 16]  # each at its own line
    rating = found["rules.rating"].message
    assert rating.startswith("rules.rating 已移至 rules.points.rating_bonus：{stars: 5, percent: 10} 写作 "
                             "{min_stars: 5, percent: 10} / rules.rating moved to rules.points.rating_bonus")
    assert "{stars: 5, percent: 10} is written {min_stars: 5, percent: 10}" in rating
    assert found["rules.points.lifetime"].message == ("rules.points.lifetime 已移至 rules.points.reset.lifetime / "
                                                      "rules.points.lifetime moved to rules.points.reset.lifetime")
    assert "null is rules.levels: {scheme: []}" in found["rules.stars.preset"].message


def test_a_scheme_of_its_own_drops_the_default_pack(eng) -> None:
    """A category the default pack does not list is refused, and the message says how to write one's
    own; with ``pack: null`` the programme's own rates are the scheme."""
    own = "points:\n  per_hour: {routine: 10, care: 15}\n"
    with pytest.raises(ConfigError) as info:
        load(eng, own)
    assert "points.per_hour.care" in str(info.value) and "`rules.pack: null`" in str(info.value)
    prog = load(eng, "pack: null\n" + own, pid="own-scheme")
    assert prog.pack is None and prog.policy.points.per_hour == {"routine": 10, "care": 15}
