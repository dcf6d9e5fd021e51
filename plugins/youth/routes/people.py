"""Students, teachers, guardians and consent over HTTP."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field

from engine.inputs import Id

from .. import people as P
from .common import PREFIX, TAGS, ViewerDep, YouthCtx, YouthDep

router = APIRouter(prefix=PREFIX, tags=TAGS)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StudentIn(_In):
    name: str = Field(min_length=1, max_length=100)
    id_number: str = Field(min_length=15, max_length=18)
    school: str = Field(min_length=1, max_length=120)
    grade: str = Field(min_length=1, max_length=30)
    class_name: str = Field(min_length=1, max_length=30)
    guardian_username: str | None = Field(default=None, max_length=150)
    relationship: str | None = Field(default=None, max_length=30)
    paper_consent_by: str | None = Field(default=None, max_length=100, description="guardian who signed a paper form")
    username: str | None = Field(default=None, max_length=150, description="the student's own login, if any")


class TeacherIn(_In):
    username: str = Field(min_length=1, max_length=150)
    name: str = Field(min_length=1, max_length=100)
    school: str = Field(min_length=1, max_length=120)


class GuardianIn(_In):
    username: str = Field(min_length=1, max_length=150)
    volunteer_id: Id
    relationship: str = Field(min_length=1, max_length=30)


class ConsentIn(_In):
    status: Literal["requested", "given", "refused", "withdrawn"]
    guardian_name: str | None = Field(default=None, max_length=100, description="the signer of a paper form")
    note: str | None = Field(default=None, max_length=2000)


@router.post("/students", status_code=status.HTTP_201_CREATED)
def register_student(body: StudentIn, access: YouthDep, ctx: YouthCtx, v: ViewerDep) -> dict[str, Any]:
    """Register a student (school, grade, class) and enrol them; a minor is held until a guardian consents."""
    access.require("admin", "coordinator", "league_teacher", "instructor", what="registering a student")
    if "instructor" in v.roles and not v.sees_all and v.school != body.school.strip():
        access.require("admin", "coordinator", "league_teacher", what="registering a student of another school")
    row, held = P.register_student(ctx, **body.model_dump())
    return {**P.student_out(ctx, v, row), "held": held}


@router.get("/students")
def list_students(access: YouthDep, ctx: YouthCtx, v: ViewerDep) -> dict[str, Any]:
    """The students this caller may see (a teacher: their school; a guardian: their children)."""
    rows = P.visible_students(ctx, v)
    return {"students": [P.student_out(ctx, v, s) for s in rows], "total": len(rows)}


@router.get("/students/{volunteer_id}")
def get_student(volunteer_id: Id, access: YouthDep, ctx: YouthCtx, v: ViewerDep) -> dict[str, Any]:
    return P.student_out(ctx, v, P.visible_student(ctx, v, volunteer_id))


@router.post("/teachers", status_code=status.HTTP_201_CREATED)
def add_teacher(body: TeacherIn, access: YouthDep, ctx: YouthCtx) -> dict[str, Any]:
    access.require("admin", "coordinator", "league_teacher", what="adding an instructor teacher")
    row = P.add_teacher(ctx, **body.model_dump())
    return {"user_id": row.user_id, "name": row.name, "school": row.school}


@router.post("/guardians", status_code=status.HTTP_201_CREATED)
def link_guardian(body: GuardianIn, access: YouthDep, ctx: YouthCtx, v: ViewerDep) -> dict[str, Any]:
    """Link a guardian's login (role ``guardian``) to a student; a guardian may have several children."""
    access.require("admin", "coordinator", "league_teacher", "instructor", what="linking a guardian")
    P.visible_student(ctx, v, body.volunteer_id)
    user = ctx.user_by_name(body.username)
    if user is None or "guardian" not in ctx.roles_of(user.id):
        from engine.errors import InvalidInput

        raise InvalidInput(f"用户 {body.username} 不是本项目的监护人 / user {body.username!r} has no guardian role here",
                           field="username")
    g = ctx.link_guardian(body.volunteer_id, user.id, relationship=body.relationship)
    P.ask_guardians(ctx, body.volunteer_id)
    return {"volunteer_id": g.volunteer_id, "user_id": g.user_id, "relationship": g.relationship}


@router.get("/students/{volunteer_id}/consent")
def consent_of(volunteer_id: Id, access: YouthDep, ctx: YouthCtx, v: ViewerDep) -> dict[str, Any]:
    P.visible_student(ctx, v, volunteer_id)
    events = ctx.consent_history(volunteer_id)
    return {"status": events[-1].status if events else None,
            "history": [{"status": e.status, "via": e.via, "guardian_name": e.guardian_name,
                         "recorded_by": e.recorded_by, "note": e.note, "at": e.created_at} for e in events]}


@router.post("/students/{volunteer_id}/consent")
def answer_consent(volunteer_id: Id, body: ConsentIn, access: YouthDep, ctx: YouthCtx, v: ViewerDep) -> dict[str, Any]:
    """A guardian answers with their own account; staff request consent or record a paper form."""
    P.visible_student(ctx, v, volunteer_id)
    event, removed = P.guardian_answer(ctx, v, volunteer_id, body.status, guardian_name=body.guardian_name,
                                       note=body.note)
    return {"status": event.status, "via": event.via, "recorded_by": event.recorded_by,
            "removed_from_assignments": removed}
