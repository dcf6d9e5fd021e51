"""Shift reminders, sent from the service stage's scheduled job (:mod:`engine.stages.service.jobs`): each rostered volunteer is reminded
``service.reminders_hours_before`` hours before their shift (default 24 h and 2 h).

Every tick looks at assignments still ``assigned`` whose shift starts within the largest window; for each
it queues the reminder of the *smallest* window that contains the start (assigned 90 minutes before: only
the 2 h one). The outbox key ``shift.reminder:<assignment>:<hours>h`` makes each reminder go out once,
however many ticks and workers see it; a cancelled assignment gets nothing more.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

if TYPE_CHECKING:
    from engine.programme import LoadedProgramme


def remind(ctx: Any, programme: LoadedProgramme, now: dt.datetime) -> int:
    """Queue the reminders due now through the job's context (``ctx.notify``); how many were new."""
    from engine.stages.design.models import Post, Shift
    from engine.stages.service.models import Assignment

    hours = sorted(programme.config.service.reminders_hours_before)
    if not hours:
        return 0
    rows = ctx.session.execute(
        select(Assignment.id, Assignment.volunteer_id, Shift.starts_at, Shift.place, Post.name)
        .join(Shift, Shift.id == Assignment.shift_id).join(Post, Post.id == Shift.post_id)
        .where(Assignment.programme_id == programme.id, Assignment.status == "assigned",
               Shift.starts_at > now, Shift.starts_at <= now + dt.timedelta(hours=hours[-1]))).all()
    queued = 0
    for assignment_id, volunteer_id, starts_at, place, post in rows:
        h = next(h for h in hours if starts_at <= now + dt.timedelta(hours=h))
        queued += ctx.notify("shift.reminder", {"post": post, "starts_at": starts_at, "place": place or "", "hours": h},
                             key=f"shift.reminder:{assignment_id}:{h}h", to_volunteer_id=volunteer_id)
    return queued
