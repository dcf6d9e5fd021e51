"""设计项目 Project design: projects answering needs, posts, shifts (one-off and weekly), budgets.

Rules kept here because they need the store or the programme:

* a shift ends after it starts and lies within the programme period (and within its project's
  dates when the project has them), read in the programme's time zone: the period's last day
  counts whole, to local midnight;
* a post's age range is ordered after a partial update too;
* a post may name courses not set up yet (training is designed later): that is a warning, not
  an error;
* a shift is cancelled (kept, marked) only while nobody is rostered on it.

Money is :class:`~decimal.Decimal` to the cent; totals are SQL aggregates.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import case, exists, func, select, update
from sqlalchemy.orm import Session

from engine.errors import Conflict, InvalidInput, NotFound
from engine.programme import LoadedProgramme
from engine.stages.design import recurrence
from engine.stages.design.models import BudgetLine, Post, Project, Shift
from engine.stages.design.schemas import (
    ActualIn,
    BudgetLineIn,
    PostIn,
    PostPatch,
    ProjectIn,
    ProjectPatch,
    RecurringShiftsIn,
    ShiftIn,
)
from engine.stages.needs.models import Need, ProjectNeed
from engine.stages.service.models import Assignment
from engine.stages.training.models import Course
from engine.store.base import utcnow
from engine.timeutil import aware, local
from engine.workflow import stagegate as gate

CENT = Decimal("0.01")


# ------------------------------------------------------------------ projects


def create_project(session: Session, programme: LoadedProgramme, data: ProjectIn, *, actor: str) -> Project:
    """A project, linked to the needs it answers (``need_ids``)."""
    gate.require_open(session, programme, "design")
    _check_project_dates(programme, data.start_date, data.end_date)
    needs = _needs_of_programme(session, programme, data.need_ids)
    project = Project(programme_id=programme.id, created_by=actor,
                      **data.model_dump(exclude={"need_ids"}))
    session.add(project)
    session.flush()
    session.add_all(ProjectNeed(project_id=project.id, need_id=nid) for nid in needs)
    session.flush()
    return project


def update_project(session: Session, programme: LoadedProgramme, project_id: int, changes: ProjectPatch, *,
                   actor: str) -> Project:
    """Change a project's name, description, kind, place, node or dates (only the fields sent)."""
    gate.require_open(session, programme, "design")
    project = get_project(session, programme, project_id)
    values = changes.model_dump(exclude_unset=True)
    for name in ("name", "kind"):
        if name in values and values[name] is None:
            raise InvalidInput(f"字段 {name} 不能为空 / {name} cannot be null", field=name)
    _check_project_dates(programme, values.get("start_date", project.start_date),
                         values.get("end_date", project.end_date))
    for name, value in values.items():
        setattr(project, name, value)
    session.flush()
    return project


def get_project(session: Session, programme: LoadedProgramme, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None or project.programme_id != programme.id:
        raise NotFound(f"服务项目 {project_id} 不存在 / programme {programme.id!r} has no project {project_id}",
                       project=project_id)
    return project


def list_projects(session: Session, programme: LoadedProgramme, *, kind: str | None = None) -> list[Project]:
    q = select(Project).where(Project.programme_id == programme.id)
    if kind:
        q = q.where(Project.kind == kind)
    return list(session.scalars(q.order_by(Project.id)))


def project_needs(session: Session, project_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """The needs each project answers: project id → [(need id, title)]."""
    out: dict[int, list[tuple[int, str]]] = {pid: [] for pid in project_ids}
    if project_ids:
        rows = session.execute(select(ProjectNeed.project_id, Need.id, Need.title).join(Need, Need.id == ProjectNeed.need_id)
                               .where(ProjectNeed.project_id.in_(project_ids)).order_by(Need.id))
        for pid, nid, title in rows:
            out[pid].append((nid, title))
    return out


def post_counts(session: Session, project_ids: list[int]) -> dict[int, int]:
    if not project_ids:
        return {}
    rows = session.execute(select(Post.project_id, func.count()).where(Post.project_id.in_(project_ids))
                           .group_by(Post.project_id))
    return {pid: int(n) for pid, n in rows}


def _check_project_dates(programme: LoadedProgramme, start: dt.date | None, end: dt.date | None) -> None:
    period = programme.config.period
    if start is not None and end is not None and end < start:
        raise InvalidInput(f"服务项目结束日期 {end} 早于开始日期 {start} / end_date {end} is before start_date {start}",
                           field="end_date")
    if start is not None and not period.start <= start <= period.end:
        raise InvalidInput(f"开始日期 {start} 不在计划周期 {period.start}–{period.end} 内 / start_date {start} is outside "
                           f"the programme period {period.start} – {period.end}", field="start_date")
    if end is not None and not period.start <= end <= period.end:
        raise InvalidInput(f"结束日期 {end} 不在计划周期 {period.start}–{period.end} 内 / end_date {end} is outside "
                           f"the programme period {period.start} – {period.end}", field="end_date")


def _needs_of_programme(session: Session, programme: LoadedProgramme, need_ids: list[int]) -> list[int]:
    wanted = sorted(set(need_ids))
    if not wanted:
        return []
    found = set(session.scalars(select(Need.id).where(Need.programme_id == programme.id, Need.id.in_(wanted))))
    missing = [n for n in wanted if n not in found]
    if missing:
        raise InvalidInput(f"需求 {', '.join(map(str, missing))} 不存在 / programme {programme.id!r} has no need(s) "
                           f"{', '.join(map(str, missing))}", field="need_ids")
    return wanted


# ------------------------------------------------------------------ posts


def create_post(session: Session, programme: LoadedProgramme, project_id: int, data: PostIn, *, actor: str) -> Post:
    gate.require_open(session, programme, "design")
    get_project(session, programme, project_id)
    post = Post(programme_id=programme.id, project_id=project_id, **data.model_dump())
    session.add(post)
    session.flush()
    return post


def update_post(session: Session, programme: LoadedProgramme, post_id: int, changes: PostPatch, *,
                actor: str) -> Post:
    """Change a post (only the fields sent); the age range must stay ordered."""
    gate.require_open(session, programme, "design")
    post = get_post(session, programme, post_id)
    values = changes.model_dump(exclude_unset=True)
    for name in ("name", "capacity", "category", "skills", "languages", "qualifications", "required_courses"):
        if name in values and values[name] is None:
            raise InvalidInput(f"字段 {name} 不能为空 / {name} cannot be null", field=name)
    lo, hi = values.get("min_age", post.min_age), values.get("max_age", post.max_age)
    if lo is not None and hi is not None and hi < lo:
        raise InvalidInput(f"最高年龄 {hi} 小于最低年龄 {lo} / max_age {hi} is below min_age {lo}",
                           field="max_age" if "max_age" in values else "min_age")
    for name, value in values.items():
        setattr(post, name, value)
    session.flush()
    return post


def get_post(session: Session, programme: LoadedProgramme, post_id: int) -> Post:
    post = session.get(Post, post_id)
    if post is None or post.programme_id != programme.id:
        raise NotFound(f"岗位 {post_id} 不存在 / programme {programme.id!r} has no post {post_id}", post=post_id)
    return post


def list_posts(session: Session, programme: LoadedProgramme, *, project_id: int | None = None) -> list[Post]:
    q = select(Post).where(Post.programme_id == programme.id)
    if project_id is not None:
        q = q.where(Post.project_id == project_id)
    return list(session.scalars(q.order_by(Post.id)))


def course_warnings(session: Session, programme: LoadedProgramme, posts: list[Post]) -> dict[int, list[str]]:
    """Per post: required course codes the programme has not set up (yet)."""
    codes = {c for p in posts for c in (p.required_courses or [])}
    known = set(session.scalars(select(Course.code).where(Course.programme_id == programme.id,
                                                          Course.code.in_(codes)))) if codes else set()
    out: dict[int, list[str]] = {}
    for p in posts:
        missing = [c for c in (p.required_courses or []) if c not in known]
        out[p.id] = [f"课程「{c}」尚未设立，志愿者须在排班前完成 / course {c!r} is not set up yet; rostered "
                     "volunteers will need it" for c in missing]
    return out


# ------------------------------------------------------------------ shifts


@dataclass
class ShiftRow:
    shift: Shift
    project_id: int
    assigned: int


@dataclass
class Series:
    series: str
    shifts: list[Shift]
    skipped: list[dt.date]


def _midnight(day: dt.date, programme: LoadedProgramme) -> dt.datetime:
    return recurrence.to_utc(day, dt.time(0, 0), programme.config.tz)


def _date_bounds(programme: LoadedProgramme, project: Project) -> list[tuple[str, str, dt.date, dt.date]]:
    """(zh, en, first day, last day): the programme period, and the project's dates if it has any."""
    period = programme.config.period
    bounds = [("计划周期", "programme period", period.start, period.end)]
    if project.start_date is not None or project.end_date is not None:
        bounds.append((f"服务项目「{project.name}」的日期", f"dates of project {project.name!r}",
                       project.start_date or period.start, project.end_date or period.end))
    return bounds


def _check_within(programme: LoadedProgramme, project: Project, starts: dt.datetime, ends: dt.datetime) -> None:
    """A shift lies within the programme period and its project's dates, read as whole local days."""
    tz = programme.config.timezone
    for zh, en, first, last in _date_bounds(programme, project):
        if starts < _midnight(first, programme):
            raise InvalidInput(f"班次开始 {local(starts, tz):%Y-%m-%d %H:%M} 早于{zh} {first}–{last} / starts_at is "
                               f"before the {en} ({first} – {last})", field="starts_at")
        if ends > _midnight(last + dt.timedelta(days=1), programme):
            raise InvalidInput(f"班次结束 {local(ends, tz):%Y-%m-%d %H:%M} 晚于{zh} {first}–{last} / ends_at is "
                               f"after the {en} ({first} – {last})", field="ends_at")


def _check_dates_within(programme: LoadedProgramme, project: Project, start: dt.date, end: dt.date) -> None:
    for zh, en, first, last in _date_bounds(programme, project):
        if start < first:
            raise InvalidInput(f"开始日期 {start} 早于{zh} {first}–{last} / start_date {start} is before the {en} "
                               f"({first} – {last})", field="start_date")
        if end > last:
            raise InvalidInput(f"结束日期 {end} 晚于{zh} {first}–{last} / end_date {end} is after the {en} "
                               f"({first} – {last})", field="end_date")


def _new_shift(programme: LoadedProgramme, post: Post, project: Project, starts: dt.datetime, ends: dt.datetime,
               place: str | None, capacity: int | None, series: str | None) -> Shift:
    return Shift(programme_id=programme.id, post_id=post.id, starts_at=starts, ends_at=ends,
                 place=place if place is not None else project.place, capacity=capacity or post.capacity,
                 checkin_code=secrets.token_urlsafe(16), series=series)


def create_shift(session: Session, programme: LoadedProgramme, post_id: int, data: ShiftIn, *, actor: str) -> Shift:
    """One shift; it gets a random, unguessable ``checkin_code`` for the QR code at the post."""
    gate.require_open(session, programme, "design")
    post = get_post(session, programme, post_id)
    project = get_project(session, programme, post.project_id)
    starts = aware(data.starts_at, programme.config.timezone).astimezone(dt.UTC)
    ends = aware(data.ends_at, programme.config.timezone).astimezone(dt.UTC)
    if ends <= starts:
        raise InvalidInput(f"班次结束时间须晚于开始时间 / ends_at ({data.ends_at}) must be after starts_at "
                           f"({data.starts_at})", field="ends_at")
    _check_within(programme, project, starts, ends)
    shift = _new_shift(programme, post, project, starts, ends, data.place, data.capacity, None)
    session.add(shift)
    session.flush()
    return shift


def create_recurring_shifts(session: Session, programme: LoadedProgramme, post_id: int, data: RecurringShiftsIn, *,
                            actor: str) -> Series:
    """Expand a weekly template (local times, holidays skipped) into shifts sharing one ``series`` id."""
    gate.require_open(session, programme, "design")
    post = get_post(session, programme, post_id)
    project = get_project(session, programme, post.project_id)
    _check_dates_within(programme, project, data.start_date, data.end_date)
    exp = recurrence.expand_weekly(data.start_date, data.end_date, data.weekdays, data.start_time, data.end_time,
                                   programme.config.tz, data.skip_dates)
    if not exp.occurrences:
        raise InvalidInput(f"{data.start_date}–{data.end_date} 之间没有符合的日期 / no date between {data.start_date} "
                           f"and {data.end_date} falls on {', '.join(data.weekdays)} (holidays excluded)",
                           field="weekdays")
    if len(exp.occurrences) > recurrence.MAX_OCCURRENCES:
        raise InvalidInput(f"一次最多生成 {recurrence.MAX_OCCURRENCES} 个班次，此模板会生成 {len(exp.occurrences)} 个 / "
                           f"a series may hold at most {recurrence.MAX_OCCURRENCES} shifts; this one would make "
                           f"{len(exp.occurrences)}: shorten the date range", field="end_date")
    series = uuid.uuid4().hex
    shifts = [_new_shift(programme, post, project, o.starts_at, o.ends_at, data.place, data.capacity, series)
              for o in exp.occurrences]
    session.add_all(shifts)
    session.flush()
    return Series(series, shifts, exp.skipped)


def _assigned_subquery(programme_id: str) -> Any:
    return (select(Assignment.shift_id, func.count().label("n"))
            .where(Assignment.programme_id == programme_id, Assignment.status != "cancelled")
            .group_by(Assignment.shift_id).subquery())


def list_shifts(session: Session, programme: LoadedProgramme, *, post_id: int | None = None,
                project_id: int | None = None, date_from: dt.date | None = None, date_to: dt.date | None = None,
                series: str | None = None, include_cancelled: bool = False, limit: int = 1000,
                offset: int = 0) -> list[ShiftRow]:
    """Shifts starting on local days ``date_from`` … ``date_to`` (inclusive), earliest first,
    with how many volunteers are rostered on each (one query)."""
    n = _assigned_subquery(programme.id)
    q = (select(Shift, Post.project_id, func.coalesce(n.c.n, 0)).join(Post, Post.id == Shift.post_id)
         .outerjoin(n, n.c.shift_id == Shift.id).where(Shift.programme_id == programme.id))
    if post_id is not None:
        q = q.where(Shift.post_id == post_id)
    if project_id is not None:
        q = q.where(Post.project_id == project_id)
    if date_from is not None:
        q = q.where(Shift.starts_at >= _midnight(date_from, programme))
    if date_to is not None:
        q = q.where(Shift.starts_at < _midnight(date_to + dt.timedelta(days=1), programme))
    if series is not None:
        q = q.where(Shift.series == series)
    if not include_cancelled:
        q = q.where(Shift.cancelled_at.is_(None))
    rows = session.execute(q.order_by(Shift.starts_at, Shift.id).limit(limit).offset(offset))
    return [ShiftRow(shift, pid, int(count)) for shift, pid, count in rows]


def shift_row(session: Session, programme: LoadedProgramme, shift_id: int) -> ShiftRow:
    shift = session.get(Shift, shift_id)
    if shift is None or shift.programme_id != programme.id:
        raise NotFound(f"班次 {shift_id} 不存在 / programme {programme.id!r} has no shift {shift_id}", shift=shift_id)
    post = session.get(Post, shift.post_id)
    assert post is not None
    return ShiftRow(shift, post.project_id, _assigned(session, shift_id))


def _assigned(session: Session, shift_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(Assignment).where(
        Assignment.shift_id == shift_id, Assignment.status != "cancelled")) or 0)


def cancel_shift(session: Session, programme: LoadedProgramme, shift_id: int, reason: str | None, *,
                 actor: str) -> Shift:
    """Mark a shift cancelled; refused (409) while anyone is rostered on it or if it already is.

    One conditional ``UPDATE … WHERE cancelled_at IS NULL AND NOT EXISTS (assignment)``: of two
    coordinators cancelling at once, one wins; the row lock it takes makes a roster that locks the
    shift before assigning wait for it.
    """
    gate.require_open(session, programme, "design")
    row = shift_row(session, programme, shift_id)
    rostered = exists().where(Assignment.shift_id == Shift.id, Assignment.status != "cancelled")
    done = session.execute(
        update(Shift).where(Shift.id == shift_id, Shift.cancelled_at.is_(None), ~rostered)
        .values(cancelled_at=utcnow(), cancelled_by=actor, cancel_reason=reason)
        .execution_options(synchronize_session=False))
    if done.rowcount == 1:  # type: ignore[attr-defined]
        session.refresh(row.shift)
        return row.shift
    session.refresh(row.shift)
    if row.shift.cancelled_at is not None:
        raise Conflict(f"班次 {shift_id} 已于 {row.shift.cancelled_at:%Y-%m-%d %H:%M} UTC 取消 / shift {shift_id} is "
                       "already cancelled", shift=shift_id)
    n = _assigned(session, shift_id)
    raise Conflict(f"班次 {shift_id} 已有 {n} 名志愿者排班，请先取消其排班 / {n} volunteer(s) are rostered on "
                   f"shift {shift_id}: cancel their assignments first", shift=shift_id, assigned=n)


# ------------------------------------------------------------------ budget


def create_budget_line(session: Session, programme: LoadedProgramme, data: BudgetLineIn, *, actor: str) -> BudgetLine:
    gate.require_open(session, programme, "design")
    if data.project_id is not None:
        try:
            get_project(session, programme, data.project_id)
        except NotFound as exc:
            raise InvalidInput(exc.message, field="project_id") from exc
    line = BudgetLine(programme_id=programme.id, created_by=actor, **data.model_dump())
    session.add(line)
    session.flush()
    return line


def get_budget_line(session: Session, programme: LoadedProgramme, line_id: int) -> BudgetLine:
    line = session.get(BudgetLine, line_id)
    if line is None or line.programme_id != programme.id:
        raise NotFound(f"预算条目 {line_id} 不存在 / programme {programme.id!r} has no budget line {line_id}",
                       budget_line=line_id)
    return line


def record_actual(session: Session, programme: LoadedProgramme, line_id: int, data: ActualIn, *,
                  actor: str) -> BudgetLine:
    """Record (or correct) the actual amount of a line; who and when are kept."""
    gate.require_open(session, programme, "design")
    line = get_budget_line(session, programme, line_id)
    line.actual = data.actual
    if data.note is not None:
        line.note = data.note
    line.actual_recorded_by = actor
    line.actual_recorded_at = utcnow()
    session.flush()
    return line


def list_budget_lines(session: Session, programme: LoadedProgramme, *, project_id: int | None = None,
                      kind: str | None = None) -> list[BudgetLine]:
    q = select(BudgetLine).where(BudgetLine.programme_id == programme.id)
    if project_id is not None:
        q = q.where(BudgetLine.project_id == project_id)
    if kind is not None:
        q = q.where(BudgetLine.kind == kind)
    return list(session.scalars(q.order_by(BudgetLine.id)))


def budget_totals(session: Session, programme: LoadedProgramme) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Per project (``None``: programme-wide lines) and for the programme: planned and actual income
    and expense, balance = income − expense; lines without an actual count as 0 in the actual sums."""
    rows = session.execute(
        select(BudgetLine.project_id, Project.name, BudgetLine.kind, func.sum(BudgetLine.planned),
               func.sum(func.coalesce(BudgetLine.actual, 0)), func.count(),
               func.sum(case((BudgetLine.actual.is_(None), 1), else_=0)))
        .outerjoin(Project, Project.id == BudgetLine.project_id)
        .where(BudgetLine.programme_id == programme.id)
        .group_by(BudgetLine.project_id, Project.name, BudgetLine.kind))
    per: dict[int | None, dict[str, Any]] = {}
    total = _empty_total(None, None)
    for pid, name, kind, planned, actual, n, open_n in rows:
        for acc in (per.setdefault(pid, _empty_total(pid, name)), total):
            acc[f"{kind}_planned"] += _money(planned)
            acc[f"{kind}_actual"] += _money(actual)
            acc["lines"] += int(n)
            acc["lines_without_actual"] += int(open_n or 0)
    projects = sorted(per.values(), key=lambda t: (t["project_id"] is None, t["project_id"] or 0))
    for acc in [*projects, total]:
        acc["balance_planned"] = acc["income_planned"] - acc["expense_planned"]
        acc["balance_actual"] = acc["income_actual"] - acc["expense_actual"]
    return projects, total


def _empty_total(project_id: int | None, name: str | None) -> dict[str, Any]:
    zero = Decimal("0.00")
    return {"project_id": project_id, "project_name": name, "lines": 0, "lines_without_actual": 0,
            "income_planned": zero, "income_actual": zero, "expense_planned": zero, "expense_actual": zero,
            "balance_planned": zero, "balance_actual": zero}


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)
