"""Helpers for the community tests: load a programme from YAML, and a ``Town`` that plays the other
stages through their public services (enrol volunteers, enter verified records, roster no-shows), so
every point in these tests is written by the real engine path."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core import VolunteerEngine
from engine.people.idcard import check_character
from engine.stages.design.models import Post, Project, Shift
from engine.stages.records.service import enter_record
from engine.stages.recruitment.models import Volunteer
from engine.stages.recruitment.service import enrol
from engine.stages.rewards.ledger import balance_of
from engine.stages.rewards.models import LedgerEntry
from engine.stages.service.models import Assignment

TZ = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "community.yaml"

BASE = """\
id: {id}
name: 海滨社区志愿服务 Haibin community
plan_type: community
organisation: {{name: 海滨社区志愿服务站}}
period: {{start: 2025-01-01, end: 2027-12-31}}
"""

_seq = itertools.count(1)


def local(*args: int) -> dt.datetime:
    """A local (Asia/Shanghai) time: local(2025, 3, 1, 9) is 2025-03-01 09:00 in the programme's zone."""
    return dt.datetime(*args, tzinfo=TZ)  # type: ignore[misc]


def id_number(birth: dt.date = dt.date(1980, 5, 1)) -> str:
    first17 = f"110101{birth:%Y%m%d}{next(_seq) % 1000:03d}"
    return first17 + check_character(first17)


def load(eng: VolunteerEngine, rules: str = "", *, pid: str = "haibin", extra: str = "") -> Any:
    """Load a community programme; ``rules`` is YAML indented under ``rules:``."""
    text = BASE.format(id=pid) + extra
    if rules:
        text += "rules:\n" + "\n".join("  " + line for line in rules.strip("\n").splitlines()) + "\n"
    return eng.load(text, filename=f"{pid}.yaml")


class Town:
    """Plays the recruitment, design, service and records stages for the tests."""

    def __init__(self, eng: VolunteerEngine, prog: Any) -> None:
        self.eng, self.prog = eng, prog

    def volunteer(self, s: Session, name: str = "李阿姨", *, user_id: int | None = None,
                  node: str | None = None) -> Volunteer:
        v = Volunteer(name=name, gender="female", birth_date=dt.date(1980, 5, 1), id_number=id_number(),
                      user_id=user_id)
        s.add(v)
        s.flush()
        enrol(s, self.prog, v, source="coordinator", node=node, on=dt.date(2025, 1, 1))
        return v

    def serve(self, s: Session, vol: Volunteer, start: dt.datetime, minutes: int, category: str = "routine", *,
              rating: int | None = None, project_id: int | None = None, verify: bool = True) -> Any:
        """A coordinator-entered record (captured=coordinator) of ``minutes`` from ``start``, verified at once."""
        return enter_record(s, self.prog, self.eng.host, volunteer_id=vol.id, started_at=start,
                            ended_at=start + dt.timedelta(minutes=minutes), minutes=minutes, category=category,
                            rating=rating, project_id=project_id, actor="coord1", verify=verify)

    def project(self, s: Session, name: str = "情暖夕阳 Home visits", node: str | None = None) -> Project:
        p = Project(programme_id=self.prog.id, name=name, node=node)
        s.add(p)
        s.flush()
        return p

    def no_show(self, s: Session, vol: Volunteer, at: dt.datetime) -> Assignment:
        """A rostered shift at ``at`` the volunteer did not come to."""
        project = self.project(s, "缺席测试 No-show")
        post = Post(programme_id=self.prog.id, project_id=project.id, name="岗位", category="routine")
        s.add(post)
        s.flush()
        shift = Shift(programme_id=self.prog.id, post_id=post.id, starts_at=at, ends_at=at + dt.timedelta(hours=2),
                      checkin_code=secrets.token_hex(8))
        s.add(shift)
        s.flush()
        a = Assignment(programme_id=self.prog.id, shift_id=shift.id, volunteer_id=vol.id, status="no_show",
                       assigned_by="coord1")
        s.add(a)
        s.flush()
        return a

    def points(self, s: Session, vol: Volunteer, unit: str = "points") -> Decimal:
        return balance_of(s, self.prog.id, vol.id, unit)

    def entries(self, s: Session, vol: Volunteer, unit: str = "points", kind: str | None = None) -> list[LedgerEntry]:
        q = select(LedgerEntry).where(LedgerEntry.programme_id == self.prog.id, LedgerEntry.volunteer_id == vol.id,
                                      LedgerEntry.unit == unit)
        if kind:
            q = q.where(LedgerEntry.kind == kind)
        return list(s.scalars(q.order_by(LedgerEntry.id)))

    def ledger_sum(self, s: Session, vol: Volunteer, unit: str = "points") -> Decimal:
        return sum((Decimal(e.amount) for e in self.entries(s, vol, unit)), Decimal(0))


def town_for(eng: VolunteerEngine, rules: str = "", **kw: Any) -> Town:
    return Town(eng, load(eng, rules, **kw))
