"""When ticks happen: APScheduler 3.x, in a worker process or inside the HTTP server.

Why APScheduler 3.x: it is the well-kept, stable in-process scheduler for Python (interval and
cron triggers, coalescing of missed runs, one running instance at a time, blocking and
background flavours), with no broker to run. Its job stores are *not* for sharing between
processes (its FAQ says so; 4.x, which adds shared data stores, is still a pre-release), and no
stable library shares one across processes on both SQLite and PostgreSQL. So APScheduler only
decides *when* this process ticks, from a memory job store; *that each slot's work is done
once* comes from the claims table (:mod:`engine.scheduling.claims`). Any number of workers and
``serve`` processes may tick; the claims make the extra ticks harmless.

Ticks are placed in the middle of each slot (slots are aligned to the epoch), so workers whose
clocks differ by less than half a period agree on the slot; one tick also runs at start-up.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from engine import timeutil
from engine.scheduling.claims import slot_of
from engine.scheduling.runner import TickReport, tick
from engine.settings import get_settings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from engine.core import VolunteerEngine

log = logging.getLogger("engine.scheduling")

JOB_ID = "volunteer-tick"


def _tick(engine: VolunteerEngine, every: int) -> TickReport:
    report = tick(engine, every=every)
    for run in report.runs:
        if run.outcome == "done":
            log.info("%s", run)
    if report.delivery:
        log.info("notifications: %s", report.delivery)
    return report


def scheduler(engine: VolunteerEngine, every: int, *, background: bool) -> BaseScheduler:
    """A scheduler that ticks ``engine`` every ``every`` seconds (not started yet)."""
    sched: BaseScheduler = BackgroundScheduler(timezone=dt.UTC) if background else BlockingScheduler(timezone=dt.UTC)
    now = timeutil.now()
    sched.add_job(_tick, IntervalTrigger(seconds=every, start_date=slot_of(now, every) + dt.timedelta(seconds=every / 2),
                                         timezone=dt.UTC),
                  args=(engine, every), id=JOB_ID, name="volunteer tick", coalesce=True, max_instances=1,
                  misfire_grace_time=max(1, every // 2), next_run_time=dt.datetime.now(dt.UTC))
    return sched


def start_in_background(engine: VolunteerEngine, every: int) -> BaseScheduler:
    """Start ticking in a background thread (what ``volunteer serve`` does); call ``.shutdown()``."""
    sched = scheduler(engine, every, background=True)
    sched.start()
    log.info("in-process scheduler: a tick every %s s", every)
    return sched


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The HTTP app's lifespan: with ``app.state.run_scheduler`` (``volunteer serve`` sets it from
    ``VOLUNTEER_SCHEDULER``, default on) ticks run in a background thread of this process."""
    sched = None
    if getattr(app.state, "run_scheduler", False):
        sched = start_in_background(app.state.engine, get_settings().scheduler_every)
    app.state.scheduler = sched
    try:
        yield
    finally:
        if sched is not None:
            sched.shutdown(wait=True)
