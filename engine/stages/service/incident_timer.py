"""Incident grades, warning colours, acknowledgement and automatic escalation (event issue).

Three separate things, never mixed (WAVE2):

* the government event grade — 《突发事件应对法》第三条: 突发自然灾害、事故灾难、公共卫生事件分为
  特别重大、重大、较大和一般四级 (``gov_grade``: ``particularly_serious`` | ``serious`` |
  ``relatively_serious`` | ``general``);
* the warning colour — 第六十三条: 预警级别 … 分为一级、二级、三级和四级，分别用红色、橙色、黄色和蓝色
  标示，一级为最高级别 (``warning_colour``: ``red`` | ``orange`` | ``yellow`` | ``blue``);
* the on-site responder level — ``service.incident_levels`` (seed 000 篇3: ordinary → team leader →
  functional-group head → HQ), :mod:`engine.stages.service.incidents`.

An open incident waits at its level for someone there to acknowledge it. When nobody has within
the minutes configured for that level, :func:`escalate_overdue` (run from the scheduled path,
``volunteer_scheduled``) moves it one level up and restarts the timer there — as often as windows
have run out by ``now``, each step timed from the end of the previous window, so a missed tick
catches up exactly. An acknowledged incident is not escalated by the timer (people can still
escalate it by hand, which asks the new level to acknowledge again).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.errors import Conflict, InvalidInput
from engine.programme import LoadedProgramme
from engine.stages.service import incidents
from engine.stages.service.models import Incident, IncidentEvent

GOV_GRADES = {"particularly_serious": "特别重大", "serious": "重大", "relatively_serious": "较大", "general": "一般"}
WARNING_COLOURS = {"red": "红色（一级）", "orange": "橙色（二级）", "yellow": "黄色（三级）", "blue": "蓝色（四级）"}


def _check(gov_grade: str | None, warning_colour: str | None) -> None:
    if gov_grade is not None and gov_grade not in GOV_GRADES:
        raise InvalidInput(f"未知的事件分级 {gov_grade!r}（突发事件应对法第三条：特别重大、重大、较大、一般）/ unknown "
                           f"gov_grade {gov_grade!r}; one of {', '.join(GOV_GRADES)}", field="gov_grade")
    if warning_colour is not None and warning_colour not in WARNING_COLOURS:
        raise InvalidInput(f"未知的预警颜色 {warning_colour!r}（第六十三条：红、橙、黄、蓝）/ unknown warning_colour "
                           f"{warning_colour!r}; one of {', '.join(WARNING_COLOURS)}", field="warning_colour")


def report(session: Session, programme: LoadedProgramme, *, category: str, description: str, actor: str,
           now: dt.datetime, level: str | None = None, shift_id: int | None = None, gov_grade: str | None = None,
           warning_colour: str | None = None) -> Incident:
    """Report an incident with its grade and colour (both optional); the level's timer starts now."""
    _check(gov_grade, warning_colour)
    inc = incidents.report(session, programme, category=category, description=description, actor=actor,
                           level=level, shift_id=shift_id)
    inc.gov_grade, inc.warning_colour, inc.level_since = gov_grade, warning_colour, now
    session.flush()
    return inc


def acknowledge(session: Session, programme: LoadedProgramme, incident_id: int, *, actor: str,
                now: dt.datetime) -> Incident:
    """Someone at the incident's current level has taken it in hand: the timer stops."""
    inc = incidents.get_incident(session, programme, incident_id)
    if inc.status != "open":
        raise Conflict(f"事件 {inc.id} 已处置完毕 / incident {inc.id} is resolved", incident=inc.id)
    if inc.acknowledged_at is not None:
        raise Conflict(f"事件 {inc.id} 已由 {inc.acknowledged_by} 确认 / incident {inc.id} was already acknowledged by "
                       f"{inc.acknowledged_by}", incident=inc.id)
    inc.acknowledged_at, inc.acknowledged_by = now, actor
    session.add(IncidentEvent(incident_id=inc.id, kind="acknowledged", from_level=inc.level, to_level=inc.level,
                              actor=actor, at=now))
    session.flush()
    return inc


def escalate(session: Session, programme: LoadedProgramme, incident_id: int, *, actor: str, now: dt.datetime,
             to_level: str | None = None, note: str | None = None) -> Incident:
    """By hand: up one level (or to a named one); the new level must acknowledge again."""
    inc = incidents.escalate(session, programme, incident_id, actor=actor, to_level=to_level, note=note)
    inc.level_since, inc.acknowledged_at, inc.acknowledged_by = now, None, None
    session.flush()
    return inc


def escalate_overdue(session: Session, programme: LoadedProgramme, ack_minutes: dict[str, int], *,
                     now: dt.datetime, actor: str = "system") -> list[int]:
    """Escalate every open, unacknowledged incident whose level's window has run out by ``now``."""
    path = incidents.levels(programme)
    done: list[int] = []
    rows = session.scalars(select(Incident).where(Incident.programme_id == programme.id, Incident.status == "open",
                                                  Incident.acknowledged_at.is_(None)).order_by(Incident.id))
    for inc in list(rows):
        since = inc.level_since or inc.created_at
        level = inc.level
        moved = False
        while level in ack_minutes and path.index(level) + 1 < len(path):
            due = since + dt.timedelta(minutes=ack_minutes[level])
            if due > now:
                break
            nxt = path[path.index(level) + 1]
            session.add(IncidentEvent(incident_id=inc.id, kind="escalated", from_level=level, to_level=nxt, actor=actor,
                                      at=due, note=f"{ack_minutes[level]} 分钟内无人确认，自动上报 / not acknowledged "
                                      f"within {ack_minutes[level]} min: escalated automatically",
                                      data={"automatic": True}))
            level, since, moved = nxt, due, True
        if moved:
            won = session.execute(update(Incident).where(
                Incident.id == inc.id, Incident.level == inc.level, Incident.status == "open",
                Incident.acknowledged_at.is_(None)).values(level=level, level_since=since)
                .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
            if not won:
                raise Conflict(f"事件 {inc.id} 刚被他人更新 / incident {inc.id} changed meanwhile", incident=inc.id)
            session.refresh(inc)
            done.append(inc.id)
    session.flush()
    return done
