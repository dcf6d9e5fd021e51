"""组织培训 Training: courses, sessions, attendance, completions, yearly hours.

Decisions (志愿服务条例 第十六条 training before skilled service; 第十九条 records of training):

* **Completion** is recorded explicitly (an exam passed, an outside certificate), or derived when
  attendance is recorded: once a volunteer has been present at sessions of a course, held after
  their last completion of it, whose 学时 add up to the course's hours, a completion is added,
  dated the local day of the session that reached the total. Derived completions are never
  removed by later attendance corrections (records are append-only; an admin records anew).
* ``expires_on = completed_on + valid_days`` and is exclusive: the completion counts on
  ``valid_days`` days, completed_on included (see :mod:`engine.stages.training.checks`).
* **Hours** per session are stored (default: its length), so a year's face-to-face hours
  (seed 001: at least 40 a year) are one ``SUM`` per volunteer; the year is the programme's
  local calendar year.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from engine.errors import Conflict, InvalidInput, NotFound
from engine.programme import LoadedProgramme
from engine.stages.recruitment.models import Enrolment, Volunteer
from engine.stages.recruitment.service import programme_today
from engine.stages.recruitment.visibility import visible_volunteer
from engine.stages.training.models import Attendance, Completion, Course, TrainingSession
from engine.stages.training.schemas import CourseIn, SessionIn
from engine.store.base import utcnow
from engine.timeutil import aware
from engine.workflow import stagegate as gate

YEARLY_MINIMUM_HOURS = 40  # seed 001 §2(二): 每年开展不少于40学时的面授培训


def create_course(session: Session, programme: LoadedProgramme, data: CourseIn, *, actor: str) -> Course:
    taken = session.scalars(select(Course.id).where(Course.programme_id == programme.id,
                                                    Course.code == data.code)).first()
    if taken is not None:
        raise Conflict(f"课程代码 {data.code} 已存在 / course code {data.code!r} exists (course {taken})",
                       field="code", course_id=taken)
    row = Course(programme_id=programme.id, code=data.code, title=data.title, tier=data.tier, hours=data.hours,
                 valid_days=data.valid_days)
    session.add(row)
    session.flush()
    return row


def get_course(session: Session, programme_id: str, course_id: int) -> Course:
    row = session.get(Course, course_id)
    if row is None or row.programme_id != programme_id:
        raise NotFound(f"本项目没有课程 {course_id} / programme {programme_id!r} has no course {course_id}",
                       field="course_id")
    return row


def list_courses(session: Session, programme_id: str, *, tier: str | None = None) -> list[Course]:
    q = select(Course).where(Course.programme_id == programme_id)
    if tier:
        q = q.where(Course.tier == tier)
    return list(session.scalars(q.order_by(Course.code)))


def create_session(session: Session, programme: LoadedProgramme, data: SessionIn, *, actor: str) -> TrainingSession:
    """A session of a course; times without an offset are in the programme's zone."""
    gate.require_open(session, programme, "training")
    course = get_course(session, programme.id, data.course_id)
    starts, ends = aware(data.starts_at, programme.config.tz), aware(data.ends_at, programme.config.tz)
    if ends <= starts:
        raise InvalidInput(f"结束时间 {ends} 不晚于开始时间 {starts} / ends_at must be after starts_at", field="ends_at")
    length = Decimal((ends - starts).total_seconds()) / 3600
    if length > 24:
        raise InvalidInput("一次培训不超过 24 小时 / a session lasts at most 24 hours", field="ends_at")
    hours = data.hours if data.hours is not None else length.quantize(Decimal("0.01"), ROUND_HALF_UP)
    row = TrainingSession(programme_id=programme.id, course_id=course.id, starts_at=starts, ends_at=ends,
                          hours=hours, place=data.place, trainer=data.trainer)
    session.add(row)
    session.flush()
    return row


def get_session(session: Session, programme_id: str, session_id: int) -> TrainingSession:
    row = session.get(TrainingSession, session_id)
    if row is None or row.programme_id != programme_id:
        raise NotFound(f"本项目没有培训场次 {session_id} / programme {programme_id!r} has no training session "
                       f"{session_id}")
    return row


def list_sessions(session: Session, programme_id: str, *, course_id: int | None = None) -> list[TrainingSession]:
    q = select(TrainingSession).where(TrainingSession.programme_id == programme_id)
    if course_id is not None:
        q = q.where(TrainingSession.course_id == course_id)
    return list(session.scalars(q.order_by(TrainingSession.starts_at, TrainingSession.id)))


@dataclass
class AttendanceResult:
    recorded: int = 0
    updated: int = 0
    completions: list[Completion] = field(default_factory=list)


def record_attendance(session: Session, programme: LoadedProgramme, session_id: int,
                      entries: list[tuple[int, bool]], *, actor: str, now: dt.datetime | None = None) -> AttendanceResult:
    """Record who was present at a session (bulk; a second call corrects ``present``).

    Every volunteer must be enrolled here and listed once; the session must have started.
    Then completions of the course are derived (see the module docstring).
    """
    gate.require_open(session, programme, "training")
    ts = get_session(session, programme.id, session_id)
    if ts.starts_at > (now or utcnow()):
        raise InvalidInput(f"培训场次 {ts.id} 尚未开始，不能登记出勤 / session {ts.id} has not started: attendance "
                           "is recorded from its start", field="session_id")
    ids = [vid for vid, _ in entries]
    doubled = sorted(v for v, n in Counter(ids).items() if n > 1)
    if doubled:
        raise InvalidInput(f"志愿者重复出现: {doubled} / volunteers listed twice: {doubled}", field="entries")
    enrolled = set(session.scalars(select(Enrolment.volunteer_id).where(
        Enrolment.programme_id == programme.id, Enrolment.volunteer_id.in_(ids))))
    unknown = [v for v in ids if v not in enrolled]
    if unknown:
        raise InvalidInput(f"以下志愿者未在本项目登记: {unknown} / not enrolled in this programme: {unknown}",
                           field="entries", volunteer_ids=unknown)
    seen = dict(session.execute(select(Attendance.volunteer_id, Attendance.present).where(
        Attendance.session_id == ts.id, Attendance.volunteer_id.in_(ids))).all())
    result = AttendanceResult()
    stamp = utcnow()
    fresh = [{"session_id": ts.id, "volunteer_id": v, "present": p, "recorded_by": actor, "recorded_at": stamp}
             for v, p in entries if v not in seen]
    if fresh:
        session.execute(insert(Attendance), fresh)
        result.recorded = len(fresh)
    for present in (True, False):
        changed = [v for v, p in entries if v in seen and seen[v] != p and p is present]
        if changed:
            session.execute(update(Attendance).where(Attendance.session_id == ts.id,
                                                     Attendance.volunteer_id.in_(changed))
                            .values(present=present, recorded_by=actor, recorded_at=stamp)
                            .execution_options(synchronize_session=False))
            result.updated += len(changed)
    present_ids = [v for v, p in entries if p]
    course = session.get(Course, ts.course_id)
    assert course is not None
    result.completions = derive_completions(session, programme, course, present_ids, actor=actor)
    return result


def derive_completions(session: Session, programme: LoadedProgramme, course: Course, volunteer_ids: list[int], *,
                       actor: str) -> list[Completion]:
    """Add a completion for each volunteer whose attended hours since their last completion reach
    the course's hours. Two queries for the whole list."""
    if not volunteer_ids:
        return []
    last = dict(session.execute(select(Completion.volunteer_id, func.max(Completion.completed_on)).where(
        Completion.course_id == course.id, Completion.volunteer_id.in_(volunteer_ids))
        .group_by(Completion.volunteer_id)).all())
    attended = session.execute(
        select(Attendance.volunteer_id, TrainingSession.starts_at, TrainingSession.hours)
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .where(TrainingSession.course_id == course.id, Attendance.present.is_(True),
               Attendance.volunteer_id.in_(volunteer_ids))
        .order_by(Attendance.volunteer_id, TrainingSession.starts_at)).all()
    totals: dict[int, Decimal] = {}
    reached: dict[int, dt.date] = {}
    for vid, starts_at, hours in attended:
        day = starts_at.astimezone(programme.config.tz).date()
        previous = _date(last.get(vid))
        if vid in reached or (previous is not None and day <= previous):
            continue
        totals[vid] = totals.get(vid, Decimal(0)) + Decimal(hours)
        if totals[vid] >= Decimal(course.hours):
            reached[vid] = day
    rows = [Completion(programme_id=programme.id, course_id=course.id, volunteer_id=vid, completed_on=day,
                       expires_on=expiry(day, course.valid_days), source="attendance", recorded_by=actor)
            for vid, day in sorted(reached.items())]
    session.add_all(rows)
    session.flush()
    return rows


def expiry(completed_on: dt.date, valid_days: int | None) -> dt.date | None:
    """The first day a completion no longer counts: 2024-03-01 + 730 days = 2026-03-01."""
    return completed_on + dt.timedelta(days=valid_days) if valid_days else None


def record_completion(session: Session, programme: LoadedProgramme, course_id: int, volunteer_id: int,
                      completed_on: dt.date, *, actor: str, today: dt.date | None = None) -> Completion:
    """Record a completion explicitly (exam passed, outside certificate); not dated in the future."""
    gate.require_open(session, programme, "training")
    course = get_course(session, programme.id, course_id)
    today = today or programme_today(programme)
    if completed_on > today:
        raise InvalidInput(f"完成日期 {completed_on} 晚于今天 {today} / completed_on is in the future",
                           field="completed_on")
    visible_volunteer(session, programme.id, volunteer_id)
    same = session.scalars(select(Completion.id).where(
        Completion.course_id == course.id, Completion.volunteer_id == volunteer_id,
        Completion.completed_on == completed_on)).first()
    if same is not None:
        raise Conflict(f"已登记 {completed_on} 完成「{course.title}」/ completion of {course.code} on {completed_on} "
                       f"already recorded", completion_id=same)
    row = Completion(programme_id=programme.id, course_id=course.id, volunteer_id=volunteer_id,
                     completed_on=completed_on, expires_on=expiry(completed_on, course.valid_days),
                     source="recorded", recorded_by=actor)
    session.add(row)
    session.flush()
    return row


def list_completions(session: Session, programme_id: str, *, volunteer_id: int | None = None,
                     course_id: int | None = None) -> list[tuple[Completion, Course]]:
    q = (select(Completion, Course).join(Course, Course.id == Completion.course_id)
         .where(Completion.programme_id == programme_id))
    if volunteer_id is not None:
        q = q.where(Completion.volunteer_id == volunteer_id)
    if course_id is not None:
        q = q.where(Completion.course_id == course_id)
    return list(session.execute(q.order_by(Completion.volunteer_id, Course.code, Completion.completed_on)))


def training_hours(session: Session, programme: LoadedProgramme, year: int, *, minimum: float = YEARLY_MINIMUM_HOURS,
                   volunteer_id: int | None = None, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Face-to-face training hours per enrolled volunteer in a local calendar year (set-based).

    Everyone enrolled is listed, those with none too: the point is to see who is short of the
    yearly minimum (seed 001: 40 h).
    """
    tz = programme.config.tz
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    per = (select(Attendance.volunteer_id.label("vid"), func.sum(TrainingSession.hours).label("hours"),
                  func.count().label("sessions"))
           .join(TrainingSession, TrainingSession.id == Attendance.session_id)
           .where(TrainingSession.programme_id == programme.id, Attendance.present.is_(True),
                  TrainingSession.starts_at >= start, TrainingSession.starts_at < end)
           .group_by(Attendance.volunteer_id).subquery())
    hours = func.coalesce(per.c.hours, 0)
    cond = [Enrolment.programme_id == programme.id]
    if volunteer_id is not None:
        cond.append(Volunteer.id == volunteer_id)
    base = (select(Volunteer.id, Volunteer.name, Volunteer.unit, hours.label("hours"),
                   func.coalesce(per.c.sessions, 0).label("sessions"))
            .join(Enrolment, Enrolment.volunteer_id == Volunteer.id)
            .outerjoin(per, per.c.vid == Volunteer.id).where(*cond))
    summary = session.execute(select(func.count(), func.coalesce(func.sum(hours), 0),
                                     func.count().filter(hours >= minimum))
                              .select_from(Volunteer).join(Enrolment, Enrolment.volunteer_id == Volunteer.id)
                              .outerjoin(per, per.c.vid == Volunteer.id).where(*cond)).one()
    rows = session.execute(base.order_by(hours.desc(), Volunteer.id).limit(limit).offset(offset)).all()
    return {
        "year": year, "minimum_hours": minimum, "volunteers": summary[0], "total_hours": float(summary[1]),
        "meeting_minimum": summary[2],
        "items": [{"volunteer_id": r.id, "name": r.name, "unit": r.unit, "hours": float(r.hours),
                   "sessions": int(r.sessions), "meets_minimum": float(r.hours) >= minimum} for r in rows],
    }


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
