"""排班 Rosters: assign volunteers to shifts, cancel, mark no-shows, send substitutes.

Seed 000 篇3 (现场运行与调度): 轮班制度 — a roster that leaves volunteers enough rest; 替补机制 —
substitutes for leave and no-shows. Every refusal says why, all reasons at once, so a coordinator
fixes them in one go: capacity, overlap, rest between shifts (``service.min_rest_minutes``), the
day's cap (``service.max_minutes_per_day``), the no-show cap (``service.max_no_shows``: a
volunteer with more no-shows than that is not rostered), an agreed application to the post
(workflow ``application`` in ``agreed``/``active``), and eligibility with the post's required
courses valid on the shift's date (:func:`engine.stages.recruitment.eligibility.check_eligibility`).

Why lock the shift and the volunteer rows (``FOR UPDATE`` on PostgreSQL; SQLite serialises
writers already): two coordinators filling the last place, or rostering one person on two
overlapping shifts at the same moment, must not both succeed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from engine.errors import Conflict, GuardsFailed, InvalidInput
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.stages.design.models import Post, Shift
from engine.stages.recruitment.eligibility import check_eligibility
from engine.stages.recruitment.models import Volunteer
from engine.stages.service import roster_guards as read
from engine.stages.service import shift_rules  # --- added for event (shift rules) ---
from engine.stages.service.models import Assignment, Checkin
from engine.stages.service.roster_lookup import get_assignment as get_assignment  # the lookups, re-exported
from engine.stages.service.roster_lookup import get_shift as get_shift
from engine.stages.service.roster_lookup import get_volunteer as get_volunteer
from engine.stages.service.roster_lookup import list_assignments as list_assignments
from engine.stages.service.roster_lookup import volunteer_of_user as volunteer_of_user
from engine.store.base import dialect_insert, insert_loaded, utcnow
from engine.workflow import stagegate as gate

ACTIVE = "assigned"
AGREED_STATES = ("agreed", "active")


# ------------------------------------------------------------------ the rules
def _fmt(t: dt.datetime, programme: LoadedProgramme) -> str:
    return t.astimezone(programme.config.tz).strftime("%m-%d %H:%M")


def _day_bounds(day: dt.date, programme: LoadedProgramme) -> tuple[dt.datetime, dt.datetime]:
    tz = programme.config.tz
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)


def _overlap_minutes(a0: dt.datetime, a1: dt.datetime, b0: dt.datetime, b1: dt.datetime) -> int:
    return max(0, int((min(a1, b1) - max(a0, b0)).total_seconds()) // 60)


def timing_conflict(programme: LoadedProgramme, start: dt.datetime, end: dt.datetime, sid: int,
                    s0: dt.datetime, s1: dt.datetime) -> str | None:
    """Why a shift from ``start`` to ``end`` clashes with the volunteer's shift ``sid`` (``s0``–``s1``):
    an overlap, or less rest between them than ``service.min_rest_minutes``; None if it does not.
    Used when rostering (a refusal) and by the roster board (a warning on what is already rostered)."""
    if s0 < end and s1 > start:
        return (f"与已排班次 {sid}（{_fmt(s0, programme)}–{_fmt(s1, programme)}）时间重叠 / overlaps shift {sid} "
                f"({s0.isoformat()} – {s1.isoformat()}) the volunteer is already rostered on")
    rest_minutes = programme.config.service.min_rest_minutes
    gap = start - s1 if s1 <= start else s0 - end
    if gap < dt.timedelta(minutes=rest_minutes):
        return (f"与班次 {sid} 之间只休息 {int(gap.total_seconds()) // 60} 分钟，至少需 {rest_minutes} 分钟 / only "
                f"{int(gap.total_seconds()) // 60} min of rest next to shift {sid}; service.min_rest_minutes is "
                f"{rest_minutes}")
    return None


def _conn(session: Session) -> Connection:
    """The session's connection for the guards' Core reads, after flushing what the session holds (as
    an ORM query would)."""
    if session.autoflush:
        session.flush()
    return session.connection()


def _timing_refusals(programme: LoadedProgramme, shift: Shift, near: list[read.Other]) -> Iterable[str]:
    """Overlap, rest between shifts, and the day's cap, against the volunteer's other active shifts
    (``near``: read by :func:`roster_guards.others`, at least a day and the rest around ``shift``)."""
    cfg = programme.config.service
    rest = dt.timedelta(minutes=cfg.min_rest_minutes)
    margin = rest + dt.timedelta(days=1)
    lo, hi = shift.starts_at - margin, shift.ends_at + margin
    others = [(sid, s0, s1) for sid, s0, s1 in near if s0 < hi and s1 > lo and sid != shift.id]
    for sid, s0, s1 in others:
        problem = timing_conflict(programme, shift.starts_at, shift.ends_at, sid, s0, s1)
        if problem:
            yield problem
    if cfg.max_minutes_per_day is None:
        return
    tz = programme.config.tz
    day = shift.starts_at.astimezone(tz).date()
    last = (shift.ends_at - dt.timedelta(microseconds=1)).astimezone(tz).date()
    while day <= last:
        d0, d1 = _day_bounds(day, programme)
        total = _overlap_minutes(shift.starts_at, shift.ends_at, d0, d1) + sum(
            _overlap_minutes(s0, s1, d0, d1) for _, s0, s1 in others)
        if total > cfg.max_minutes_per_day:
            yield (f"{day} 当天排班将达 {total} 分钟，超过上限 {cfg.max_minutes_per_day} 分钟 / {total} rostered minutes on {day} "
                   f"would exceed service.max_minutes_per_day = {cfg.max_minutes_per_day}")
        day += dt.timedelta(days=1)


def _application_refusal(post: Post, app_id: int | None, state: str | None) -> str | None:
    if state in AGREED_STATES:
        return None
    now_state = "未报名 / no application" if app_id is None else f"报名状态 {state} / application is {state!r}"
    return (f"尚未与岗位「{post.name}」签订志愿服务协议（{now_state}）/ no agreed application to post {post.name!r}: "
            f"it must be in state agreed or active")


def assignment_refusals(session: Session, programme: LoadedProgramme, host: PluginHost, volunteer: Volunteer,
                        shift: Shift, *, now: dt.datetime | None = None, snap: read.Snapshot | None = None) -> list[str]:
    """Every reason this volunteer may not be rostered on this shift (empty: they may). ``snap``: what
    :func:`roster_guards.snapshot` read for them (read here when not given)."""
    now = now or utcnow()
    reasons: list[str] = []
    if snap is None:
        post = session.get(Post, shift.post_id)
        assert post is not None
        snap = read.snapshot(_conn(session), programme, volunteer.id, shift, post)
    post = snap.post
    if shift.cancelled_at is not None:
        reasons.append(f"班次 {shift.id} 已取消 / shift {shift.id} was cancelled")
    if shift.ends_at <= now:
        reasons.append(f"班次 {shift.id} 已结束 / shift {shift.id} has already ended")
    taken = snap.taken
    if taken >= shift.capacity:
        reasons.append(f"班次已满（{taken}/{shift.capacity} 人）/ the shift is full: {taken} of {shift.capacity} places taken")
    refusal = _application_refusal(post, snap.app_id, snap.app_state)
    if refusal:
        reasons.append(refusal)
    reasons.extend(person_refusals(session, programme, host, volunteer, post, shift, no_shows=snap.no_shows,
                                   others=snap.others, node=snap.node))
    return reasons


def person_refusals(session: Session, programme: LoadedProgramme, host: PluginHost, volunteer: Volunteer,
                    post: Post, shift: Shift, *, on: dt.date | None = None, no_shows: int | None = None,
                    others: list[read.Other] | None = None, node: object = shift_rules.UNREAD) -> list[str]:
    """The checks on the person for a time on a post, whatever puts them there (a rostering, a move on
    the day): the no-show cap, eligibility on the day ``on`` (age, skills, valid courses), overlap,
    rest and the day's cap against their other shifts, and the programme's shift rules. ``no_shows``,
    ``others`` (their active shifts near this one) and ``node`` (of the shift's project): already read
    by the caller, else read here."""
    reasons: list[str] = []
    cap = programme.config.service.max_no_shows
    if cap is not None:
        if no_shows is None:
            no_shows = session.scalar(select(func.count()).select_from(Assignment).where(
                Assignment.programme_id == programme.id, Assignment.volunteer_id == volunteer.id,
                Assignment.status == "no_show")) or 0
        if no_shows > cap:
            reasons.append(f"已缺勤 {no_shows} 次，超过上限 {cap} 次 / {no_shows} no-shows, more than service.max_no_shows = {cap}")
    on = on or shift.starts_at.astimezone(programme.config.tz).date()
    reasons.extend(check_eligibility(session, programme, host, volunteer, post, on, include_courses=True))
    if others is None:
        others = read.others(_conn(session), programme, volunteer.id, shift)
    reasons.extend(_timing_refusals(programme, shift, others))
    reasons.extend(shift_rules.refusals(session, programme, volunteer.id, shift, others=others,  # added for event
                                        node=node))
    return reasons


# ------------------------------------------------------------------ writes
def assign(session: Session, programme: LoadedProgramme, host: PluginHost, shift_id: int, volunteer_id: int, *,
           actor: str, substitute_for_id: int | None = None, now: dt.datetime | None = None) -> Assignment:
    """Roster a volunteer on a shift, or refuse with every reason (GuardsFailed, 422).

    The common case reads what every guard needs in two statements (:mod:`roster_guards`) and writes
    one row; anything not plainly so (a closed or reopened stage, an unknown shift or person, a place
    they held before) goes the long way, :func:`_assign_checked`, whose refusals are the canonical ones."""
    conn = _conn(session)
    row = read.head(conn, programme, shift_id, volunteer_id)
    if row is None or not gate.plainly_open(programme, "roster", row.stage):
        return _assign_checked(session, programme, host, shift_id, volunteer_id, actor=actor,
                               substitute_for_id=substitute_for_id, now=now)
    shift, post, volunteer = read.views(shift_id, volunteer_id, programme.id, row)
    snap = read.snapshot(conn, programme, volunteer_id, shift, post)
    snap.node = row.node
    if snap.existing_id is not None:
        return _assign_checked(session, programme, host, shift_id, volunteer_id, actor=actor,
                               substitute_for_id=substitute_for_id, now=now)
    if host.implementers("volunteer_check_eligibility", plan_type=programme.plan_type_id):
        volunteer, snap.post = session.get(Volunteer, volunteer_id), session.get(Post, post.id)  # type: ignore[assignment,arg-type]
    reasons = assignment_refusals(session, programme, host, volunteer, shift, now=now, snap=snap)  # type: ignore[arg-type]
    if reasons:
        raise GuardsFailed("assign", reasons)
    return _insert(session, programme, shift_id, volunteer_id, actor, substitute_for_id)


def _assign_checked(session: Session, programme: LoadedProgramme, host: PluginHost, shift_id: int,
                    volunteer_id: int, *, actor: str, substitute_for_id: int | None = None,
                    now: dt.datetime | None = None) -> Assignment:
    gate.require_open(session, programme, "roster")
    shift = get_shift(session, programme, shift_id, lock=True)
    volunteer = get_volunteer(session, volunteer_id, programme_id=programme.id, lock=True)
    existing = session.scalars(select(Assignment).where(
        Assignment.shift_id == shift.id, Assignment.volunteer_id == volunteer.id)).one_or_none()
    if existing is not None and existing.status == ACTIVE:
        raise Conflict(f"{volunteer.name} 已排在班次 {shift.id} / volunteer {volunteer.id} is already rostered on shift "
                       f"{shift.id} (assignment {existing.id})", assignment=existing.id)
    if existing is not None and existing.status == "no_show":
        raise Conflict(f"{volunteer.name} 在班次 {shift.id} 已记缺勤，不能再排 / volunteer {volunteer.id} was a no-show on "
                       f"shift {shift.id} and cannot be rostered on it again", assignment=existing.id)
    reasons = assignment_refusals(session, programme, host, volunteer, shift, now=now)
    if reasons:
        raise GuardsFailed("assign", reasons)
    if existing is not None:  # a cancelled place taken up again
        existing.status, existing.assigned_by, existing.substitute_for_id = ACTIVE, actor, substitute_for_id
        session.flush()
        return existing
    return _insert(session, programme, shift.id, volunteer.id, actor, substitute_for_id)


_INSERTS: dict[str, Any] = {}


def _insert(session: Session, programme: LoadedProgramme, shift_id: int, volunteer_id: int, actor: str,
            substitute_for_id: int | None) -> Assignment:
    """The assignment row in one Core ``INSERT … ON CONFLICT DO NOTHING RETURNING``, handed back as a
    loaded ORM object of the session (no flush, no savepoint)."""
    dialect = session.get_bind().dialect.name
    stmt = _INSERTS.get(dialect)
    if stmt is None:
        stmt = _INSERTS[dialect] = dialect_insert(session, Assignment.__table__).on_conflict_do_nothing(
            index_elements=["shift_id", "volunteer_id"]).returning(*Assignment.__table__.c)
    made: Assignment | None = insert_loaded(session, Assignment, {
        "programme_id": programme.id, "shift_id": shift_id, "volunteer_id": volunteer_id, "status": ACTIVE,
        "substitute_for_id": substitute_for_id, "assigned_by": actor, "created_at": utcnow()}, stmt=stmt)
    if made is None:
        raise Conflict(f"志愿者 {volunteer_id} 已排在班次 {shift_id} / volunteer {volunteer_id} is already rostered on "
                       f"shift {shift_id}")
    return made


def _has_checkin(session: Session, assignment_id: int) -> bool:
    return session.scalar(select(Checkin.id).where(Checkin.assignment_id == assignment_id)) is not None


def cancel(session: Session, programme: LoadedProgramme, assignment_id: int, *, actor: str) -> Assignment:
    """Take a volunteer off a shift before they served (leave given in advance frees the place)."""
    a = get_assignment(session, programme, assignment_id)
    if a.status != ACTIVE:
        raise Conflict(f"排班 {a.id} 状态为 {a.status}，不能取消 / assignment {a.id} is {a.status!r}, not assigned",
                       assignment=a.id)
    if _has_checkin(session, a.id):
        raise Conflict(f"排班 {a.id} 已签到，不能取消 / assignment {a.id} has a check-in and cannot be cancelled",
                       assignment=a.id)
    a.status = "cancelled"
    session.flush()
    return a


def mark_no_show(session: Session, programme: LoadedProgramme, assignment_id: int, *, actor: str,
                 now: dt.datetime | None = None) -> Assignment:
    """Record that a rostered volunteer did not come (after the shift started, without a check-in)."""
    a = get_assignment(session, programme, assignment_id)
    shift = get_shift(session, programme, a.shift_id)
    if a.status != ACTIVE:
        raise Conflict(f"排班 {a.id} 状态为 {a.status} / assignment {a.id} is {a.status!r}, not assigned", assignment=a.id)
    if (now or utcnow()) < shift.starts_at:
        raise InvalidInput(f"班次 {shift.id} 尚未开始，不能记缺勤 / shift {shift.id} has not started; a no-show is recorded "
                           "after the start", field="assignment_id")
    if _has_checkin(session, a.id):
        raise Conflict(f"排班 {a.id} 已签到，不是缺勤 / assignment {a.id} has a check-in: not a no-show", assignment=a.id)
    a.status = "no_show"
    session.flush()
    return a


def substitute(session: Session, programme: LoadedProgramme, host: PluginHost, assignment_id: int,
               volunteer_id: int, *, actor: str, now: dt.datetime | None = None) -> Assignment:
    """Roster a substitute in the place of a no-show (or a cancelled assignment); it points back to it."""
    original = get_assignment(session, programme, assignment_id)
    if original.status not in ("no_show", "cancelled"):
        raise Conflict(f"排班 {original.id} 状态为 {original.status}：先记缺勤或取消，再安排替补 / assignment {original.id} is "
                       f"{original.status!r}; mark it no-show or cancel it before sending a substitute",
                       assignment=original.id)
    taken = session.scalar(select(Assignment.id).where(Assignment.substitute_for_id == original.id,
                                                       Assignment.status == ACTIVE))
    if taken is not None:
        raise Conflict(f"排班 {original.id} 已有替补（排班 {taken}）/ assignment {original.id} already has a substitute "
                       f"(assignment {taken})", assignment=taken)
    return assign(session, programme, host, original.shift_id, volunteer_id, actor=actor,
                  substitute_for_id=original.id, now=now)
