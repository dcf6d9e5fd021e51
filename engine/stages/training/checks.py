"""Whether a volunteer holds the courses a post requires, on a given day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.stages.training.models import Completion, Course


def missing_courses(session: Session, programme_id: str, volunteer_id: int, codes: list[str], on: dt.date) -> list[str]:
    """Reasons, one per required course the volunteer lacks or whose completion has expired on ``on``."""
    if not codes:
        return []
    courses = {c.code: c for c in session.scalars(
        select(Course).where(Course.programme_id == programme_id, Course.code.in_(codes)))}
    reasons: list[str] = []
    for code in codes:
        course = courses.get(code)
        title = course.title if course else code
        if course is None:
            reasons.append(f"岗位要求的课程「{code}」未在项目中设立 / required course {code!r} is not set up in the programme")
            continue
        rows = list(session.scalars(select(Completion).where(
            Completion.course_id == course.id, Completion.volunteer_id == volunteer_id,
            Completion.completed_on <= on)))
        if not rows:
            reasons.append(f"未完成培训「{title}」/ has not completed required course {title!r} ({code})")
            continue
        valid = [r for r in rows if r.expires_on is None or r.expires_on >= on]
        if not valid:
            last = max(r.expires_on for r in rows if r.expires_on is not None)
            reasons.append(f"培训「{title}」已于 {last} 过期 / completion of {title!r} ({code}) expired on {last}")
    return reasons


def valid_completion_filter(on: dt.date):  # type: ignore[no-untyped-def]
    return or_(Completion.expires_on.is_(None), Completion.expires_on >= on)
