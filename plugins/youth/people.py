"""Students, instructor teachers and guardians — and who may see which student.

A student is a registry person (``ctx.register_person``) enrolled in the year's programme with a
school, grade and class (:class:`.models.Student`); their age is computed from the birth date of
their checked ID number on the date of each activity, never stored. The region's minimum age
(``rules.minors.min_age``) is checked on registration and again on each application.

Who sees a student (issue 13, privacy — minors' data is the most sensitive in the system):
admin, coordinator and league_teacher: every student; an instructor teacher: the students of their
own school; a guardian: only their own children; a student: only themselves. Anyone else gets
404, as if the student did not exist. ID numbers are masked unless the role sees personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from engine.errors import Forbidden, InvalidInput, NotFound
from engine.sdk import PlanContext, age_on
from engine.sdk.people import mask_id_number
from engine.sdk.tables import Volunteer

from .models import Student, Teacher

ALL_STUDENTS = ("admin", "coordinator", "league_teacher")
STAFF = ("admin", "coordinator", "league_teacher", "instructor")


@dataclass
class Viewer:
    """Who is looking: their roles, their own volunteer id, their school (teacher), their children."""

    roles: frozenset[str]
    user_id: int
    own_id: int | None
    school: str | None
    wards: list[int]
    personal_data: bool

    @property
    def sees_all(self) -> bool:
        return bool(self.roles & set(ALL_STUDENTS))


def viewer(ctx: PlanContext, user_id: int, personal_data: bool) -> Viewer:
    own = ctx.session.scalar(select(Volunteer.id).where(Volunteer.user_id == user_id))
    school = ctx.session.scalar(select(Teacher.school).where(Teacher.programme_id == ctx.programme.id,
                                                             Teacher.user_id == user_id))
    wards = ctx.wards_of(user_id) if "guardian" in ctx.roles else []
    return Viewer(ctx.roles, user_id, own, school if "instructor" in ctx.roles else None, wards, personal_data)


def student_row(ctx: PlanContext, volunteer_id: int) -> Student | None:
    return ctx.session.scalars(select(Student).where(Student.programme_id == ctx.programme.id,
                                                     Student.volunteer_id == volunteer_id)).first()


def may_see(v: Viewer, student: Student) -> bool:
    return (v.sees_all or student.volunteer_id == v.own_id or student.volunteer_id in v.wards
            or (v.school is not None and student.school == v.school))


def visible_student(ctx: PlanContext, v: Viewer, volunteer_id: int) -> Student:
    """The student if this viewer may see them; 404 otherwise (existence is not revealed)."""
    row = student_row(ctx, volunteer_id)
    if row is None or not may_see(v, row):
        raise NotFound(f"没有学生 {volunteer_id} / no student {volunteer_id}", volunteer_id=volunteer_id)
    return row


def visible_students(ctx: PlanContext, v: Viewer) -> list[Student]:
    q = select(Student).where(Student.programme_id == ctx.programme.id).order_by(Student.school, Student.grade,
                                                                                 Student.class_name, Student.id)
    return [s for s in ctx.session.scalars(q) if may_see(v, s)]


def student_out(ctx: PlanContext, v: Viewer, s: Student) -> dict[str, Any]:
    vol = ctx.volunteer(s.volunteer_id)
    consent = ctx.consent(s.volunteer_id)
    return {"volunteer_id": s.volunteer_id, "name": vol.name, "school": s.school, "grade": s.grade,
            "class_name": s.class_name, "age_today": age_on(vol.birth_date, ctx.today),
            "id_number": vol.id_number if v.personal_data else mask_id_number(vol.id_number),
            "consent": consent.status if consent is not None else None}


def register_student(ctx: PlanContext, *, name: str, id_number: str, school: str, grade: str, class_name: str,
                     guardian_username: str | None = None, relationship: str | None = None,
                     paper_consent_by: str | None = None, username: str | None = None) -> tuple[Student, list[str]]:
    """Register and enrol a student; link their guardian; record a paper consent form if handed in.

    Returns the student and what holds them (e.g. "pending: consent requested"). Refuses a student
    below the region's minimum age, naming the article."""
    vol = ctx.register_person(name, id_number)
    minors = ctx.minors_policy
    age = age_on(vol.birth_date, ctx.today)
    if minors is not None and age < minors.min_age:
        cite = f"（{minors.min_age_cite}）" if minors.min_age_cite else ""
        raise InvalidInput(f"{name} {age} 岁，未满本地区志愿者最低年龄 {minors.min_age} 岁{cite} / {name} is {age}, under "
                           f"the region's minimum volunteer age of {minors.min_age}", field="id_number")
    ctx.enrol_volunteer(vol.id, source="youth")
    if username:  # the student's own login (role volunteer), for reflections and their portfolio
        login = ctx.user_by_name(username)
        if login is None:
            raise InvalidInput(f"没有用户 {username} / no user {username!r}", field="username")
        ctx.link_account(vol.id, login.id)
    row = student_row(ctx, vol.id)
    if row is None:
        row = Student(programme_id=ctx.programme.id, volunteer_id=vol.id, school=school.strip(), grade=grade.strip(),
                      class_name=class_name.strip())
        ctx.session.add(row)
    else:
        row.school, row.grade, row.class_name = school.strip(), grade.strip(), class_name.strip()
    if guardian_username:
        user = ctx.user_by_name(guardian_username)
        if user is None or "guardian" not in ctx.roles_of(user.id):
            raise InvalidInput(f"用户 {guardian_username} 不是本项目的监护人 / user {guardian_username!r} has no guardian "
                               "role in this programme", field="guardian_username")
        ctx.link_guardian(vol.id, user.id, relationship=relationship or "监护人")
    current = ctx.consent(vol.id)
    if paper_consent_by and (current is None or current.status != "given"):
        ctx.record_consent(vol.id, "given", via="paper", guardian_name=paper_consent_by,
                           note="登记时交回纸质同意书 / paper form handed in at registration")
    ctx.session.flush()
    ask_guardians(ctx, vol.id)
    held = []
    current = ctx.consent(vol.id)
    if minors is not None and age < minors.consent_below and (current is None or current.status != "given"):
        held.append(f"待定：监护人同意尚未给出 / pending: the guardian's consent is "
                    f"{current.status if current else 'not requested'}")
    return row, held


def add_teacher(ctx: PlanContext, *, username: str, name: str, school: str) -> Teacher:
    user = ctx.user_by_name(username)
    if user is None or "instructor" not in ctx.roles_of(user.id):
        raise InvalidInput(f"用户 {username} 不是本项目的指导教师 / user {username!r} has no instructor role here",
                           field="username")
    row = ctx.session.scalars(select(Teacher).where(Teacher.programme_id == ctx.programme.id,
                                                    Teacher.user_id == user.id)).first()
    if row is None:
        row = Teacher(programme_id=ctx.programme.id, user_id=user.id, name=name.strip(), school=school.strip())
        ctx.session.add(row)
    else:
        row.name, row.school = name.strip(), school.strip()
    ctx.session.flush()
    return row


def ask_guardians(ctx: PlanContext, volunteer_id: int) -> int:
    """While a student's consent is requested, ask each linked guardian once per request; returns how many."""
    current = ctx.consent(volunteer_id)
    if current is None or current.status != "requested":
        return 0
    name = ctx.volunteer(volunteer_id).name
    sent = 0
    for g in ctx.guardians_of(volunteer_id):
        sent += ctx.notify("youth.consent_requested", {"student": name}, to_user_id=g.user_id,
                           key=f"youth.consent:{ctx.programme.id}:{volunteer_id}:{current.id}:{g.user_id}")
    return sent


def guardian_answer(ctx: PlanContext, v: Viewer, volunteer_id: int, status: str, *, guardian_name: str | None,
                    note: str | None) -> tuple[Any, list[int]]:
    """A consent decision: a linked guardian answers with their own account; staff record a paper form."""
    if volunteer_id in v.wards:
        return ctx.record_consent(volunteer_id, status, via="account", guardian_user_id=v.user_id, note=note)
    if not (v.roles & set(STAFF)):
        raise Forbidden("只有该学生的监护人或学校工作人员可以登记同意 / only the student's guardian or school staff may "
                        "record consent")
    if status == "requested":
        out = ctx.record_consent(volunteer_id, status, note=note)
        ask_guardians(ctx, volunteer_id)
        return out
    return ctx.record_consent(volunteer_id, status, via="paper", guardian_name=guardian_name, note=note)
