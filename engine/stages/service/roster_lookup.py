"""Roster lookups: a shift, a volunteer, an assignment by id (404 outside the programme), and the
assignment list; re-exported by :mod:`engine.stages.service.roster`, which holds the rules."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import NotFound
from engine.programme import LoadedProgramme
from engine.stages.design.models import Shift
from engine.stages.recruitment.models import Volunteer
from engine.stages.recruitment.visibility import visible_volunteer
from engine.stages.service.models import Assignment


def volunteer_of_user(session: Session, user_id: int) -> Volunteer | None:
    return session.scalars(select(Volunteer).where(Volunteer.user_id == user_id)).one_or_none()


def get_shift(session: Session, programme: LoadedProgramme, shift_id: int, *, lock: bool = False) -> Shift:
    q = select(Shift).where(Shift.id == shift_id)
    shift = session.scalars(q.with_for_update() if lock else q).one_or_none()
    if shift is None or shift.programme_id != programme.id:
        raise NotFound(f"没有班次 {shift_id} / programme {programme.id!r} has no shift {shift_id}", field="shift_id")
    return shift


def get_volunteer(session: Session, volunteer_id: int, *, programme_id: str | None = None,
                  lock: bool = False) -> Volunteer:
    """A volunteer by id; with ``programme_id``, only one who joined that programme (404 otherwise)."""
    if programme_id is not None:
        return visible_volunteer(session, programme_id, volunteer_id, lock=lock)
    q = select(Volunteer).where(Volunteer.id == volunteer_id)
    vol = session.scalars(q.with_for_update() if lock else q).one_or_none()
    if vol is None:
        raise NotFound(f"没有志愿者 {volunteer_id} / no volunteer {volunteer_id}", field="volunteer_id")
    return vol


def get_assignment(session: Session, programme: LoadedProgramme, assignment_id: int) -> Assignment:
    a = session.get(Assignment, assignment_id)
    if a is None or a.programme_id != programme.id:
        raise NotFound(f"没有排班 {assignment_id} / programme {programme.id!r} has no assignment {assignment_id}",
                       assignment=assignment_id)
    return a


def list_assignments(session: Session, programme: LoadedProgramme, *, shift_id: int | None = None,
                     volunteer_id: int | None = None, status: str | None = None, limit: int = 100,
                     offset: int = 0) -> list[Assignment]:
    q = select(Assignment).where(Assignment.programme_id == programme.id)
    if shift_id is not None:
        q = q.where(Assignment.shift_id == shift_id)
    if volunteer_id is not None:
        q = q.where(Assignment.volunteer_id == volunteer_id)
    if status is not None:
        q = q.where(Assignment.status == status)
    return list(session.scalars(q.order_by(Assignment.id).limit(min(limit, 1000)).offset(offset)))
