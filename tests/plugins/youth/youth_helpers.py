"""Helpers for the youth tests: a school year loaded from YAML, people registered through the plan
type's own code and the engine's facade, and activities built with the engine's stage services."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from tests_support import open_design

from engine.core import VolunteerEngine
from engine.people import check_character
from engine.stages.design.models import Post, Project, Shift
from engine.stages.recruitment import applications
from engine.stages.service import roster
from engine.stages.service.models import Assignment
from engine.store.base import utcnow
from plugins.youth import people

TZ = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "youth.yaml"
_seq = itertools.count(1)


def idno(birth: dt.date) -> str:
    first17 = f"330106{birth:%Y%m%d}{(next(_seq) * 7) % 1000:03d}"
    return first17 + check_character(first17)


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)  # type: ignore[misc]


def programme_text(rules: str = "", *, pid: str = "shiyan-2025", extra: str = "") -> str:
    text = EXAMPLE.read_text(encoding="utf-8").replace("id: shiyan-2025", f"id: {pid}")
    if rules:
        text = text.replace("rules:\n  pack: school-example-hz-2025\n  credit_scheme: practice\n", "rules:\n" + rules)
    return text + extra


class School:
    """One school year (examples/youth.yaml unless told otherwise) at 设计项目, ready for students."""

    def __init__(self, eng: VolunteerEngine, text: str | None = None, *, pid: str = "shiyan-2025") -> None:
        self.eng = eng
        self.prog = eng.load(text or programme_text(pid=pid), filename=f"{pid}.yaml")
        self.pid = self.prog.id
        open_design(eng, self.pid)

    def ctx(self, s: Any, actor: str = "coord1", roles: tuple[str, ...] = ("coordinator",)) -> Any:
        return self.eng.host.context(s, self.eng.programme(self.pid, s), actor=actor, roles=roles)

    def student(self, name: str, birth: dt.date, *, school: str = "示例中学", grade: str = "初二",
                class_name: str = "3班", paper_consent_by: str | None = None) -> int:
        with self.eng.session() as s:
            row, _held = people.register_student(self.ctx(s), name=name, id_number=idno(birth), school=school,
                                                 grade=grade, class_name=class_name, paper_consent_by=paper_consent_by)
            return row.volunteer_id

    def adult(self, name: str, birth: dt.date = dt.date(1985, 3, 1)) -> int:
        return self.student(name, birth, grade="-", class_name="-")

    def post(self, name: str = "四点半课堂辅导", category: str = "tutoring", kind: str = "periodic") -> int:
        with self.eng.session() as s:
            project = Project(programme_id=self.pid, name=name, kind=kind)
            s.add(project)
            s.flush()
            post = Post(programme_id=self.pid, project_id=project.id, name=name, category=category, capacity=50)
            s.add(post)
            s.flush()
            return post.id

    def project_of(self, post_id: int) -> int:
        with self.eng.session() as s:
            return s.get(Post, post_id).project_id  # type: ignore[union-attr]

    def shift(self, post_id: int, start: dt.datetime, hours: int = 2) -> int:
        with self.eng.session() as s:
            row = Shift(programme_id=self.pid, post_id=post_id, starts_at=start, ends_at=start + dt.timedelta(hours=hours),
                        capacity=50, checkin_code=f"c{next(_seq)}x{post_id}")
            s.add(row)
            s.flush()
            return row.id

    def apply(self, vid: int, post_id: int, on: dt.date | None = None) -> tuple[Any, list[str]]:
        with self.eng.session() as s:
            prog = self.eng.programme(self.pid, s)
            vol = roster.get_volunteer(s, vid, programme_id=self.pid)
            app, inst, notes = applications.apply(s, prog, self.eng.host, vol, post_id, actor="coord1", on=on)
            return (app.id, inst.state), notes

    def fire_application(self, app_id: int, trigger: str) -> Any:
        with self.eng.session() as s:
            prog = self.eng.programme(self.pid, s)
            app = applications.get_application(s, self.pid, app_id)
            return applications.fire(s, prog, self.eng.host, app, trigger, actor="coord1",
                                     roles=frozenset({"coordinator"}), own=False)

    def admit(self, vid: int, post_id: int) -> None:
        """Apply, screen, offer, agree, activate: the real application workflow."""
        (app_id, _state), _ = self.apply(vid, post_id)
        for trigger in ("screen", "offer", "agree", "activate"):
            res = self.fire_application(app_id, trigger)
            assert res.ok, (trigger, res.reasons)

    def assign(self, shift_id: int, vid: int) -> int:
        with self.eng.session() as s:
            prog = self.eng.programme(self.pid, s)
            return roster.assign(s, prog, self.eng.host, shift_id, vid, actor="coord1").id

    def seat(self, shift_id: int, *vids: int) -> None:
        """Put people on a shift directly (safety tests that are about the team, not about rostering)."""
        with self.eng.session() as s:
            for vid in vids:
                s.add(Assignment(programme_id=self.pid, shift_id=shift_id, volunteer_id=vid, status="assigned",
                                 assigned_by="coord1", created_at=utcnow()))

    def assignment_status(self, assignment_id: int) -> str:
        with self.eng.session() as s:
            return s.scalar(select(Assignment.status).where(Assignment.id == assignment_id))  # type: ignore[return-value]
