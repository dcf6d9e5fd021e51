"""Level schemes in the store: nominations (applications) for a level, the annual batch, and the
one answer to "which level, which next, how many hours to it" that every page and API reads.

The scheme itself is :mod:`engine.rules.levels` (pure); this module reads and writes the rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import timeutil
from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.rules import levels as rules_levels
from engine.stages.records.models import VolunteerTotal
from engine.stages.recruitment.models import Volunteer
from engine.stages.rewards.levels import (
    LEVEL_RULE,
    dated_level_minutes,
    decide_level,
    effective_levels,
    nominations,
    policy_levels,
)
from engine.stages.rewards.models import Honour, LevelNomination
from engine.store.base import utcnow


def standing(session: Session, programme: LoadedProgramme, volunteer_id: int) -> dict[str, Any]:
    """Hours, level hours, level, next level and hours to it — the same figures everywhere.

    At the top of a scheme without repeats the next level is ``None`` and the hours to it 0.
    """
    total = session.scalar(select(VolunteerTotal).where(VolunteerTotal.programme_id == programme.id,
                                                        VolunteerTotal.volunteer_id == volunteer_id))
    minutes, level_minutes = (total.minutes, total.level_minutes) if total else (0, 0)
    pol = policy_levels(programme)
    if pol is not None and pol.batch is not None and pol.batch.hours == "year":
        # a yearly scheme: the level hours are this batch year's, towards this year's award
        first, last = rules_levels.batch_window(pol, rules_levels.batch_year(pol, timeutil.today(programme.config.tz)))
        level_minutes = sum(m for day, m in dated_level_minutes(session, programme, volunteer_id, until=last)
                            if first is None or day >= first)
    nxt, to_next = rules_levels.next_step(effective_levels(programme), level_minutes)
    return {"volunteer_id": volunteer_id, "hours": round(minutes / 60, 2), "level_hours": round(level_minutes / 60, 2),
            "level": total.level if total else None, "next_level": nxt.name if nxt else None,
            "hours_to_next": float(to_next), "top": nxt is None}


def _held(session: Session, programme: LoadedProgramme, volunteer_id: int) -> set[str]:
    """The levels a volunteer holds or has held (their honours)."""
    names = {lv.name for lv in effective_levels(programme).scheme}
    got = set(session.scalars(select(Honour.title).where(Honour.programme_id == programme.id,
                                                         Honour.volunteer_id == volunteer_id)))
    return got & names


def nominate(session: Session, programme: LoadedProgramme, host: PluginHost, volunteer_id: int, level: str, *,
             actor: str, note: str | None = None) -> LevelNomination:
    """Record a nomination (or an application) for a level; refused when the scheme needs the level
    below awarded first and it is not. The level is then granted when the hours are there."""
    pol = policy_levels(programme)
    if pol is None:
        raise InvalidInput("本项目没有等级规则 / this programme has no rules.levels scheme to nominate for",
                           field="level")
    if session.get(Volunteer, volunteer_id) is None:
        raise NotFound(f"没有志愿者 {volunteer_id} / no volunteer {volunteer_id}", volunteer=volunteer_id)
    why = rules_levels.may_nominate(pol, level, _held(session, programme, volunteer_id))
    if why is not None:
        raise Forbidden(f"不能申请 {level}：{why}", rule="rules.levels.previous_required", level=level)
    if level in nominations(session, programme.id, volunteer_id):
        raise Conflict(f"已推荐 {level} / {level!r} is already nominated", level=level)
    row = LevelNomination(programme_id=programme.id, volunteer_id=volunteer_id, level=level, note=note,
                          nominated_by=actor, created_at=utcnow())
    session.add(row)
    session.flush()
    from engine.stages.rewards.levels import update_level

    update_level(session, programme, host, volunteer_id, actor=actor)
    return row


def run_level_batch(session: Session, programme: LoadedProgramme, host: PluginHost, year: int, *,
                    actor: str) -> list[dict[str, Any]]:
    """The annual batch: each volunteer's level from the hours served up to the cut-off of ``year``
    (hours after it count for next year's batch); honours dated the day the hours were reached.
    Running a year twice writes nothing new. Returns who rose."""
    pol = policy_levels(programme)
    if pol is None or pol.batch is None:
        raise InvalidInput("本项目的等级不按年度批次评定 / this programme's levels are not granted in annual batches "
                           "(rules.levels.batch)", field="year")
    first, cutoff = rules_levels.batch_window(pol, year)
    yearly = pol.batch.hours == "year"
    risen: list[dict[str, Any]] = []
    rows = session.scalars(select(VolunteerTotal).where(VolunteerTotal.programme_id == programme.id)
                           .order_by(VolunteerTotal.volunteer_id)).all()
    for total in rows:
        dated = [r for r in dated_level_minutes(session, programme, total.volunteer_id, until=cutoff)
                 if first is None or r[0] >= first]
        minutes = sum(m for _, m in dated)
        new = decide_level(session, programme, host, session.get(Volunteer, total.volunteer_id), minutes)
        if yearly:  # the level held is this batch's (none when not reached); each year's award is its own honour
            if new is None or _has(session, programme.id, total.volunteer_id, new.name, batch=year):
                total.level = new.name if new else None
                continue
        elif new is None or new.name == total.level or _has(session, programme.id, total.volunteer_id, new.name):
            continue
        step = rules_levels.Step(new.name, Decimal(str(new.min_hours)) * 60)
        on = rules_levels.crossing(pol, dated, step) if pol.honour_dated == "earned" else None
        old, total.level = total.level, new.name
        session.add(Honour(programme_id=programme.id, volunteer_id=total.volunteer_id, title=new.name,
                           awarded_on=on or cutoff, awarded_by=actor, note=f"{year} 年度批次 / batch of {year}",
                           evidence={"rule": LEVEL_RULE, "batch": year, "cutoff": cutoff.isoformat(), "from": old,
                                     "to": new.name, "hours": round(minutes / 60, 2)}))
        risen.append({"volunteer_id": total.volunteer_id, "from": old, "to": new.name,
                      "earned_on": (on or cutoff).isoformat()})
    session.flush()
    return risen


def _has(session: Session, programme_id: str, volunteer_id: int, title: str, batch: int | None = None) -> bool:
    """Whether the volunteer holds the title (of ``batch``'s year only, when given)."""
    found = session.scalars(select(Honour.evidence).where(
        Honour.programme_id == programme_id, Honour.volunteer_id == volunteer_id, Honour.title == title)).all()
    return any(batch is None or (ev or {}).get("batch") == batch for ev in found)


__all__ = ["nominate", "run_level_batch", "standing"]
