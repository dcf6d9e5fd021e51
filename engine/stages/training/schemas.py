"""Request models and response shapes of the training stage (组织培训)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from engine.inputs import Day, Id, Moment
from engine.stages.training.models import Attendance, Completion, Course, TrainingSession

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CourseIn(_In):
    """A course. ``tier`` as in seed 001 §2(二): junior (理念 4 h, 安全 2 h, 沟通 3 h), intermediate
    (应急救护 8 h …), senior (项目管理 12 h …). ``valid_days``: e.g. a first-aid certificate, 730."""

    code: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$", max_length=63)
    title: Text
    tier: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_-]{0,62}$", max_length=63,
                             description="junior | intermediate | senior (seed 001 §2(二)), or a plan type's own")
    hours: Decimal = Field(gt=0, le=1000, max_digits=6, decimal_places=2)
    valid_days: int | None = Field(default=None, ge=1, le=36500)


class SessionIn(_In):
    course_id: Id
    starts_at: Moment = Field(description="without an offset: the programme's time zone")
    ends_at: Moment
    hours: Decimal | None = Field(default=None, gt=0, le=24, max_digits=4, decimal_places=2,
                                  description="学时 credited; default: the session's length in hours")
    place: Text | None = None
    trainer: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None


class AttendanceEntry(_In):
    volunteer_id: Id
    present: bool = True


class AttendanceIn(_In):
    entries: list[AttendanceEntry] = Field(min_length=1, max_length=5000)


class CompletionIn(_In):
    course_id: Id
    volunteer_id: Id
    completed_on: Day


def course_out(c: Course) -> dict[str, Any]:
    return {"id": c.id, "code": c.code, "title": c.title, "tier": c.tier, "hours": float(c.hours),
            "valid_days": c.valid_days}


def session_out(s: TrainingSession) -> dict[str, Any]:
    """Times in UTC, as stored (the same before and after a reload)."""
    return {"id": s.id, "course_id": s.course_id, "starts_at": s.starts_at.astimezone(dt.UTC).isoformat(),
            "ends_at": s.ends_at.astimezone(dt.UTC).isoformat(), "hours": float(s.hours), "place": s.place,
            "trainer": s.trainer}


def attendance_out(a: Attendance) -> dict[str, Any]:
    return {"volunteer_id": a.volunteer_id, "present": a.present, "recorded_by": a.recorded_by}


def completion_out(c: Completion, course: Course, on: dt.date) -> dict[str, Any]:
    """``valid`` on ``on``: from completed_on up to the day before expires_on."""
    valid = c.completed_on <= on and (c.expires_on is None or on < c.expires_on)
    return {"id": c.id, "course_id": c.course_id, "code": course.code, "title": course.title,
            "volunteer_id": c.volunteer_id, "completed_on": c.completed_on.isoformat(),
            "expires_on": c.expires_on.isoformat() if c.expires_on else None, "valid": valid, "source": c.source}
