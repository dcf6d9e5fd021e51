"""调度 On-the-day redeployment: may a rostered volunteer be moved from their shift's post to another
post for a window? The same checks as rostering them there (:mod:`engine.stages.service.roster`),
applied to the duty the move gives them — their shift stretched to cover the window:

* eligibility for the target post on that day (age, skills, languages, qualifications, valid courses:
  :func:`check_eligibility`);
* the no-show cap (``service.max_no_shows``);
* overlap, rest and the day's cap against their *other* shifts (``service.min_rest_minutes``,
  ``service.max_minutes_per_day``), and the programme's shift rules (``shifts.*``: rest, hours per day
  and week, consecutive days, duty window).

An agreed application to the target post is *not* required: a redeployment on the day is an order of
the event's command, not a new sign-up; the volunteer stays rostered on their own shift. Every
refusal names the rule. Reads only; the plan type records the move.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from sqlalchemy.orm import Session

from engine.errors import NotFound
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.stages.design.models import Post
from engine.stages.service import roster


def redeploy_refusals(session: Session, programme: LoadedProgramme, host: PluginHost, *, volunteer_id: int,
                      from_shift_id: int, to_post_id: int, starts_at: dt.datetime, ends_at: dt.datetime,
                      now: dt.datetime) -> list[str]:
    """Every reason the volunteer may not be moved (empty: they may)."""
    shift = roster.get_shift(session, programme, from_shift_id)
    post = session.get(Post, to_post_id)
    if post is None or post.programme_id != programme.id:
        raise NotFound(f"没有岗位 {to_post_id} / programme {programme.id!r} has no post {to_post_id}", field="to_post_id")
    volunteer = roster.get_volunteer(session, volunteer_id, programme_id=programme.id)
    reasons: list[str] = []
    if shift.post_id == post.id:
        reasons.append(f"已在岗位「{post.name}」/ already on post {post.name!r}")
    if ends_at <= now:
        reasons.append("调度时段已结束 / the window has already ended")
    duty = SimpleNamespace(id=shift.id, post_id=shift.post_id, starts_at=min(shift.starts_at, starts_at),
                           ends_at=max(shift.ends_at, ends_at))
    reasons.extend(roster.person_refusals(session, programme, host, volunteer, post, duty,  # type: ignore[arg-type]
                                          on=starts_at.astimezone(programme.config.tz).date()))
    return reasons
