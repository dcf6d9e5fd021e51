"""Test helpers for the service and records stages: a programme with service rules, and rows of the
other stages (projects, posts, shifts, volunteers, applications, courses) inserted with the ORM."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.orm import Session
from tests_support import bring_to

from engine.core import VolunteerEngine
from engine.stages.design.models import Post, Project, Shift
from engine.stages.recruitment.models import Application, Enrolment, Volunteer
from engine.stages.training.models import Completion, Course
from engine.store.models import WorkflowInstance

TZ = ZoneInfo("Asia/Shanghai")
# A day of the large event (seed 000 篇3), 09:00 local.
T0 = dt.datetime(2026, 5, 1, 9, 0, tzinfo=TZ)

SERVICE_YAML = """\
id: {id}
name: 服务测试 Service test
plan_type: demo
organisation: {{name: {org}}}
period: {{start: 2026-01-01, end: 2026-12-31}}
service:
  checkin_opens_minutes_before: 30
  auto_close_after_minutes: 120
  min_rest_minutes: 60
  max_minutes_per_day: 600
  max_no_shows: 2
rewards:
  level_hours_from: [checkin, coordinator, transferred]
"""


def load_service_programme(eng: VolunteerEngine, pid: str = "svc-test", org: str = "测试志愿服务站", *,
                           stage: str | None = "service") -> Any:
    """A programme whose service rules are all switched on (figures chosen to test the edges), moved
    to ``stage`` by its real triggers (:func:`bring_to`)."""
    prog = eng.load(SERVICE_YAML.format(id=pid, org=org), filename=f"{pid}.yaml")
    if stage is not None:
        bring_to(eng, prog.id, stage)
    return prog


_ids = itertools.count(1)


def minutes(n: int) -> dt.timedelta:
    return dt.timedelta(minutes=n)


class Site:
    """Inserts the rows the service stage works on (as the design and recruitment stages would)."""

    def __init__(self, eng: VolunteerEngine, prog: Any) -> None:
        self.eng, self.prog = eng, prog

    def project(self, s: Session, name: str = "入口引导 Entrance guidance", node: str | None = None) -> Project:
        p = Project(programme_id=self.prog.id, name=name, node=node)
        s.add(p)
        s.flush()
        return p

    def post(self, s: Session, project: Project, name: str = "入口引导员", *, capacity: int = 10,
             category: str = "routine", courses: tuple[str, ...] = ()) -> Post:
        p = Post(programme_id=self.prog.id, project_id=project.id, name=name, capacity=capacity, category=category,
                 required_courses=list(courses))
        s.add(p)
        s.flush()
        return p

    def shift(self, s: Session, post: Post, start: dt.datetime, length: int = 240, *, capacity: int = 2) -> Shift:
        sh = Shift(programme_id=self.prog.id, post_id=post.id, starts_at=start, ends_at=start + minutes(length),
                   capacity=capacity, checkin_code=secrets.token_hex(8))
        s.add(sh)
        s.flush()
        return sh

    def volunteer(self, s: Session, name: str = "张三", *, user_id: int | None = None,
                  birth: dt.date = dt.date(1990, 1, 1)) -> Volunteer:
        n = next(_ids)
        v = Volunteer(name=name, gender="female", birth_date=birth, id_number=f"110101{birth:%Y%m%d}{n:04d}",
                      user_id=user_id)
        s.add(v)
        s.flush()
        s.add(Enrolment(programme_id=self.prog.id, volunteer_id=v.id, source="coordinator"))  # joined this programme
        s.flush()
        return v

    def apply(self, s: Session, post: Post, vol: Volunteer, state: str = "agreed") -> Application:
        """An application to the post, its workflow instance put in ``state`` directly."""
        app = Application(programme_id=self.prog.id, post_id=post.id, volunteer_id=vol.id)
        s.add(app)
        s.flush()
        inst = self.eng.workflows.start(s, self.prog, "application", "application", app.id, actor="test")
        s.execute(update(WorkflowInstance).where(WorkflowInstance.id == inst.id).values(state=state))
        s.expire(inst)
        return app

    def ready(self, s: Session, post: Post, name: str = "张三", *, user_id: int | None = None) -> Volunteer:
        """A volunteer with an agreed application to the post."""
        v = self.volunteer(s, name, user_id=user_id)
        self.apply(s, post, v)
        return v

    def course(self, s: Session, code: str, title: str, valid_days: int | None = None) -> Course:
        c = Course(programme_id=self.prog.id, code=code, title=title, hours=8, valid_days=valid_days)
        s.add(c)
        s.flush()
        return c

    def complete(self, s: Session, course: Course, vol: Volunteer, on: dt.date, expires: dt.date | None = None) -> None:
        s.add(Completion(programme_id=self.prog.id, course_id=course.id, volunteer_id=vol.id, completed_on=on,
                         expires_on=expires, recorded_by="test"))
        s.flush()
