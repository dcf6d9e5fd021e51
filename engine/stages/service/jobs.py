"""The service stage's scheduled work, run by the scheduled path like any plan type's.

* Forgotten check-outs: every check-in still open ``service.auto_close_after_minutes`` after its
  shift ended is closed at the shift's end and listed for a coordinator to confirm
  (:func:`engine.stages.service.checkin.close_forgotten_checkouts`). ``volunteer sweep PROGRAMME``
  runs this job once, now; ``POST /programmes/{id}/service/sweep`` is the coordinator's button.
* Shift reminders (``service.reminders_hours_before``, default 24 h and 2 h):
  :mod:`engine.stages.service.reminders`.
* Swap requests nobody settled before a shift began: closed as ``expired`` and both told
  (:func:`engine.stages.service.swaps.expire_stale`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from engine.hookspecs import hookimpl

if TYPE_CHECKING:
    from engine.programme import LoadedProgramme

JOB = "engine.stages.service.jobs"


@hookimpl
def volunteer_scheduled(programme: LoadedProgramme, now: dt.datetime, ctx: Any) -> dict[str, Any] | None:
    from engine.stages.service.checkin import close_forgotten_checkouts
    from engine.stages.service.reminders import remind
    from engine.stages.service.swaps import expire_stale

    closed = close_forgotten_checkouts(ctx.session, programme, now)
    reminded = remind(ctx, programme, now)
    expired = expire_stale(ctx.session, programme, ctx.host, now)
    out: dict[str, Any] = {}
    if closed:
        out["auto_closed_checkins"] = closed
    if reminded:
        out["shift_reminders"] = reminded
    if expired:
        out["swaps_expired"] = expired
    return out or None
