"""The check-in burst path: who is calling, may they, which assignment, and the insert — one statement.

Why a path of its own: at a shift's start thousands of volunteers check in within minutes
(DESIGN.md, hot paths). Through the shared request dependencies a check-in by code cost seven
ORM statements, four of them to authenticate the caller and load the programme, each dependency
in its own thread-pool hop; profiled (bench/checkin_burst.py, py-spy), authentication was three
quarters of the database time. Here the common case — a first check-in that is plainly allowed —
is one ``INSERT … SELECT … ON CONFLICT (assignment_id) DO NOTHING RETURNING`` whose SELECT carries
every condition; a repeat, or anything refused, is looked at more closely afterwards.

The rule that keeps it safe: this path only ever *accepts* what the shared checks accept — the
conditions of :meth:`engine.auth.service.AuthService.user_for_token` (a known token hash, not
revoked, not expired, an active account) and of :func:`engine.http.deps.programme_access` (a role
in the programme, or an operator), plus the check-in window of
:func:`engine.stages.service.checkin.window_refusal` — and whenever anything is not plainly fine
it runs those shared checks themselves, so every refusal (401, 403, 404, 409) is theirs, word for
word (tests/engine/stages/service/test_burst.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from typing import Any, cast
from weakref import WeakKeyDictionary

from sqlalchemy import BindParameter, Table, and_, bindparam, exists, literal, or_, select

from engine.auth.service import _token_hash
from engine.core import VolunteerEngine
from engine.http.deps import current_user, programme_access
from engine.programme import LoadedProgramme
from engine.stages.design.models import Shift
from engine.stages.recruitment.models import Volunteer
from engine.stages.service import checkin
from engine.stages.service.models import Assignment, Checkin
from engine.store.base import utcnow
from engine.store.models import ApiToken, ProgrammeRow, RoleGrant, User
from engine.workflow import stagegate as gate

# programme id → the parsed programme, per engine; trusted only while the stored config hash matches
_programmes: WeakKeyDictionary[VolunteerEngine, dict[str, LoadedProgramme]] = WeakKeyDictionary()
_gates: WeakKeyDictionary[VolunteerEngine, threading.Lock] = WeakKeyDictionary()
_gates_lock = threading.Lock()


def _gate(engine: VolunteerEngine) -> contextlib.AbstractContextManager[Any]:
    """On SQLite, one burst check-in at a time per process.

    Why: SQLite has one writer, and the store takes the write lock at BEGIN. Threads that find it
    taken sleep in SQLite's busy handler (1, 2, 5 … 100 ms) while the lock may already be free,
    and some sleep many times: that is the tail. Waiting on a Python lock hands the database over
    the moment it is free. Measured with 64 clients: the same throughput, p99 about halved
    (380–730 ms against 700–1,820 ms on a loaded two-core machine). PostgreSQL locks rows: no gate.
    """
    if engine.db.engine.dialect.name != "sqlite":
        return contextlib.nullcontext()
    with _gates_lock:
        return _gates.setdefault(engine, threading.Lock())


_PID: BindParameter[str] = bindparam("pid")
_ONE_LOOK = (
    select(User.username, User.active, User.is_superuser, ApiToken.revoked, ApiToken.expires_at,
           ProgrammeRow.config_hash,
           exists().where(RoleGrant.user_id == User.id, RoleGrant.programme_id == _PID).label("member"),
           Assignment.id.label("assignment_id"), Assignment.status, Shift.starts_at, Shift.ends_at,
           Shift.cancelled_at)
    .select_from(ApiToken)
    .join(User, User.id == ApiToken.user_id)
    .join(ProgrammeRow, ProgrammeRow.id == _PID)
    .outerjoin(Volunteer, Volunteer.user_id == User.id)
    .outerjoin(Shift, and_(Shift.checkin_code == bindparam("code"), Shift.programme_id == _PID))
    .outerjoin(Assignment, and_(Assignment.shift_id == Shift.id, Assignment.volunteer_id == Volunteer.id))
    .where(ApiToken.token_hash == bindparam("token_hash"))
)
_CI = cast(Table, Checkin.__table__)
_INSERTS: dict[tuple[str, tuple[Any, ...]], Any] = {}


def _insert_if_accepted(dialect: str, programme: LoadedProgramme) -> Any:
    """The common case in one statement: ``INSERT … SELECT`` the caller's assignment if every
    condition of :func:`_accepted`, of the check-in window and of the stage gate holds, ``ON CONFLICT
    DO NOTHING``. Nothing returned means a repeat or a refusal; :func:`check_in` then looks closer."""
    key = (dialect, gate.signature(programme, "service"))
    stmt = _INSERTS.get(key)
    if stmt is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
        at = bindparam("at", type_=Shift.starts_at.type)
        source = (
            select(_PID, Assignment.id, at, literal("code"), User.username, literal(False))
            .select_from(ApiToken)
            .join(User, User.id == ApiToken.user_id)
            .join(ProgrammeRow, ProgrammeRow.id == _PID)
            .join(Volunteer, Volunteer.user_id == User.id)
            .join(Shift, and_(Shift.checkin_code == bindparam("code"), Shift.programme_id == _PID))
            .join(Assignment, and_(Assignment.shift_id == Shift.id, Assignment.volunteer_id == Volunteer.id))
            .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked.is_(False),
                   ApiToken.expires_at >= bindparam("clock", type_=ApiToken.expires_at.type), User.active.is_(True),
                   or_(User.is_superuser.is_(True),
                       exists().where(RoleGrant.user_id == User.id, RoleGrant.programme_id == _PID)),
                   ProgrammeRow.config_hash == bindparam("config_hash"),
                   Assignment.status == "assigned", Shift.cancelled_at.is_(None),
                   Shift.starts_at <= bindparam("opens_limit", type_=Shift.starts_at.type), Shift.ends_at >= at))
        stage_open = gate.open_clause(programme, "service", _PID)
        if stage_open is not None:
            source = source.where(stage_open)
        stmt = dialect_insert(_CI).from_select(
            ["programme_id", "assignment_id", "checked_in_at", "method", "checked_in_by", "auto_closed"], source,
        ).on_conflict_do_nothing(index_elements=["assignment_id"]).returning(*_CI.c)
        _INSERTS[key] = stmt
    return stmt


def _accepted(row: Any, programme: LoadedProgramme | None) -> bool:
    """Everything the shared checks require (token expiry against the clock, as they do), and a
    rostered assignment on the coded shift."""
    return (row is not None and not row.revoked and row.expires_at >= utcnow() and row.active
            and (row.member or row.is_superuser) and programme is not None
            and programme.config_hash == row.config_hash and row.assignment_id is not None)


def check_in(engine: VolunteerEngine, programme_id: str, token: str | None, code: str, *,
             now: dt.datetime | None = None) -> tuple[Any, bool]:
    """Check the token's volunteer in on the shift with ``code``, in one short transaction.

    Returns (the check-in row, created). Committed before it returns, so the reply never promises
    a check-in that is not stored. ``now`` is the check-in time (tests move it); tokens always
    expire by the real clock.
    """
    now = now or utcnow()
    cache = _programmes.setdefault(engine, {})
    programme = cache.get(programme_id)
    with _gate(engine):
        if token and programme is not None:
            with engine.db.engine.begin() as conn:  # a Core transaction: no ORM unit of work to set up
                token_hash = _token_hash(token)
                opens = dt.timedelta(minutes=programme.config.service.checkin_opens_minutes_before)
                created = conn.execute(_insert_if_accepted(conn.dialect.name, programme), {
                    "pid": programme_id, "code": code, "token_hash": token_hash, "clock": utcnow(),
                    "config_hash": programme.config_hash, "at": now, "opens_limit": now + opens}).first()
                if created is not None:
                    return created, True
                row: Any = conn.execute(_ONE_LOOK, {"pid": programme_id, "code": code,
                                                    "token_hash": token_hash}).first()
                if _accepted(row, programme):
                    gate.require_open(conn, programme, "service")
                    refusal = checkin.window_refusal(programme, row.status, row.starts_at, row.ends_at,
                                                     row.cancelled_at, now)
                    return checkin.open_checkin(conn, programme, row.assignment_id, refusal, now, "code",
                                                row.username)
        # anything not plainly fine: the shared checks, which raise the canonical refusals
        with engine.session() as session:
            access = programme_access(programme_id, engine, session, current_user(engine, session, token))
            cache[programme_id] = access.programme
            return checkin.check_in_by_code(session, access.programme, access.user.id, code,
                                            actor=access.actor, now=now)
