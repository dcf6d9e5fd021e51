"""Star levels (seed 003: 一至五星 by hours; the common scheme 100/300/600/1000/1500 h)."""

from __future__ import annotations

import types
from pathlib import Path

import pytest
import vol_plan_demo
from sqlalchemy import select

from engine import hookimpl
from engine.stages.records.models import VolunteerTotal
from engine.stages.rewards.awards import Level
from engine.stages.rewards.levels import (
    LEVEL_RULE,
    configured_levels,
    distribution,
    level_for_minutes,
    rebuild_levels,
    rebuild_totals_and_levels,
    update_level,
)
from engine.stages.rewards.models import Honour
from engine.testing import temp_engine

PROGRAMMES = Path(__file__).resolve().parents[3] / "programmes"
SCHEME = [Level("一星志愿者", 100), Level("二星志愿者", 300), Level("三星志愿者", 600), Level("四星志愿者", 1000),
          Level("五星志愿者", 1500)]


@pytest.mark.parametrize(("minutes", "expected"), [
    (0, None),
    (5999, None),            # 99.98 h: not yet one star
    (6000, "一星志愿者"),      # exactly 100 h
    (17999, "一星志愿者"),     # 299.98 h
    (18000, "二星志愿者"),     # exactly 300 h
    (36000, "三星志愿者"),
    (90000, "五星志愿者"),
    (10**7, "五星志愿者"),
])
def test_thresholds_at_their_edges(minutes, expected):
    got = level_for_minutes(minutes, SCHEME)
    assert (got.name if got else None) == expected


def test_fractional_threshold_is_exact():
    """Thresholds are compared in exact minutes: 99.96 h is 5997.6 min."""
    assert level_for_minutes(5997, [Level("x", 99.96)]) is None
    assert level_for_minutes(5998, [Level("x", 99.96)]) == Level("x", 99.96)


def test_programme_thresholds_are_read(prog):
    assert configured_levels(prog) == SCHEME


def test_level_rises_on_verification_and_leaves_an_honour(reng, prog, world):
    with reng.session() as s:
        v = world.volunteer(s)
        world.verify(s, v.id, 5999)
        total = s.scalar(select(VolunteerTotal).where(VolunteerTotal.volunteer_id == v.id))
        assert total.level is None
        rec, _ = world.verify(s, v.id, 1)
        s.refresh(total)
        assert (total.level_minutes, total.level) == (6000, "一星志愿者")
        honour = s.scalar(select(Honour).where(Honour.volunteer_id == v.id))
        assert honour.title == "一星志愿者" and honour.awarded_by == "coord1"
        assert honour.evidence == {"rule": LEVEL_RULE, "from": None, "to": "一星志愿者", "min_hours": 100,
                                   "hours": 100.0, "record_ids": [rec.id]}
        world.verify(s, v.id, 12000)
        s.refresh(total)
        assert total.level == "二星志愿者"
        titles = list(s.scalars(select(Honour.title).where(Honour.volunteer_id == v.id).order_by(Honour.id)))
        assert titles == ["一星志愿者", "二星志愿者"]


def test_a_fall_changes_the_level_but_keeps_the_honours(reng, prog, world):
    with reng.session() as s:
        v = world.volunteer(s)
        world.verify(s, v.id, 6000)
        world.verify(s, v.id, -1)  # a reversing record
        total = s.scalar(select(VolunteerTotal).where(VolunteerTotal.volunteer_id == v.id))
        assert total.level is None
        world.verify(s, v.id, 1)
        assert s.scalar(select(VolunteerTotal.level).where(VolunteerTotal.volunteer_id == v.id)) == "一星志愿者"
        assert len(list(s.scalars(select(Honour).where(Honour.volunteer_id == v.id)))) == 1


def test_records_outside_level_hours_from_do_not_count(reng, prog, world):
    with reng.session() as s:
        v = world.volunteer(s)
        world.verify(s, v.id, 6000, captured="other")
        assert s.scalar(select(VolunteerTotal.level).where(VolunteerTotal.volunteer_id == v.id)) is None


def test_the_plan_type_hook_decides_first(tmp_path, make_world):
    mod = types.ModuleType("levels_hook")

    @hookimpl
    def volunteer_level_for(hours):  # type: ignore[no-untyped-def]
        return Level("新星 Rising", 0) if hours >= 10 else None

    mod.volunteer_level_for = volunteer_level_for  # type: ignore[attr-defined]
    with temp_engine(tmp_path, plugins=[("demo", vol_plan_demo), ("lv", mod)]) as eng:
        prog = eng.load(PROGRAMMES / "demo_full.yaml")
        w = make_world(eng, prog)
        with eng.session() as s:
            a, b = w.volunteer(s, "甲"), w.volunteer(s, "乙")
            w.verify(s, a.id, 600)
            w.verify(s, b.id, 300)
            levels = dict(s.execute(select(VolunteerTotal.volunteer_id, VolunteerTotal.level)).all())
            assert levels == {a.id: "新星 Rising", b.id: None}
            rebuild_totals_and_levels(s, prog, eng.host)
            assert dict(s.execute(select(VolunteerTotal.volunteer_id, VolunteerTotal.level)).all()) == levels
            rebuild_levels(s, prog, eng.host)
            assert dict(s.execute(select(VolunteerTotal.volunteer_id, VolunteerTotal.level)).all()) == levels


def test_missing_totals_are_built_from_the_records(reng, prog, world):
    with reng.session() as s:
        v = world.volunteer(s)
        world.verify(s, v.id, 6000)
        s.execute(VolunteerTotal.__table__.delete())
        assert update_level(s, prog, reng.host, v.id, actor="coord1") == (None, "一星志愿者")


def test_rebuild_totals_and_distribution(reng, prog, world):
    with reng.session() as s:
        vols = [world.volunteer(s, f"v{i}") for i in range(4)]
        for v, minutes in zip(vols, (5999, 6000, 18000, 60), strict=True):
            world.verify(s, v.id, minutes)
        world.verify(s, vols[3].id, 30, captured="other")  # counts for hours, not for levels
        before = sorted(s.execute(select(VolunteerTotal.volunteer_id, VolunteerTotal.minutes,
                                         VolunteerTotal.level_minutes, VolunteerTotal.records,
                                         VolunteerTotal.level)).all())
        s.execute(VolunteerTotal.__table__.update().values(minutes=0, level=None))
        assert rebuild_totals_and_levels(s, prog) == 4
        assert rebuild_totals_and_levels(s, prog) == 0  # already right: nothing rewritten
        after = sorted(s.execute(select(VolunteerTotal.volunteer_id, VolunteerTotal.minutes,
                                        VolunteerTotal.level_minutes, VolunteerTotal.records,
                                        VolunteerTotal.level)).all())
        assert after == before
        s.execute(VolunteerTotal.__table__.update().values(level="stale"))
        assert rebuild_levels(s, prog) == 4
        assert rebuild_levels(s, prog) == 0
        assert sorted(s.execute(select(VolunteerTotal.volunteer_id, VolunteerTotal.minutes,
                                       VolunteerTotal.level_minutes, VolunteerTotal.records,
                                       VolunteerTotal.level)).all()) == before
        dist = {d["level"]: d["volunteers"] for d in distribution(s, prog)}
        assert dist == {None: 2, "一星志愿者": 1, "二星志愿者": 1, "三星志愿者": 0, "四星志愿者": 0, "五星志愿者": 0}
