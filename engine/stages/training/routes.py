"""HTTP routes of the training stage (under /api/v1/programmes/{programme_id}/…).

Admin and coordinator set up courses and sessions and record attendance and completions; every
member reads the course catalogue and sessions; completions and the hours report are read by
staff, team leaders and supervisors, and by a volunteer for themself only.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from engine.errors import Forbidden
from engine.http.deps import Access, AccessDep, SessionDep
from engine.inputs import Id, Offset
from engine.stages.recruitment.access import READERS, STAFF, is_reader, my_volunteer
from engine.stages.recruitment.service import enrolled_volunteer, programme_today
from engine.stages.training import service
from engine.stages.training.schemas import (
    AttendanceIn,
    CompletionIn,
    CourseIn,
    SessionIn,
    completion_out,
    course_out,
    session_out,
)

router = APIRouter(prefix="/programmes/{programme_id}", tags=["training"])


def _volunteer_scope(session: Any, access: Access, volunteer_id: int | None) -> int | None:
    """Readers may ask about anyone (or everyone); a volunteer only about themself."""
    if is_reader(access):
        return volunteer_id
    access.require("volunteer", *READERS, what="training records")
    own = my_volunteer(session, access).id
    if volunteer_id is not None and volunteer_id != own:
        raise Forbidden("只能查看自己的培训记录 / you may see only your own training records",
                        required_roles=list(READERS))
    return own


@router.post("/courses", status_code=201)
def create_course(body: CourseIn, access: AccessDep, session: SessionDep) -> dict[str, Any]:
    access.require(*STAFF, what="creating courses")
    return course_out(service.create_course(session, access.programme, body, actor=access.actor))


@router.get("/courses")
def list_courses(access: AccessDep, session: SessionDep,
                 tier: str | None = Query(None, max_length=63)) -> list[dict[str, Any]]:
    return [course_out(c) for c in service.list_courses(session, access.programme.id, tier=tier)]


@router.post("/sessions", status_code=201)
def create_session(body: SessionIn, access: AccessDep, session: SessionDep) -> dict[str, Any]:
    access.require(*STAFF, what="scheduling training sessions")
    return session_out(service.create_session(session, access.programme, body, actor=access.actor))


@router.get("/sessions")
def list_sessions(access: AccessDep, session: SessionDep,
                  course_id: Id | None = None) -> list[dict[str, Any]]:
    return [session_out(s) for s in service.list_sessions(session, access.programme.id, course_id=course_id)]


@router.post("/sessions/{session_id}/attendance")
def record_attendance(session_id: Id, body: AttendanceIn, access: AccessDep, session: SessionDep) -> dict[str, Any]:
    """Bulk attendance for one session; returns counts and the completions it derived."""
    access.require(*STAFF, what="recording attendance")
    result = service.record_attendance(session, access.programme, session_id,
                                       [(e.volunteer_id, e.present) for e in body.entries], actor=access.actor)
    today = programme_today(access.programme)
    courses = {c.id: c for c in service.list_courses(session, access.programme.id)}
    return {"recorded": result.recorded, "updated": result.updated,
            "completions": [completion_out(c, courses[c.course_id], today) for c in result.completions]}


@router.post("/completions", status_code=201)
def record_completion(body: CompletionIn, access: AccessDep, session: SessionDep) -> dict[str, Any]:
    access.require(*STAFF, what="recording completions")
    row = service.record_completion(session, access.programme, body.course_id, body.volunteer_id,
                                    body.completed_on, actor=access.actor)
    course = service.get_course(session, access.programme.id, row.course_id)
    return completion_out(row, course, programme_today(access.programme))


@router.get("/completions")
def list_completions(access: AccessDep, session: SessionDep, volunteer_id: Id | None = None,
                     course_id: Id | None = None) -> list[dict[str, Any]]:
    """Completions (per volunteer with ``volunteer_id``), each with ``valid`` today."""
    vid = _volunteer_scope(session, access, volunteer_id)
    if vid is not None:
        enrolled_volunteer(session, access.programme.id, vid)
    today = programme_today(access.programme)
    return [completion_out(c, course, today)
            for c, course in service.list_completions(session, access.programme.id, volunteer_id=vid,
                                                      course_id=course_id)]


@router.get("/training/hours")
def training_hours(access: AccessDep, session: SessionDep, year: Annotated[int, Query(ge=2000, le=2100)],
                   minimum: float = Query(service.YEARLY_MINIMUM_HOURS, ge=0, le=1000),
                   volunteer_id: Id | None = None, limit: int = Query(100, ge=1, le=1000),
                   offset: Offset = 0) -> dict[str, Any]:
    """Face-to-face training hours per enrolled volunteer in the programme's calendar ``year``
    against the yearly minimum (seed 001: 40 h); a volunteer gets their own row."""
    vid = _volunteer_scope(session, access, volunteer_id)
    return service.training_hours(session, access.programme, year, minimum=minimum, volunteer_id=vid,
                                  limit=limit, offset=offset)
