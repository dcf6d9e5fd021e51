"""Star levels by cumulative hours: the national stars of pack community-points-002 (100/300/600/1000/
1500 h), custom schemes, nominations, "lower star first", and kinds of hours that do not count — the
engine's rules.levels (and rules.hours for what counts)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from community_helpers import local, town_for
from sqlalchemy import select

from engine.errors import Conflict, Forbidden
from engine.plugins import default_host
from engine.rules.levels import decide
from engine.rules.models import LevelDef, LevelsPolicy
from engine.rules.registry import load_packs
from engine.stages.records.models import VolunteerTotal
from engine.stages.rewards.models import Honour

LEVELS = load_packs(default_host())["community-points-002"].policy().levels


def serve_hours(town, s, v, minutes: int, category: str = "routine") -> None:  # type: ignore[no-untyped-def]
    """``minutes`` of service as daily records of at most 24 h (a record covers one day at most)."""
    day = local(2025, 1, 1, 0)
    while minutes > 0:
        m = min(23 * 60, minutes)
        town.serve(s, v, day, m, category)
        minutes -= m
        day += dt.timedelta(days=1)


def level_of(s, town, v) -> str | None:  # type: ignore[no-untyped-def]
    return s.scalar(select(VolunteerTotal.level).where(VolunteerTotal.programme_id == town.prog.id,
                                                       VolunteerTotal.volunteer_id == v.id))


@pytest.mark.parametrize(("minutes", "stars"), [
    (100 * 60 - 1, None), (100 * 60, 1), (300 * 60, 2), (600 * 60 - 1, 2), (600 * 60, 3), (1000 * 60, 4),
    (1500 * 60 - 1, 4), (1500 * 60, 5), (5000 * 60, 5),
])
def test_national_preset_thresholds(minutes: int, stars: int | None) -> None:
    level = decide(LEVELS, minutes, set())
    assert level == (None if stars is None else decide(LEVELS, int(LEVELS.scheme[stars - 1].hours * 60)))
    assert (None if level is None else [lv.name for lv in LEVELS.scheme].index(level.name) + 1) == stars


def test_reaching_100_hours_makes_a_one_star_volunteer_with_an_honour(eng, town) -> None:
    with eng.session() as s:
        v = town.volunteer(s)
        serve_hours(town, s, v, 100 * 60 - 1)
        assert level_of(s, town, v) is None
        town.serve(s, v, local(2025, 3, 1, 9), 1)
        assert level_of(s, town, v) == "一星志愿者 1-star"
        honour = s.scalars(select(Honour).where(Honour.volunteer_id == v.id)).one()
        assert honour.title == "一星志愿者 1-star" and honour.evidence["min_hours"] == 100


def test_a_custom_scheme_with_a_nomination_for_five_stars(eng) -> None:
    town = town_for(eng, """
levels:
  scheme:
    - {name: 一星, hours: 20}
    - {name: 二星, hours: 50}
    - {name: 三星, hours: 80, nomination: true}
""")
    with eng.session() as s:
        v = town.volunteer(s)
        serve_hours(town, s, v, 80 * 60)
        assert level_of(s, town, v) == "二星"  # three stars need a nomination first
        ctx = eng.host.context(s, town.prog, actor="coord1")
        with pytest.raises(Forbidden):  # the engine's nomination: no such level in the scheme
            ctx.nominate_level(v.id, "四星", note="优秀")
        ctx.nominate_level(v.id, "三星", note="年度服务突出 outstanding year")
        assert level_of(s, town, v) == "三星"  # decided again at once
        with pytest.raises(Conflict):
            ctx.nominate_level(v.id, "三星", note="again")


def test_lower_star_first_blocks_the_levels_above_a_missing_nomination() -> None:
    scheme = [LevelDef(name=f"{i}", hours=Decimal(h), nomination=(i == 2)) for i, h in ((1, 10), (2, 20), (3, 30))]
    skipping = LevelsPolicy(scheme=scheme)
    strict = LevelsPolicy(scheme=scheme, previous_required=True)
    assert decide(skipping, 30 * 60, set()).name == "3"  # level 2 skipped, 3 granted
    assert decide(strict, 30 * 60, set()).name == "1"    # level 2 missing blocks 3
    assert decide(strict, 30 * 60, {"2"}).name == "3"


def test_five_stars_by_nomination_on_the_national_scheme() -> None:
    rules = LevelsPolicy(scheme=[*LEVELS.scheme[:4], LEVELS.scheme[4].model_copy(update={"nomination": True})])
    assert decide(rules, 2000 * 60, set()).name == "四星志愿者 4-star"
    assert decide(rules, 2000 * 60, {"五星志愿者 5-star"}).name == "五星志愿者 5-star"


def test_excluded_kinds_of_hours_do_not_count(eng) -> None:
    town = town_for(eng, """
levels:
  scheme: [{name: 一星, hours: 10}]
hours:
  exclude_from_levels: [training]
""")
    with eng.session() as s:
        v = town.volunteer(s)
        town.serve(s, v, local(2025, 3, 1, 8), 9 * 60)
        town.serve(s, v, local(2025, 3, 2, 8), 5 * 60, "training")
        assert level_of(s, town, v) is None  # 9 h count, the 5 h of training do not
        town.serve(s, v, local(2025, 3, 3, 8), 60)
        assert level_of(s, town, v) == "一星"
