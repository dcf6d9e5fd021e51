"""Whether a volunteer holds the courses a post requires, on a given day.

A completion counts from ``completed_on`` up to the day before ``expires_on``: ``expires_on`` is
``completed_on + valid_days``, the first day it no longer counts. A first-aid certificate of
2024-03-01 valid 730 days therefore counts through 2026-02-28 and not on 2026-03-01 — exactly 730
days. 志愿服务条例 第十六条: service that needs special knowledge or skills needs training first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from engine.stages.training.models import Completion, Course


def missing_courses(session: Session, programme_id: str, volunteer_id: int, codes: list[str], on: dt.date) -> list[str]:
    """Reasons, one per required course the volunteer lacks or whose completion has expired on ``on``.

    Called by assignment (service stage) and by the lifecycle guard; keep the signature. Two
    queries whatever the number of codes.
    """
    if not codes:
        return []
    courses = {c.code: c for c in session.scalars(
        select(Course).where(Course.programme_id == programme_id, Course.code.in_(codes)))}
    latest: dict[int, tuple[bool, dt.date | None]] = {}
    if courses:
        rows = session.execute(
            select(Completion.course_id,
                   func.max(func.coalesce(Completion.expires_on, dt.date.max)).label("last_expiry"))
            .where(Completion.course_id.in_([c.id for c in courses.values()]),
                   Completion.volunteer_id == volunteer_id, Completion.completed_on <= on)
            .group_by(Completion.course_id))
        for course_id, last_expiry in rows:
            last = _as_date(last_expiry)
            latest[course_id] = (last > on, None if last == dt.date.max else last)
    reasons: list[str] = []
    for code in dict.fromkeys(codes):
        course = courses.get(code)
        if course is None:
            reasons.append(f"岗位要求的课程「{code}」未在项目中设立 / required course {code!r} is not set up in the programme")
            continue
        state = latest.get(course.id)
        if state is None:
            reasons.append(f"未完成培训「{course.title}」/ has not completed required course {course.title!r} ({code})")
        elif not state[0]:
            reasons.append(f"培训「{course.title}」已于 {state[1]} 过期 / completion of {course.title!r} ({code}) "
                           f"expired on {state[1]}")
    return reasons


def valid_completion_filter(on: dt.date) -> Any:
    """SQL condition: the completion counts on ``on`` (``expires_on`` is exclusive)."""
    return or_(Completion.expires_on.is_(None), Completion.expires_on > on)


def _as_date(value: Any) -> dt.date:
    """SQLite returns MAX() over dates as text; PostgreSQL as a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
