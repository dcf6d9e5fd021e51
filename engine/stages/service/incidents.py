"""现场突发事件 Incidents with tiered response (分级响应, seed 000 篇3).

The escalation path is ``service.incident_levels``, lowest first; the engine default follows the
seed: 一般问题 volunteer (``ordinary``) → 小组长 (``team_leader``) → 功能组长 (``group_head``) →
总协调人/总指挥部 (``hq``). An incident moves up one level at a time, or straight to a named higher
level (a fire goes to HQ at once); never down, never past the top. Categories follow the seed's
emergency plans: medical, lost_person, fire, weather, plus dispute and other.

Why an event log: 记录归档 — every report, escalation and resolution is an append-only
:class:`IncidentEvent` (who, when, from which level to which, note); the :class:`Incident` row
only caches the current level and status for listing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.errors import Conflict, InvalidInput, NotFound
from engine.programme import LoadedProgramme
from engine.stages.design.models import Shift
from engine.stages.service.models import Assignment, Checkin, Incident, IncidentEvent
from engine.store.base import utcnow
from engine.workflow import stagegate as gate

CATEGORIES = ("medical", "lost_person", "fire", "weather", "dispute", "other")


def levels(programme: LoadedProgramme) -> list[str]:
    return list(programme.config.service.incident_levels)


def report(session: Session, programme: LoadedProgramme, *, category: str, description: str, actor: str,
           level: str | None = None, shift_id: int | None = None) -> Incident:
    gate.require_open(session, programme, "service")
    path = levels(programme)
    if category not in CATEGORIES:
        raise InvalidInput(f"未知的事件类别 {category!r} / unknown category {category!r}; one of {', '.join(CATEGORIES)}",
                           field="category")
    level = level or path[0]
    if level not in path:
        raise InvalidInput(f"未知的响应级别 {level!r} / unknown level {level!r}; the path is {' → '.join(path)}",
                           field="level")
    if shift_id is not None:
        shift = session.get(Shift, shift_id)
        if shift is None or shift.programme_id != programme.id:
            raise NotFound(f"没有班次 {shift_id} / programme {programme.id!r} has no shift {shift_id}", field="shift_id")
    inc = Incident(programme_id=programme.id, shift_id=shift_id, category=category, description=description,
                   level=level, status="open", reported_by=actor)
    session.add(inc)
    session.flush()
    session.add(IncidentEvent(incident_id=inc.id, kind="reported", to_level=level, actor=actor, note=description))
    session.flush()
    return inc


def get_incident(session: Session, programme: LoadedProgramme, incident_id: int) -> Incident:
    inc = session.get(Incident, incident_id)
    if inc is None or inc.programme_id != programme.id:
        raise NotFound(f"没有事件 {incident_id} / programme {programme.id!r} has no incident {incident_id}",
                       incident=incident_id)
    return inc


def escalate(session: Session, programme: LoadedProgramme, incident_id: int, *, actor: str,
             to_level: str | None = None, note: str | None = None) -> Incident:
    """Move an open incident up: to the next level, or to a named higher one."""
    path = levels(programme)
    inc = get_incident(session, programme, incident_id)
    if inc.status != "open":
        raise Conflict(f"事件 {inc.id} 已处置完毕 / incident {inc.id} is resolved", incident=inc.id)
    here = path.index(inc.level) if inc.level in path else -1
    if to_level is None:
        if here + 1 >= len(path):
            raise Conflict(f"事件 {inc.id} 已在最高级别「{inc.level}」，无法再上报 / incident {inc.id} is already at the top "
                           f"level {inc.level!r} of {' → '.join(path)}", incident=inc.id)
        to_level = path[here + 1]
    elif to_level not in path:
        raise InvalidInput(f"未知的响应级别 {to_level!r} / unknown level {to_level!r}; the path is {' → '.join(path)}",
                           field="to_level")
    elif path.index(to_level) <= here:
        raise InvalidInput(f"只能向上报告：{inc.level} → {to_level} 不是更高级别 / escalation goes up only: {to_level!r} "
                           f"is not above {inc.level!r}", field="to_level")
    won = session.execute(update(Incident).where(Incident.id == inc.id, Incident.level == inc.level,
                                                 Incident.status == "open").values(level=to_level)
                          .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    if not won:
        raise Conflict(f"事件 {inc.id} 刚被他人更新，请刷新 / incident {inc.id} changed meanwhile; reload it",
                       incident=inc.id)
    session.add(IncidentEvent(incident_id=inc.id, kind="escalated", from_level=inc.level, to_level=to_level,
                              actor=actor, note=note))
    session.flush()
    session.refresh(inc)
    return inc


def resolve(session: Session, programme: LoadedProgramme, incident_id: int, *, actor: str, note: str) -> Incident:
    inc = get_incident(session, programme, incident_id)
    won = session.execute(update(Incident).where(Incident.id == inc.id, Incident.status == "open")
                          .values(status="resolved", resolved_at=utcnow())
                          .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    if not won:
        raise Conflict(f"事件 {inc.id} 已处置完毕 / incident {inc.id} is already resolved", incident=inc.id)
    session.add(IncidentEvent(incident_id=inc.id, kind="resolved", from_level=inc.level, to_level=inc.level,
                              actor=actor, note=note))
    session.flush()
    session.refresh(inc)
    return inc


def events(session: Session, incident_id: int) -> list[IncidentEvent]:
    return list(session.scalars(select(IncidentEvent).where(IncidentEvent.incident_id == incident_id)
                                .order_by(IncidentEvent.id)))


def list_incidents(session: Session, programme: LoadedProgramme, *, status: str | None = None,
                   level: str | None = None, reported_by: str | None = None, limit: int = 100) -> list[Incident]:
    q = select(Incident).where(Incident.programme_id == programme.id)
    if status is not None:
        q = q.where(Incident.status == status)
    if level is not None:
        q = q.where(Incident.level == level)
    if reported_by is not None:
        q = q.where(Incident.reported_by == reported_by)
    return list(session.scalars(q.order_by(Incident.id).limit(min(limit, 1000))))


def open_by_level(session: Session, programme: LoadedProgramme) -> dict[str, list[Incident]]:
    """Open incidents grouped by level, highest level first (what needs the most senior eyes)."""
    grouped: dict[str, list[Incident]] = {lvl: [] for lvl in reversed(levels(programme))}
    for inc in list_incidents(session, programme, status="open", limit=1000):
        grouped.setdefault(inc.level, []).append(inc)
    return grouped


def on_duty(session: Session, programme: LoadedProgramme, volunteer_id: int | None, now: dt.datetime) -> bool:
    """A volunteer is on duty while checked in and not yet checked out, or rostered on a running shift."""
    if volunteer_id is None:
        return False
    checked_in = session.scalar(select(Checkin.id).join(Assignment, Assignment.id == Checkin.assignment_id).where(
        Checkin.programme_id == programme.id, Assignment.volunteer_id == volunteer_id,
        Checkin.checked_out_at.is_(None)).limit(1))
    if checked_in is not None:
        return True
    running = session.scalar(select(Assignment.id).join(Shift, Shift.id == Assignment.shift_id).where(
        Assignment.programme_id == programme.id, Assignment.volunteer_id == volunteer_id,
        Assignment.status == "assigned", Shift.starts_at <= now, Shift.ends_at >= now).limit(1))
    return running is not None


def event_view(e: IncidentEvent) -> dict[str, Any]:
    return {"id": e.id, "kind": e.kind, "from_level": e.from_level, "to_level": e.to_level, "note": e.note,
            "actor": e.actor, "at": e.at.isoformat()}
