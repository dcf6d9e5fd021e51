"""A volunteer's own changes to their roster, where the programme allows them: take themselves off
a shift, or swap it for another shift of the same post, until ``service.self_cancel_minutes_before``
minutes before it starts (absent: only a coordinator changes the roster).

A swap is one transaction: the old seat is freed and the new one taken with every check a
coordinator's rostering makes (:func:`roster.assign`: capacity, timing, agreed application,
eligibility); if the new shift is refused, the old seat stays.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from engine.errors import Forbidden, InvalidInput
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.stages.service import roster
from engine.stages.service.models import Assignment
from engine.store.base import utcnow


def _own_seat(session: Session, programme: LoadedProgramme, assignment_id: int, volunteer_id: int,
              now: dt.datetime) -> Assignment:
    a = roster.get_assignment(session, programme, assignment_id)
    if a.volunteer_id != volunteer_id:
        raise Forbidden(f"排班 {assignment_id} 不是你的 / assignment {assignment_id} is not yours")
    minutes = programme.config.service.self_cancel_minutes_before
    if minutes is None:
        raise Forbidden("本项目的排班只能由协调员调整 / in this programme only a coordinator changes the roster "
                        "(service.self_cancel_minutes_before is not set)")
    shift = roster.get_shift(session, programme, a.shift_id)
    cutoff = shift.starts_at - dt.timedelta(minutes=minutes)
    if now > cutoff:
        local = cutoff.astimezone(programme.config.tz).strftime("%Y-%m-%d %H:%M")
        raise InvalidInput(f"班次开始前 {minutes} 分钟（{local}）后不能自行调整，请联系协调员 / changes by the volunteer "
                           f"close {minutes} minutes before the start ({local}); ask your coordinator",
                           field="assignment_id")
    return a


def cancel_own(session: Session, programme: LoadedProgramme, assignment_id: int, volunteer_id: int, *,
               actor: str, now: dt.datetime | None = None) -> Assignment:
    _own_seat(session, programme, assignment_id, volunteer_id, now or utcnow())
    return roster.cancel(session, programme, assignment_id, actor=actor)


def swap_own(session: Session, programme: LoadedProgramme, host: PluginHost, assignment_id: int,
             volunteer_id: int, shift_id: int, *, actor: str, now: dt.datetime | None = None) -> Assignment:
    now = now or utcnow()
    old = _own_seat(session, programme, assignment_id, volunteer_id, now)
    target = roster.get_shift(session, programme, shift_id)
    current = roster.get_shift(session, programme, old.shift_id)
    if target.post_id != current.post_id:
        raise InvalidInput(f"只能换到同一岗位的班次 / a swap is to another shift of the same post (post {current.post_id})",
                           field="shift_id")
    if target.id == current.id:
        raise InvalidInput("这就是你现在的班次 / that is the shift you are on", field="shift_id")
    minutes = programme.config.service.self_cancel_minutes_before or 0
    if target.starts_at - dt.timedelta(minutes=minutes) < now:
        raise InvalidInput(f"新班次须在 {minutes} 分钟以后开始 / the new shift must start more than {minutes} minutes "
                           "from now", field="shift_id")
    roster.cancel(session, programme, assignment_id, actor=actor)
    return roster.assign(session, programme, host, target.id, volunteer_id, actor=actor, now=now)
