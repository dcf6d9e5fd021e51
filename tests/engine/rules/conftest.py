"""Fixtures for the rule-policy tests: a programme written as a YAML file (the demo plan type plus
``rules:``), volunteers, and records entered through the records stage (the real path)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest

from engine.stages.records.service import enter_record
from engine.stages.recruitment.models import Enrolment, Volunteer

TZ = dt.timezone(dt.timedelta(hours=8))
HEAD = """id: {id}
name: 规则测试 Rules test
plan_type: demo
organisation: {{name: 测试站}}
period: {{start: {start}, end: {end}}}
"""
YEAR_ROUND = """
stages:  # a year-round programme: records and rewards open from the first stage
  actions:
    records: {from: needs}
    rewards: {from: needs}
"""


class Site:
    _ids = itertools.count(1)

    def __init__(self, eng: Any, tmp: Path) -> None:
        self.eng, self.tmp = eng, tmp

    def load(self, rules_yaml: str, pid: str = "rules-test", extra: str = "", *, recruiting: bool = False,
             period: tuple[str, str] = ("2026-01-01", "2026-12-31")) -> Any:
        """``recruiting``: registration open from the first stage too (for tests over HTTP)."""
        path = self.tmp / f"{pid}.yaml"
        stages = YEAR_ROUND + ("    recruitment: {from: needs}\n" if recruiting else "")
        path.write_text(HEAD.format(id=pid, start=period[0], end=period[1]) + extra + rules_yaml.rstrip("\n") + "\n" + stages, encoding="utf-8")
        self.prog = self.eng.load(path)
        return self.prog

    def volunteer(self, s: Any) -> Volunteer:
        n = next(self._ids)
        v = Volunteer(name=f"志愿者{n}", gender="female", birth_date=dt.date(1990, 1, 1),
                      id_number=f"11010119900101{n:04d}")
        s.add(v)
        s.flush()
        s.add(Enrolment(programme_id=self.prog.id, volunteer_id=v.id, source="self"))
        s.flush()
        return v

    def serve(self, s: Any, vid: int, start: str, minutes: int, *, category: str = "routine",
              captured: str = "coordinator", rating: int | None = None, prog: Any = None) -> Any:
        """A verified record starting at local time ``start`` (e.g. "2026-03-01 09:00")."""
        t0 = dt.datetime.fromisoformat(start).replace(tzinfo=TZ)
        return enter_record(s, prog or self.prog, self.eng.host, volunteer_id=vid, started_at=t0,
                            ended_at=t0 + dt.timedelta(minutes=minutes), actor="coord", category=category,
                            captured=captured, rating=rating)


@pytest.fixture
def site(eng: Any, tmp_path: Path) -> Site:
    return Site(eng, tmp_path)
