"""签到签退 Check-in and check-out, by a coordinator or by the volunteer with the shift's code.

Seed 000 篇3 (签到与考勤): 统一签到 … 精确记录每位志愿者的服务时长. Rules:

* One :class:`Checkin` row per assignment (unique ``assignment_id``). The row is written with
  ``INSERT … ON CONFLICT (assignment_id) DO NOTHING`` (SQLite and PostgreSQL), so a retried or
  doubled request — even two arriving at once — finds the same row: 201 the first time, 200 after.
* Check-in opens ``service.checkin_opens_minutes_before`` the shift's start and closes at its end.
* Minutes = check-out − check-in in whole minutes, floored (59 s → 0; 1 min 59 s → 1).
* A check-out writes an unverified :class:`ServiceRecord` (captured=checkin), once: the close is a
  conditional ``UPDATE … WHERE checked_out_at IS NULL`` and only its winner writes the record.
* A check-out forgotten for ``service.auto_close_after_minutes`` past the shift's end is closed
  at the shift's scheduled end, flagged ``auto_closed``, and listed for a coordinator; it counts
  for nothing (no record) until the coordinator confirms it, optionally with the real time.

Why the code path is written in Core statements: it is the burst path (thousands of volunteers
at a shift's start); here it costs one indexed SELECT and one INSERT after authentication, and
the HTTP route goes further still (engine/stages/service/burst.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.stages.design.models import Post, Shift
from engine.stages.records.service import record_for_service, whole_minutes
from engine.stages.recruitment.models import Volunteer
from engine.stages.service.models import Assignment, Checkin
from engine.stages.service.roster import ACTIVE, get_assignment
from engine.store.base import utcnow
from engine.workflow import stagegate as gate

SLACK = dt.timedelta(minutes=1)  # clock skew tolerated for times a coordinator types


# ------------------------------------------------------------------ check-in
def window_refusal(programme: LoadedProgramme, status: str, starts: dt.datetime, ends: dt.datetime,
             cancelled: dt.datetime | None, at: dt.datetime) -> str | None:
    if status != ACTIVE:
        return f"排班状态为 {status}，不能签到 / the assignment is {status!r}: no check-in"
    if cancelled is not None:
        return "班次已取消 / the shift was cancelled"
    opens = starts - dt.timedelta(minutes=programme.config.service.checkin_opens_minutes_before)
    if at < opens:
        local = opens.astimezone(programme.config.tz).strftime("%Y-%m-%d %H:%M")
        return f"签到将于 {local} 开放 / check-in opens at {local} ({programme.config.timezone})"
    if at > ends:
        return "班次已结束，不能签到 / the shift has ended: check-in is closed"
    return None


def _existing(session: Session, assignment_id: int) -> Checkin | None:
    return session.scalars(select(Checkin).where(Checkin.assignment_id == assignment_id)).one_or_none()


# The burst path's statements, built once (building SQLAlchemy expressions costs more than running
# them on an indexed lookup) and run through the session's connection as Core statements.
_T = cast(Table, Checkin.__table__)
_OWN = select(Volunteer.id).where(Volunteer.user_id == bindparam("uid"))
_BY_CODE = (select(Assignment.id, Assignment.status, Shift.starts_at, Shift.ends_at, Shift.cancelled_at)
            .join(Assignment, Assignment.shift_id == Shift.id)
            .where(Shift.checkin_code == bindparam("code"), Shift.programme_id == bindparam("pid"),
                   Assignment.volunteer_id == _OWN.scalar_subquery()))
_ROW = select(_T).where(_T.c.assignment_id == bindparam("aid"))
_INSERTS: dict[str, Any] = {}


def _insert(dialect: str) -> Any:
    """``INSERT … ON CONFLICT (assignment_id) DO NOTHING RETURNING *`` for this dialect, built once."""
    stmt = _INSERTS.get(dialect)
    if stmt is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert_
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert_  # type: ignore[assignment]
        stmt = dialect_insert_(_T).values(
            programme_id=bindparam("pid"), assignment_id=bindparam("aid"),
            checked_in_at=bindparam("at", type_=_T.c.checked_in_at.type), method=bindparam("method"),
            checked_in_by=bindparam("actor"), auto_closed=False,
        ).on_conflict_do_nothing(index_elements=["assignment_id"]).returning(*_T.c)
        _INSERTS[dialect] = stmt
    return stmt


def open_checkin(conn: Connection, programme: LoadedProgramme, assignment_id: int, refusal: str | None,
                 at: dt.datetime, method: str, actor: str) -> tuple[Any, bool]:
    """Insert the check-in once: (row, True) when this call wrote it, (row, False) on a repeat.

    Runs on a Core connection (the session's, or the burst path's own); the row is a Core row
    with the :class:`Checkin` columns as attributes.
    """
    if refusal is None:
        row = conn.execute(_insert(conn.dialect.name), {"pid": programme.id, "aid": assignment_id, "at": at,
                                                        "method": method, "actor": actor}).first()
        if row is not None:
            return row, True
    existing = conn.execute(_ROW, {"aid": assignment_id}).first()
    if existing is not None:
        return existing, False
    raise Conflict(refusal or "签到失败 / check-in failed", assignment=assignment_id)


def check_in(session: Session, programme: LoadedProgramme, assignment_id: int, *, actor: str,
             at: dt.datetime | None = None, now: dt.datetime | None = None) -> tuple[Checkin, bool]:
    """A coordinator checks a rostered volunteer in (``at`` defaults to now, never in the future)."""
    gate.require_open(session, programme, "service")
    now = now or utcnow()
    at = at or now
    if at > now + SLACK:
        raise InvalidInput("签到时间不能在未来 / the check-in time cannot be in the future", field="at")
    a = get_assignment(session, programme, assignment_id)
    shift = session.get(Shift, a.shift_id)
    assert shift is not None
    refusal = window_refusal(programme, a.status, shift.starts_at, shift.ends_at, shift.cancelled_at, at)
    row, created = open_checkin(session.connection(), programme, a.id, refusal, at, "coordinator", actor)
    ci = session.get(Checkin, row.id, populate_existing=True)
    assert ci is not None
    return ci, created


def _by_code(session: Session, programme: LoadedProgramme, user_id: int, code: str) -> Any:
    """(assignment id, status, starts, ends, cancelled) of the caller on the shift with this code."""
    conn = session.connection()
    row = conn.execute(_BY_CODE, {"code": code, "pid": programme.id, "uid": user_id}).first()
    if row is not None:
        return row
    # why not: only on the refusal path
    if session.scalar(select(Shift.id).where(Shift.checkin_code == code, Shift.programme_id == programme.id)) is None:
        raise NotFound(f"签到码无效 / no shift of programme {programme.id!r} has this check-in code", field="code")
    if conn.execute(_OWN, {"uid": user_id}).first() is None:
        raise Forbidden("你的账号没有关联志愿者档案 / your account has no volunteer profile to check in with")
    raise Forbidden("你没有排在这个班次 / you are not rostered on this shift")


def check_in_by_code(session: Session, programme: LoadedProgramme, user_id: int, code: str, *, actor: str,
                     now: dt.datetime | None = None) -> tuple[Any, bool]:
    """The volunteer checks themselves in with the code their phone read from the post's QR code.

    Returns the check-in as a Core row (the :class:`Checkin` columns as attributes) and whether this
    call created it: two indexed statements, no ORM unit of work.
    """
    gate.require_open(session, programme, "service")
    at = now or utcnow()
    aid, status, starts, ends, cancelled = _by_code(session, programme, user_id, code)
    refusal = window_refusal(programme, status, starts, ends, cancelled, at)
    return open_checkin(session.connection(), programme, aid, refusal, at, "code", actor)


# ------------------------------------------------------------------ check-out
def _close(session: Session, programme: LoadedProgramme, host: PluginHost, a: Assignment, at: dt.datetime, *,
           actor: str, rating: int | None = None, content: str | None = None) -> tuple[Checkin, bool]:
    ci = _existing(session, a.id)
    if ci is None:
        raise Conflict(f"排班 {a.id} 尚未签到 / assignment {a.id} has not checked in", assignment=a.id)
    if ci.checked_out_at is not None:
        return ci, False
    shift = session.get(Shift, a.shift_id)
    assert shift is not None
    if at > shift.ends_at + dt.timedelta(minutes=programme.config.service.auto_close_after_minutes):
        close_forgotten_checkouts(session, programme, at, only=[ci.id])
        session.refresh(ci)
        return ci, True
    if at < ci.checked_in_at:
        raise InvalidInput(f"签退时间早于签到时间 {ci.checked_in_at.isoformat()} / check-out is before the check-in",
                           field="at")
    won = session.execute(update(Checkin).where(Checkin.id == ci.id, Checkin.checked_out_at.is_(None)).values(
        checked_out_at=at, minutes=whole_minutes(ci.checked_in_at, at), checked_out_by=actor)
        .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    session.refresh(ci)
    if not won:
        return ci, False
    post = session.get(Post, shift.post_id)
    rec = record_for_service(session, programme, host, volunteer_id=a.volunteer_id, shift=shift, post=post,
                             started_at=ci.checked_in_at, ended_at=at, captured="checkin", actor=actor,
                             rating=rating, content=content)
    ci.record_id = rec.id
    session.flush()
    return ci, True


def check_out(session: Session, programme: LoadedProgramme, host: PluginHost, assignment_id: int, *, actor: str,
              at: dt.datetime | None = None, rating: int | None = None, content: str | None = None,
              now: dt.datetime | None = None) -> tuple[Checkin, bool]:
    """A coordinator checks a volunteer out (optionally with the beneficiary's rating)."""
    now = now or utcnow()
    at = at or now
    if at > now + SLACK:
        raise InvalidInput("签退时间不能在未来 / the check-out time cannot be in the future", field="at")
    return _close(session, programme, host, get_assignment(session, programme, assignment_id), at, actor=actor,
                  rating=rating, content=content)


def check_out_by_code(session: Session, programme: LoadedProgramme, host: PluginHost, user_id: int, code: str, *,
                      actor: str, now: dt.datetime | None = None) -> tuple[Checkin, bool]:
    aid = _by_code(session, programme, user_id, code)[0]
    return _close(session, programme, host, get_assignment(session, programme, aid), now or utcnow(), actor=actor)


# ------------------------------------------------------------------ forgotten check-outs
def close_forgotten_checkouts(session: Session, programme: LoadedProgramme, now: dt.datetime, *,
                              only: list[int] | None = None) -> list[int]:
    """Close every check-in still open ``service.auto_close_after_minutes`` after its shift ended.

    Each is closed at the shift's scheduled end, flagged ``auto_closed`` and left without a record
    until a coordinator confirms it (:func:`confirm`). Safe to run at any time and concurrently:
    the update only touches rows still open. Returns the ids closed by this call. (The lead wires
    this to the CLI; HTTP: POST /programmes/{id}/service/sweep.)
    """
    limit = now - dt.timedelta(minutes=programme.config.service.auto_close_after_minutes)
    q = (select(Checkin.id, Checkin.checked_in_at, Shift.ends_at)
         .join(Assignment, Assignment.id == Checkin.assignment_id).join(Shift, Shift.id == Assignment.shift_id)
         .where(Checkin.programme_id == programme.id, Checkin.checked_out_at.is_(None), Shift.ends_at <= limit))
    if only is not None:
        q = q.where(Checkin.id.in_(only))
    rows = session.execute(q).all()
    if not rows:
        return []
    t = cast(Table, Checkin.__table__)
    stmt = (update(t).where(t.c.id == bindparam("b_id"), t.c.checked_out_at.is_(None))
            .values(checked_out_at=bindparam("b_out"), minutes=bindparam("b_min"), auto_closed=True,
                    checked_out_by="system"))
    session.connection().execute(stmt, [{"b_id": cid, "b_out": max(ends, cin), "b_min": whole_minutes(cin, ends)}
                                        for cid, cin, ends in rows])
    for cid, _, _ in rows:  # copies already in the session would show the row as still open
        cached = session.identity_map.get(identity_key(Checkin, cid))
        if cached is not None:
            session.expire(cached)
    return sorted(cid for cid, _, _ in rows)


def unconfirmed(session: Session, programme: LoadedProgramme, *, limit: int = 500) -> list[tuple[Checkin, Any]]:
    """Automatically closed check-ins waiting for a coordinator, oldest shift first."""
    rows = session.execute(
        select(Checkin, Assignment.volunteer_id, Volunteer.name, Assignment.shift_id, Shift.starts_at, Shift.ends_at)
        .join(Assignment, Assignment.id == Checkin.assignment_id).join(Shift, Shift.id == Assignment.shift_id)
        .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
        .where(Checkin.programme_id == programme.id, Checkin.auto_closed.is_(True), Checkin.confirmed_by.is_(None))
        .order_by(Shift.ends_at, Checkin.id).limit(min(limit, 5000))).all()
    return [(r[0], r[1:]) for r in rows]


def get_checkin(session: Session, programme: LoadedProgramme, checkin_id: int) -> Checkin:
    ci = session.get(Checkin, checkin_id)
    if ci is None or ci.programme_id != programme.id:
        raise NotFound(f"没有签到记录 {checkin_id} / programme {programme.id!r} has no check-in {checkin_id}",
                       checkin=checkin_id)
    return ci


def confirm(session: Session, programme: LoadedProgramme, host: PluginHost, checkin_id: int, *, actor: str,
            checked_out_at: dt.datetime | None = None, now: dt.datetime | None = None) -> Checkin:
    """A coordinator confirms an automatic check-out (optionally with the real time); only now does
    it leave a service record (unverified, captured=checkin)."""
    gate.require_open(session, programme, "records")
    ci = get_checkin(session, programme, checkin_id)
    if not ci.auto_closed:
        raise Conflict(f"签到 {ci.id} 不是自动签退，无需确认 / check-in {ci.id} was not closed automatically",
                       checkin=ci.id)
    if ci.confirmed_by is not None:
        raise Conflict(f"签到 {ci.id} 已由 {ci.confirmed_by} 确认 / check-in {ci.id} was already confirmed",
                       checkin=ci.id)
    out = checked_out_at or ci.checked_out_at
    assert out is not None
    if out <= ci.checked_in_at:
        raise InvalidInput("签退时间须晚于签到时间 / the check-out must be after the check-in", field="checked_out_at")
    if out > (now or utcnow()) + SLACK:
        raise InvalidInput("签退时间不能在未来 / the check-out time cannot be in the future", field="checked_out_at")
    won = session.execute(update(Checkin).where(Checkin.id == ci.id, Checkin.confirmed_by.is_(None)).values(
        confirmed_by=actor, confirmed_at=utcnow(), checked_out_at=out, minutes=whole_minutes(ci.checked_in_at, out))
        .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    session.refresh(ci)
    if not won:
        raise Conflict(f"签到 {ci.id} 已被确认 / check-in {ci.id} was already confirmed", checkin=ci.id)
    a = session.get(Assignment, ci.assignment_id)
    assert a is not None
    shift = session.get(Shift, a.shift_id)
    post = session.get(Post, shift.post_id) if shift else None
    rec = record_for_service(session, programme, host, volunteer_id=a.volunteer_id, shift=shift, post=post,
                             started_at=ci.checked_in_at, ended_at=out, captured="checkin", actor=actor)
    ci.record_id = rec.id
    session.flush()
    return ci
