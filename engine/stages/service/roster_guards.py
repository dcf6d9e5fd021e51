"""What the roster's guards read, in as few statements as possible, built once.

Why a module of its own: an assignment through every guard (:func:`engine.stages.service.roster.assign`)
cost about twelve ORM statements — the stage, the shift, the person, an existing place, the post, the
count of places taken, the application and its state, the no-shows, the person's shifts twice (once
for the roster's own timing checks, once for the shift rules) — each statement built anew per call.
Here the same facts come from two prebuilt Core statements:

* :data:`HEAD` — the shift with its post (and the post's project node), the person if they joined the programme, and the stage of
  the programme's lifecycle. It takes the row locks (``FOR UPDATE OF`` the shift and the person on
  PostgreSQL; SQLite serialises writers already), so it runs first;
* :func:`snapshot` — after the locks (so on PostgreSQL it sees what a writer that held them
  committed): the places taken on the shift, an existing place of the person on it, the application
  to the post and its workflow state, the person's no-shows, and their other active shifts within
  the reach of every check that looks at history (:func:`history_span`). On PostgreSQL its
  parameters are hidden from the planner so that the plan made once per connection is kept
  (:data:`SNAPSHOTS`).

Nothing here decides: :mod:`engine.stages.service.roster` applies the same rules to what was read,
with the same messages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, String, and_, bindparam, cast, exists, func, literal_column, select, true
from sqlalchemy.engine import Connection

from engine.programme import LoadedProgramme
from engine.stages.design.models import Post, Project, Shift
from engine.stages.recruitment.models import Application, Enrolment, Volunteer
from engine.stages.service import shift_rules
from engine.stages.service.models import Assignment
from engine.store.models import WorkflowInstance

ACTIVE = "assigned"
Other = tuple[int, dt.datetime, dt.datetime]  # another shift of the person: id, start, end

_SID: Any = bindparam("sid")
_VID: Any = bindparam("vid")
_PID: Any = bindparam("pid")
_WI = WorkflowInstance


def _fixed(value: str) -> Any:
    """A constant written into the statement: every bound parameter costs time on each execution."""
    return literal_column(f"'{value}'", String)


_ASSIGNED, _NO_SHOW = _fixed(ACTIVE), _fixed("no_show")


@dataclass(slots=True)
class PostView:
    """The post's columns the guards read (duck-types :class:`~engine.stages.design.models.Post`)."""

    id: int
    programme_id: str
    project_id: int
    name: str
    category: str
    min_age: int | None
    max_age: int | None
    skills: list[Any]
    languages: list[Any]
    qualifications: list[Any]
    required_courses: list[Any]


@dataclass(slots=True)
class ShiftView:
    id: int
    programme_id: str
    post_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    cancelled_at: dt.datetime | None


@dataclass(slots=True)
class VolunteerView:
    id: int
    name: str
    birth_date: dt.date
    skills: list[Any]
    languages: list[Any]
    qualifications: list[Any]


@dataclass(slots=True)
class Snapshot:
    """What the guards count and compare, read in one statement."""

    post: Any
    taken: int
    no_shows: int
    app_id: int | None
    app_state: str | None
    existing_id: int | None = None
    existing_status: str | None = None
    others: list[Other] = field(default_factory=list)  # active shifts within history_span, this one excluded
    node: Any = shift_rules.UNREAD  # the node of the shift's project (a venue's own duty window), when read


# each scalar subquery below finds at most one row: (programme, workflow, subject) and (post, person)
# and (shift, person) are unique
_STAGE = select(_WI.state).where(_WI.programme_id == _PID, _WI.workflow == bindparam("lifecycle"),
                                 _WI.subject_type == _fixed("programme"), _WI.subject_id == _PID).scalar_subquery()

HEAD = (
    select(Shift.post_id, Shift.starts_at, Shift.ends_at, Shift.capacity, Shift.cancelled_at,
           Post.project_id, Post.name.label("post_name"), Post.category, Post.min_age, Post.max_age,
           Post.skills.label("post_skills"), Post.languages.label("post_languages"),
           Post.qualifications.label("post_qualifications"), Post.required_courses,
           Volunteer.name, Volunteer.birth_date, Volunteer.skills, Volunteer.languages, Volunteer.qualifications,
           Project.node, _STAGE.label("stage"))
    .select_from(Shift)
    .join(Post, Post.id == Shift.post_id)
    .join(Project, Project.id == Post.project_id)
    .join(Volunteer, Volunteer.id == _VID)
    .where(Shift.id == _SID, Shift.programme_id == _PID,
           exists().where(Enrolment.programme_id == _PID, Enrolment.volunteer_id == Volunteer.id))
    .with_for_update(of=[Shift.__table__, Volunteer.__table__])  # type: ignore[list-item]
)


def head(conn: Connection, programme: LoadedProgramme, shift_id: int, volunteer_id: int) -> Any:
    """The locked shift, its post, the person (joined this programme) and the lifecycle's state; None
    when the shift is not the programme's or the person has not joined it."""
    return conn.execute(HEAD, {"sid": shift_id, "vid": volunteer_id, "pid": programme.id,
                               "lifecycle": programme.config.stages.lifecycle}).first()


def views(shift_id: int, volunteer_id: int, programme_id: str, row: Any) -> tuple[ShiftView, PostView, VolunteerView]:
    shift = ShiftView(shift_id, programme_id, row.post_id, row.starts_at, row.ends_at, row.capacity, row.cancelled_at)
    post = PostView(row.post_id, programme_id, row.project_id, row.post_name, row.category, row.min_age, row.max_age,
                    row.post_skills, row.post_languages, row.post_qualifications, row.required_courses)
    vol = VolunteerView(volunteer_id, row.name, row.birth_date, row.skills, row.languages, row.qualifications)
    return shift, post, vol


def _count(*where: Any) -> Any:
    return select(func.count()).select_from(Assignment).where(*where).scalar_subquery()


def _opaque(name: str, type_: Any) -> Any:
    """A parameter the planner does not see: ``(SELECT :name)`` is an init plan, whose value is unknown
    while the statement is planned; index conditions still take it. For PostgreSQL, see :data:`SNAPSHOTS`."""
    return select(bindparam(name, type_=type_)).scalar_subquery()


def _snapshot(arg: Any) -> tuple[Any, Any]:
    """The snapshot statement and the history alone, with each parameter given by ``arg(name, type)``."""
    sid, vid, pid, post = arg("sid", Integer), arg("vid", Integer), arg("pid", String), arg("post_id", Integer)
    existing = select(Assignment.id, Assignment.status).where(Assignment.shift_id == sid, Assignment.volunteer_id == vid)
    base = select(
        _count(Assignment.shift_id == sid, Assignment.status == _ASSIGNED).label("taken"),
        _count(Assignment.programme_id == pid, Assignment.volunteer_id == vid,
               Assignment.status == _NO_SHOW).label("no_shows"),
        select(Application.id).where(Application.post_id == post, Application.volunteer_id == vid)
        .scalar_subquery().label("app_id"),
        select(_WI.state).select_from(Application).join(_WI, and_(
            _WI.programme_id == pid, _WI.workflow == _fixed("application"), _WI.subject_type == _fixed("application"),
            _WI.subject_id == cast(Application.id, String)))
        .where(Application.post_id == post, Application.volunteer_id == vid)
        .scalar_subquery().label("app_state"),
        existing.with_only_columns(Assignment.id).scalar_subquery().label("existing_id"),
        existing.with_only_columns(Assignment.status).scalar_subquery().label("existing_status"),
    ).subquery("base")
    history = (
        select(Shift.id.label("other_id"), Shift.starts_at.label("other_start"), Shift.ends_at.label("other_end"))
        .join(Assignment, Assignment.shift_id == Shift.id)
        .where(Assignment.programme_id == pid, Assignment.volunteer_id == vid, Assignment.status == _ASSIGNED,
               Shift.id != sid, Shift.starts_at < arg("hi", Shift.starts_at.type),
               Shift.ends_at > arg("lo", Shift.ends_at.type))
    ).subquery("other")
    order = (history.c.other_start, history.c.other_id)
    return (select(base, history).select_from(base.outerjoin(history, true())).order_by(*order),
            select(history).order_by(*order))


#: (snapshot, history) by dialect. PostgreSQL gets the parameters hidden from its planner: it plans a
#: prepared statement anew on each call (a "custom plan", about 0.35 ms for this one) whenever a plan
#: for the values at hand looks cheaper than the generic plan kept for the connection — as it did
#: once statistics knew another programme's assignments and not this one's (the statement took
#: 0.8 ms in bench/event_assign.py, 0.26 ms with the generic plan). With the values hidden both plans
#: cost the same, and the generic one is kept. SQLite gets plain parameters.
SNAPSHOTS = {"postgresql": _snapshot(_opaque), "sqlite": _snapshot(lambda name, type_: bindparam(name, type_=type_))}
SNAPSHOT, _OTHERS = SNAPSHOTS["sqlite"]


def history_span(programme: LoadedProgramme) -> dt.timedelta:
    """How far before and after a shift the guards look at the person's other shifts: the roster's
    timing checks (rest plus a day) and the shift rules' reach (:func:`shift_rules.reach`)."""
    cached = programme.extra.get("roster_history_span")
    if isinstance(cached, dt.timedelta):
        return cached
    rest = dt.timedelta(minutes=programme.config.service.min_rest_minutes) + dt.timedelta(days=1)
    span = max(rest, shift_rules.reach(programme))
    programme.extra["roster_history_span"] = span
    return span


def _params(programme: LoadedProgramme, volunteer_id: int, shift: Any) -> dict[str, Any]:
    span = history_span(programme)
    return {"sid": shift.id, "vid": volunteer_id, "pid": programme.id, "post_id": shift.post_id,
            "lo": shift.starts_at - span, "hi": shift.ends_at + span}


def snapshot(conn: Connection, programme: LoadedProgramme, volunteer_id: int, shift: Any, post: Any) -> Snapshot:
    """Counts, the application, an existing place and the person's other shifts near ``shift``."""
    rows = conn.execute(SNAPSHOTS.get(conn.dialect.name, SNAPSHOTS["sqlite"])[0],
                        _params(programme, volunteer_id, shift)).all()
    first = rows[0]
    return Snapshot(post, first.taken or 0, first.no_shows or 0, first.app_id, first.app_state, first.existing_id,
                    first.existing_status,
                    [(r.other_id, r.other_start, r.other_end) for r in rows if r.other_id is not None])


def others(conn: Connection, programme: LoadedProgramme, volunteer_id: int, shift: Any) -> list[Other]:
    """The person's other active shifts within :func:`history_span` of ``shift``, by start."""
    stmt = SNAPSHOTS.get(conn.dialect.name, SNAPSHOTS["sqlite"])[1]
    return [tuple(r) for r in conn.execute(stmt, _params(programme, volunteer_id, shift))]  # type: ignore[misc]
