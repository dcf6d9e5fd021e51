"""Star levels by cumulative hours: the national preset (100/300/600/1000/1500 h), custom schemes,
nominations, "lower star first", and kinds of hours that do not count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from community_helpers import local, town_for
from sqlalchemy import select

from engine.errors import Conflict, InvalidInput
from engine.stages.records.models import VolunteerTotal
from engine.stages.rewards import levels
from engine.stages.rewards.models import Honour
from plugins.community.rules import CommunityRules, StarLevel
from plugins.community.stars import decide, nominate


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
    level = decide(CommunityRules(), minutes, set())
    assert (level.stars if level else None) == stars


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
stars:
  levels:
    - {stars: 1, name: 一星, min_hours: 20}
    - {stars: 2, name: 二星, min_hours: 50}
    - {stars: 3, name: 三星, min_hours: 80, nomination: true}
""")
    with eng.session() as s:
        v = town.volunteer(s)
        serve_hours(town, s, v, 80 * 60)
        assert level_of(s, town, v) == "二星"  # three stars need a nomination first
        with pytest.raises(InvalidInput):
            nominate(eng.host.context(s, town.prog, actor="coord1"), v.id, 4, reason="优秀")
        nominate(eng.host.context(s, town.prog, actor="coord1"), v.id, 3, reason="年度服务突出 outstanding year")
        with pytest.raises(Conflict):
            nominate(eng.host.context(s, town.prog, actor="coord1"), v.id, 3, reason="again")
        levels.update_level(s, town.prog, eng.host, v.id, actor="coord1")
        assert level_of(s, town, v) == "三星"


def test_lower_star_first_blocks_the_levels_above_a_missing_nomination() -> None:
    scheme = [StarLevel(stars=i, name=f"{i}", min_hours=Decimal(h), nomination=(i == 2))
              for i, h in ((1, 10), (2, 20), (3, 30))]
    skipping = CommunityRules.model_validate({"stars": {"levels": [x.model_dump() for x in scheme]}})
    strict = CommunityRules.model_validate({"stars": {"levels": [x.model_dump() for x in scheme], "sequential": True}})
    assert decide(skipping, 30 * 60, set()).stars == 3  # level 2 skipped, 3 granted
    assert decide(strict, 30 * 60, set()).stars == 1    # level 2 missing blocks 3
    assert decide(strict, 30 * 60, {2}).stars == 3


def test_nomination_from_five_on_the_national_preset() -> None:
    rules = CommunityRules.model_validate({"stars": {"nomination_from": 5}})
    assert decide(rules, 2000 * 60, set()).stars == 4
    assert decide(rules, 2000 * 60, {5}).stars == 5


def test_excluded_kinds_of_hours_do_not_count(eng) -> None:
    town = town_for(eng, """
stars:
  levels: [{stars: 1, name: 一星, min_hours: 10}]
  exclude_categories: [training]
""")
    with eng.session() as s:
        v = town.volunteer(s)
        town.serve(s, v, local(2025, 3, 1, 8), 9 * 60)
        town.serve(s, v, local(2025, 3, 2, 8), 5 * 60, "training")
        assert level_of(s, town, v) is None  # 9 h count, the 5 h of training do not
        town.serve(s, v, local(2025, 3, 3, 8), 60)
        assert level_of(s, town, v) == "一星"
