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
  the reach of every check that looks at history (:func:`history_span`).

Nothing here decides: :mod:`engine.stages.service.roster` applies the same rules to what was read,
with the same messages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, and_, bindparam, cast, func, select, true
from sqlalchemy.engine import Connection

from engine.programme import LoadedProgramme
from engine.stages.design.models import Post, Project, Shift
from engine.stages.recruitment.models import Application, Enrolment, Volunteer
from engine.stages.service import shift_rules
from engine.stages.service.models import Assignment
from engine.store.models import WorkflowInstance

ACTIVE = "assigned"
Other = tuple[int, dt.datetime, dt.datetime]  # another shift of the person: id, start, end

_SID, _VID, _PID = bindparam("sid"), bindparam("vid"), bindparam("pid")
_WI = WorkflowInstance


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


_STAGE = (select(_WI.state).where(_WI.programme_id == _PID, _WI.workflow == bindparam("lifecycle"),
                                  _WI.subject_type == "programme", _WI.subject_id == _PID)
          .limit(1).scalar_subquery())

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
           Volunteer.id.in_(select(Enrolment.volunteer_id).where(Enrolment.programme_id == _PID)))
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


_APP = select(Application.id).where(Application.post_id == bindparam("post_id"), Application.volunteer_id == _VID)
_EXISTING = select(Assignment.id, Assignment.status).where(Assignment.shift_id == _SID,
                                                          Assignment.volunteer_id == _VID)
_BASE = select(
    _count(Assignment.shift_id == _SID, Assignment.status == ACTIVE).label("taken"),
    _count(Assignment.programme_id == _PID, Assignment.volunteer_id == _VID,
           Assignment.status == "no_show").label("no_shows"),
    _APP.limit(1).scalar_subquery().label("app_id"),
    select(_WI.state).select_from(Application).join(_WI, and_(
        _WI.programme_id == _PID, _WI.workflow == "application", _WI.subject_type == "application",
        _WI.subject_id == cast(Application.id, String)))
    .where(Application.post_id == bindparam("post_id"), Application.volunteer_id == _VID)
    .limit(1).scalar_subquery().label("app_state"),
    _EXISTING.with_only_columns(Assignment.id).limit(1).scalar_subquery().label("existing_id"),
    _EXISTING.with_only_columns(Assignment.status).limit(1).scalar_subquery().label("existing_status"),
).subquery("base")
_HISTORY = (
    select(Shift.id.label("other_id"), Shift.starts_at.label("other_start"), Shift.ends_at.label("other_end"))
    .join(Assignment, Assignment.shift_id == Shift.id)
    .where(Assignment.programme_id == _PID, Assignment.volunteer_id == _VID, Assignment.status == ACTIVE,
           Shift.id != _SID, Shift.starts_at < bindparam("hi", type_=Shift.starts_at.type),
           Shift.ends_at > bindparam("lo", type_=Shift.ends_at.type))
).subquery("other")
SNAPSHOT = (select(_BASE, _HISTORY).select_from(_BASE.outerjoin(_HISTORY, true()))
            .order_by(_HISTORY.c.other_start, _HISTORY.c.other_id))
_OTHERS = select(_HISTORY).order_by(_HISTORY.c.other_start, _HISTORY.c.other_id)


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
    rows = conn.execute(SNAPSHOT, _params(programme, volunteer_id, shift)).all()
    first = rows[0]
    return Snapshot(post, first.taken or 0, first.no_shows or 0, first.app_id, first.app_state, first.existing_id,
                    first.existing_status,
                    [(r.other_id, r.other_start, r.other_end) for r in rows if r.other_id is not None])


def others(conn: Connection, programme: LoadedProgramme, volunteer_id: int, shift: Any) -> list[Other]:
    """The person's other active shifts within :func:`history_span` of ``shift``, by start."""
    return [tuple(r) for r in conn.execute(_OTHERS, _params(programme, volunteer_id, shift))]  # type: ignore[misc]
