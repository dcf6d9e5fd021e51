"""The scheduled path: work that happens when nothing is clicked, done once however many workers run.

* :func:`tick` — run every programme's jobs (the engine's and each plan type's
  ``volunteer_scheduled``) for the slot ``now`` falls in, then send due notifications;
* :func:`claim` / :func:`lock_rows` — the store's "once": a claim row unique on (job, programme,
  slot or item key); rows taken ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (see
  :mod:`engine.scheduling.claims` for exactly what they guarantee);
* :mod:`engine.scheduling.timer` — when ticks happen (APScheduler), for ``volunteer worker`` and
  the scheduler inside ``volunteer serve``.
"""

from __future__ import annotations

from engine.scheduling.claims import claim, lock_rows, slot_of
from engine.scheduling.runner import JobRun, TickReport, run_job, tick

__all__ = ["JobRun", "TickReport", "claim", "lock_rows", "run_job", "slot_of", "tick"]
