"""HTTP routes of the design stage, under /api/v1/programmes/{programme_id}/….

Writing projects, posts, shifts and budget lines: admin, coordinator. Reading projects, posts and
shifts: every member of the programme, but a shift's ``checkin_code`` only reaches admin,
coordinator and team_leader (a volunteer must scan it at the post, not read it here). Budget
lines and totals: admin, coordinator, supervisor.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlalchemy.orm import Session

from engine.http.deps import Access, AccessDep, SessionDep
from engine.inputs import Id, Offset
from engine.stages.design import service
from engine.stages.design.models import BudgetLine, Post, Project
from engine.stages.design.schemas import (
    KIND_TITLES,
    ActualIn,
    BudgetKind,
    BudgetLineIn,
    BudgetLineOut,
    BudgetTotal,
    BudgetTotalsOut,
    Kind,
    NeedRef,
    PostIn,
    PostOut,
    PostPatch,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
    RecurringShiftsIn,
    SeriesOut,
    ShiftCancelIn,
    ShiftIn,
    ShiftOut,
)
from engine.timeutil import local

router = APIRouter(prefix="/programmes/{programme_id}", tags=["design"])

DESIGNERS = ("admin", "coordinator")
SEE_CODES = ("admin", "coordinator", "team_leader")
SEE_BUDGET = ("admin", "coordinator", "supervisor")


# ------------------------------------------------------------------ views


def _projects_out(session: Session, projects: list[Project]) -> list[ProjectOut]:
    ids = [p.id for p in projects]
    needs, posts = service.project_needs(session, ids), service.post_counts(session, ids)
    return [ProjectOut(id=p.id, name=p.name, description=p.description, kind=p.kind,
                       kind_title=KIND_TITLES.get(p.kind, p.kind), place=p.place, node=p.node,
                       start_date=p.start_date, end_date=p.end_date, created_by=p.created_by, created_at=p.created_at,
                       needs=[NeedRef(id=i, title=t) for i, t in needs.get(p.id, [])], posts=posts.get(p.id, 0))
            for p in projects]


def _posts_out(session: Session, access: Access, posts: list[Post]) -> list[PostOut]:
    warnings = service.course_warnings(session, access.programme, posts)
    return [PostOut(id=p.id, project_id=p.project_id, name=p.name, duties=p.duties, notes=p.notes,
                    capacity=p.capacity,
                    category=p.category, skills=list(p.skills or []), languages=list(p.languages or []),
                    qualifications=list(p.qualifications or []), min_age=p.min_age, max_age=p.max_age,
                    required_courses=list(p.required_courses or []), warnings=warnings.get(p.id, []))
            for p in posts]


def _shift_out(access: Access, row: service.ShiftRow) -> ShiftOut:
    s, tz = row.shift, access.programme.config.timezone
    return ShiftOut(id=s.id, post_id=s.post_id, project_id=row.project_id, starts_at=s.starts_at, ends_at=s.ends_at,
                    starts_local=local(s.starts_at, tz), ends_local=local(s.ends_at, tz), place=s.place,
                    capacity=s.capacity, assigned=row.assigned, series=s.series, cancelled_at=s.cancelled_at,
                    cancel_reason=s.cancel_reason,
                    checkin_code=s.checkin_code if access.has(*SEE_CODES) else None)


def _line_out(line: BudgetLine) -> BudgetLineOut:
    return BudgetLineOut(id=line.id, project_id=line.project_id, kind=line.kind, item=line.item, planned=line.planned,
                         actual=line.actual, note=line.note, created_by=line.created_by,
                         actual_recorded_by=line.actual_recorded_by, actual_recorded_at=line.actual_recorded_at)


# ------------------------------------------------------------------ projects


@router.post("/projects", status_code=status.HTTP_201_CREATED)
def create_project(body: ProjectIn, access: AccessDep, session: SessionDep) -> ProjectOut:
    """Design a project (设计项目), linked to the needs it answers."""
    access.require(*DESIGNERS, what="designing a project")
    project = service.create_project(session, access.programme, body, actor=access.actor)
    return _projects_out(session, [project])[0]


@router.get("/projects")
def list_projects(access: AccessDep, session: SessionDep, kind: Kind | None = None) -> list[ProjectOut]:
    return _projects_out(session, service.list_projects(session, access.programme, kind=kind))


@router.get("/projects/{project_id}")
def show_project(project_id: Id, access: AccessDep, session: SessionDep) -> ProjectOut:
    return _projects_out(session, [service.get_project(session, access.programme, project_id)])[0]


@router.patch("/projects/{project_id}")
def update_project(project_id: Id, body: ProjectPatch, access: AccessDep, session: SessionDep) -> ProjectOut:
    """Change name, description, kind, place, node or dates (only the fields sent)."""
    access.require(*DESIGNERS, what="changing a project")
    project = service.update_project(session, access.programme, project_id, body, actor=access.actor)
    return _projects_out(session, [project])[0]


# ------------------------------------------------------------------ posts


@router.post("/projects/{project_id}/posts", status_code=status.HTTP_201_CREATED)
def create_post(project_id: Id, body: PostIn, access: AccessDep, session: SessionDep) -> PostOut:
    """A post (岗位) of the project; ``warnings`` name required courses not set up yet."""
    access.require(*DESIGNERS, what="creating a post")
    post = service.create_post(session, access.programme, project_id, body, actor=access.actor)
    return _posts_out(session, access, [post])[0]


@router.get("/posts")
def list_posts(access: AccessDep, session: SessionDep, project_id: Id | None = None) -> list[PostOut]:
    return _posts_out(session, access, service.list_posts(session, access.programme, project_id=project_id))


@router.get("/posts/{post_id}")
def show_post(post_id: Id, access: AccessDep, session: SessionDep) -> PostOut:
    return _posts_out(session, access, [service.get_post(session, access.programme, post_id)])[0]


@router.patch("/posts/{post_id}")
def update_post(post_id: Id, body: PostPatch, access: AccessDep, session: SessionDep) -> PostOut:
    access.require(*DESIGNERS, what="changing a post")
    post = service.update_post(session, access.programme, post_id, body, actor=access.actor)
    return _posts_out(session, access, [post])[0]


# ------------------------------------------------------------------ shifts


@router.post("/posts/{post_id}/shifts", status_code=status.HTTP_201_CREATED)
def create_shift(post_id: Id, body: ShiftIn, access: AccessDep, session: SessionDep) -> ShiftOut:
    """One shift; times without an offset are local to the programme."""
    access.require(*DESIGNERS, what="creating a shift")
    shift = service.create_shift(session, access.programme, post_id, body, actor=access.actor)
    return _shift_out(access, service.shift_row(session, access.programme, shift.id))


@router.post("/posts/{post_id}/shifts/recurring", status_code=status.HTTP_201_CREATED)
def create_recurring_shifts(post_id: Id, body: RecurringShiftsIn, access: AccessDep, session: SessionDep) -> SeriesOut:
    """A weekly series (e.g. every Tuesday 16:30–18:00 for a term, holidays skipped); returns the shifts."""
    access.require(*DESIGNERS, what="creating shifts")
    made = service.create_recurring_shifts(session, access.programme, post_id, body, actor=access.actor)
    post = service.get_post(session, access.programme, post_id)
    shifts = [_shift_out(access, service.ShiftRow(s, post.project_id, 0)) for s in made.shifts]
    return SeriesOut(series=made.series, count=len(shifts), skipped=made.skipped, shifts=shifts)


@router.get("/shifts")
def list_shifts(
    access: AccessDep, session: SessionDep, post_id: Id | None = None, project_id: Id | None = None,
    date_from: Annotated[dt.date | None, Query(alias="from", description="first local day (inclusive)")] = None,
    date_to: Annotated[dt.date | None, Query(alias="to", description="last local day (inclusive)")] = None,
    series: str | None = None, include_cancelled: bool = False,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000, offset: Offset = 0,
) -> list[ShiftOut]:
    """Shifts by post, project, series and local date range, earliest first."""
    rows = service.list_shifts(session, access.programme, post_id=post_id, project_id=project_id,
                               date_from=date_from, date_to=date_to, series=series,
                               include_cancelled=include_cancelled, limit=limit, offset=offset)
    return [_shift_out(access, r) for r in rows]


@router.get("/shifts/{shift_id}")
def show_shift(shift_id: Id, access: AccessDep, session: SessionDep) -> ShiftOut:
    return _shift_out(access, service.shift_row(session, access.programme, shift_id))


@router.post("/shifts/{shift_id}/cancel")
def cancel_shift(shift_id: Id, body: ShiftCancelIn, access: AccessDep, session: SessionDep) -> ShiftOut:
    """Cancel a shift nobody is rostered on (409 otherwise); it stays listed with include_cancelled."""
    access.require(*DESIGNERS, what="cancelling a shift")
    service.cancel_shift(session, access.programme, shift_id, body.reason, actor=access.actor)
    return _shift_out(access, service.shift_row(session, access.programme, shift_id))


# ------------------------------------------------------------------ budget


@router.post("/budget-lines", status_code=status.HTTP_201_CREATED)
def create_budget_line(body: BudgetLineIn, access: AccessDep, session: SessionDep) -> BudgetLineOut:
    access.require(*DESIGNERS, what="adding a budget line")
    return _line_out(service.create_budget_line(session, access.programme, body, actor=access.actor))


@router.get("/budget-lines")
def list_budget_lines(access: AccessDep, session: SessionDep, project_id: Id | None = None,
                      kind: BudgetKind | None = None) -> list[BudgetLineOut]:
    access.require(*SEE_BUDGET, what="reading the budget")
    return [_line_out(x) for x in service.list_budget_lines(session, access.programme, project_id=project_id, kind=kind)]


@router.get("/budget-lines/{line_id}")
def show_budget_line(line_id: Id, access: AccessDep, session: SessionDep) -> BudgetLineOut:
    access.require(*SEE_BUDGET, what="reading the budget")
    return _line_out(service.get_budget_line(session, access.programme, line_id))


@router.post("/budget-lines/{line_id}/actual")
def record_actual(line_id: Id, body: ActualIn, access: AccessDep, session: SessionDep) -> BudgetLineOut:
    """Record (or correct) what was actually received or spent."""
    access.require(*DESIGNERS, what="recording an actual amount")
    return _line_out(service.record_actual(session, access.programme, line_id, body, actor=access.actor))


@router.get("/budget/totals")
def budget_totals(access: AccessDep, session: SessionDep) -> BudgetTotalsOut:
    """Planned vs actual income and expense with balances, per project and for the programme."""
    access.require(*SEE_BUDGET, what="reading the budget")
    projects, total = service.budget_totals(session, access.programme)
    return BudgetTotalsOut(projects=[BudgetTotal(**p) for p in projects], programme=BudgetTotal(**total))
