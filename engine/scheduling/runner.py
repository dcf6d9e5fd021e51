"""One tick of scheduled work: every programme's jobs, then the notification outbox.

A *job* is one plugin's implementation of ``volunteer_scheduled`` — the engine's own (the sweep
of forgotten check-outs, :mod:`engine.stages.service.jobs`) and each plan type's, for the
programmes of that plan type. Each (job, programme) runs in a transaction of its own that first
claims the due slot (:func:`engine.scheduling.claims.claim`): one failing plan type does not stop
the others, and any number of workers run each slot once.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from engine import timeutil
from engine.scheduling import claims
from engine.settings import get_settings
from engine.store.models import ProgrammeRow

if TYPE_CHECKING:
    from engine.core import VolunteerEngine

log = logging.getLogger("engine.scheduling")

HOOK = "volunteer_scheduled"


@dataclass
class JobRun:
    """What happened to one job for one programme in one tick.

    ``outcome``: ``done``, ``skipped`` (another worker holds the slot) or ``failed`` (``error``
    says why, naming the plugin)."""

    job: str
    programme_id: str
    slot: dt.datetime
    outcome: str
    result: Any = None
    error: str | None = None

    def __str__(self) -> str:
        what = f" {self.error}" if self.error else (f" {self.result}" if self.result not in (None, "", [], {}) else "")
        return f"{self.programme_id} · {self.job}: {self.outcome}{what}"


@dataclass
class TickReport:
    now: dt.datetime
    slot: dt.datetime
    runs: list[JobRun] = field(default_factory=list)
    delivery: Any = None

    @property
    def failed(self) -> list[JobRun]:
        return [r for r in self.runs if r.outcome == "failed"]


def jobs_for(engine: VolunteerEngine, plan_type: str) -> list[str]:
    """The jobs (plugin names) that run for programmes of ``plan_type``."""
    return engine.host.implementers(HOOK, plan_type=plan_type)


def run_job(engine: VolunteerEngine, job: str, programme_id: str, *, now: dt.datetime, slot: dt.datetime,
            use_claim: bool = True, worker: str | None = None) -> JobRun:
    """Run one job for one programme in a transaction of its own. With ``use_claim`` (the worker's
    way) it first claims ``(job, programme, slot)`` and skips if another worker has it; without
    (an operator's "run it now", e.g. ``volunteer sweep``) it just runs."""
    try:
        with engine.session() as s:
            programme = engine.programme(programme_id, s)
            if use_claim and not claims.claim(s, job, programme_id, slot, worker=worker):
                return JobRun(job, programme_id, slot, "skipped")
            ctx = engine.host.context(s, programme, actor="system", roles=("system",), now=now)
            results = engine.host.call(HOOK, plan_type=programme.plan_type_id, plugin=job, programme=programme,
                                       now=now, ctx=ctx)
    except Exception as exc:  # one job's failure must not stop the others
        message = getattr(exc, "message", None) or f'job "{job}" failed: {exc!r}'
        log.error("scheduled job failed (programme %s, plugin %s, slot %s): %s", programme_id, job,
                  slot.isoformat(), message, exc_info=exc)
        return JobRun(job, programme_id, slot, "failed", error=message)
    result = results[0] if results else None
    if result is not None:
        log.info("scheduled %s for %s: %s", job, programme_id, result)
    return JobRun(job, programme_id, slot, "done", result)


def tick(engine: VolunteerEngine, *, now: dt.datetime | None = None, every: int | None = None,
         programme_ids: list[str] | None = None, deliver: bool = True, worker: str | None = None) -> TickReport:
    """Run everything due in the slot ``now`` falls in (default: the engine's clock), once.

    Programmes are visited in random order, so that several workers starting together mostly
    work on different programmes instead of queueing on one claim. Then due notifications are
    sent (``deliver``) and expired claims are pruned.
    """
    now = now or timeutil.now()
    every = every or get_settings().scheduler_every
    slot = claims.slot_of(now, every)
    worker = worker or claims.worker_name()
    report = TickReport(now, slot)
    with engine.session() as s:
        q = select(ProgrammeRow.id, ProgrammeRow.plan_type)
        if programme_ids is not None:
            q = q.where(ProgrammeRow.id.in_(programme_ids))
        programmes = [(pid, plan_type) for pid, plan_type in s.execute(q)]
    random.shuffle(programmes)
    for pid, plan_type in programmes:
        for job in jobs_for(engine, plan_type):
            report.runs.append(run_job(engine, job, pid, now=now, slot=slot, worker=worker))
    if deliver:
        from engine.notify.delivery import deliver_due

        try:
            report.delivery = deliver_due(engine, now=now, worker=worker)
        except Exception as exc:  # a broken sender configuration must not stop scheduled work
            log.error("notification delivery failed: %s", getattr(exc, "message", exc), exc_info=exc)
            report.delivery = f"failed: {getattr(exc, 'message', exc)}"
    with engine.session() as s:
        claims.prune(s, now)
    return report
