"""Fixtures for the rewards tests: a throwaway award plugin (seed 001's points rules) on the demo
plan type, and a helper that plays the records stage (insert a verified record, bump the totals,
call ``after_record_verified``)."""

from __future__ import annotations

import datetime as dt
import itertools
import types
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import vol_plan_demo
from sqlalchemy import select
from tests_support import bring_to

from engine import hookimpl
from engine.core import VolunteerEngine
from engine.stages.records.models import ServiceRecord, VolunteerTotal
from engine.stages.recruitment.models import Enrolment, Volunteer
from engine.stages.rewards.awards import Award
from engine.stages.rewards.service import after_record_verified
from engine.testing import temp_engine

PROGRAMMES = Path(__file__).resolve().parents[3] / "programmes"
RATE = {"routine": 1, "professional": 2, "high_risk": 3}  # seed 001 一(一): points per hour by service type
BACKBONE_MINUTES = 48 * 60  # seed 003 附件4 第四条: ≥ 48 h a year → 志愿者骨干


@hookimpl
def volunteer_compute_awards(record: Any, programme: Any, session: Any) -> list[Award]:
    """Points per hour by type, +10 % for a 5-star rating, +5 once for the first service."""
    points = Decimal(record.minutes) / 60 * RATE.get(record.category, 1)
    if record.rating == 5:
        points = points * Decimal("1.1")
    points = points.quantize(Decimal("0.01"))
    out = [Award("points", points, f"服务 {record.minutes} 分钟 / service"),
           Award("lifetime_points", points, "终身成就积分 / lifetime")]
    out.append(Award("points", Decimal(5), "首次参与 / first service", kind="bonus",
                     ref=f"first-service:{programme.id}:{record.volunteer_id}"))
    return out


@hookimpl
def volunteer_check_redemption(volunteer: Any, item: Any, programme: Any, session: Any) -> list[str]:
    """Only backbone volunteers may redeem 爱心回馈 (love_reward) items."""
    if "love_reward" not in (item.flags or []):
        return []
    minutes = session.scalar(select(VolunteerTotal.level_minutes).where(
        VolunteerTotal.programme_id == programme.id, VolunteerTotal.volunteer_id == volunteer.id)) or 0
    if minutes < BACKBONE_MINUTES:
        return [f"仅志愿者骨干（每年 ≥48 小时）可兑换爱心回馈，当前 {minutes / 60:g} 小时 / only backbone "
                f"volunteers (≥ 48 h a year) may redeem love rewards; {minutes / 60:g} h so far"]
    return []


def awards_module() -> types.ModuleType:
    mod = types.ModuleType("rewards_test_awards")
    mod.volunteer_compute_awards = volunteer_compute_awards  # type: ignore[attr-defined]
    mod.volunteer_check_redemption = volunteer_check_redemption  # type: ignore[attr-defined]
    return mod


@pytest.fixture
def reng(tmp_path: Path) -> Iterator[VolunteerEngine]:
    with temp_engine(tmp_path, plugins=[("demo", vol_plan_demo), ("awards", awards_module())]) as e:
        yield e


@pytest.fixture
def prog(reng: VolunteerEngine) -> Any:
    """The demo programme in 开展服务 (service), reached by its real triggers: redemptions are open."""
    prog = reng.load(PROGRAMMES / "demo_full.yaml")
    bring_to(reng, prog.id, "service")
    return prog


class World:
    """Plays the records stage for the tests."""

    _ids = itertools.count(1)

    def __init__(self, eng: VolunteerEngine, prog: Any) -> None:
        self.eng, self.prog = eng, prog

    def volunteer(self, s: Any, name: str = "张三", user_id: int | None = None) -> Volunteer:
        n = next(self._ids)
        v = Volunteer(name=name, gender="female", birth_date=dt.date(1990, 1, 1), id_number=f"11010119900101{n:04d}",
                      user_id=user_id)
        s.add(v)
        s.flush()
        s.add(Enrolment(programme_id=self.prog.id, volunteer_id=v.id, source="coordinator"))  # joined this programme
        s.flush()
        return v

    def verify(self, s: Any, volunteer_id: int, minutes: int, *, category: str = "routine", rating: int | None = None,
               captured: str = "coordinator", actor: str = "coord1") -> tuple[ServiceRecord, list[Any]]:
        now = dt.datetime.now(dt.UTC)
        rec = ServiceRecord(programme_id=self.prog.id, volunteer_id=volunteer_id, started_at=now - dt.timedelta(
            minutes=abs(minutes)), ended_at=now, minutes=minutes, category=category, rating=rating, captured=captured,
            verified_by=actor, verified_at=now, created_by=actor)
        s.add(rec)
        s.flush()
        total = s.scalar(select(VolunteerTotal).where(VolunteerTotal.programme_id == self.prog.id,
                                                      VolunteerTotal.volunteer_id == volunteer_id))
        counts = captured in self.prog.config.rewards.level_hours_from
        if total is None:
            s.add(VolunteerTotal(programme_id=self.prog.id, volunteer_id=volunteer_id, minutes=minutes,
                                 level_minutes=minutes if counts else 0, records=1))
        else:
            total.minutes += minutes
            total.level_minutes += minutes if counts else 0
            total.records += 1
        s.flush()
        return rec, after_record_verified(s, self.prog, self.eng.host, rec, actor)


@pytest.fixture
def world(reng: VolunteerEngine, prog: Any) -> World:
    return World(reng, prog)


@pytest.fixture
def make_world() -> type[World]:
    """The helper class, for tests that build an engine with other plugins."""
    return World


@pytest.fixture
def demo(eng: VolunteerEngine) -> Any:
    """The demo programme (tests' shared engine) in 开展服务, reached by its real triggers."""
    prog = eng.load(PROGRAMMES / "demo_full.yaml")
    bring_to(eng, prog.id, "service")
    return prog
