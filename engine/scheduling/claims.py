"""Claims: how several workers share scheduled work so that each piece is done once.

Two tools, both inside the caller's transaction (nothing here commits):

* :func:`claim` — insert a row unique on ``(job, programme, slot)`` with
  ``INSERT … ON CONFLICT DO NOTHING RETURNING``. True means *this* transaction holds the claim;
  False means another transaction committed it first. A concurrent claimant of the same key
  waits for the holder's transaction to end (PostgreSQL's unique index; SQLite's single writer)
  and then gets False — or True, if the holder rolled back. So the claim and the work it guards
  commit together or not at all: **at most one committed run per key**, and a run that failed
  leaves no claim behind, so a later tick may try again.
* :func:`lock_rows` — select work rows ``FOR UPDATE SKIP LOCKED`` on PostgreSQL: rows another
  worker holds are skipped, not waited for, so two workers split a queue instead of doing it
  twice. SQLite has no row locks, and needs none: the engine opens every transaction with
  ``BEGIN IMMEDIATE``, so one writer at a time reads and changes the queue.

Slots: a time slot is a UTC datetime (the start of a tick's period: :func:`slot_of`), stored as
``t:<ISO time>``; any other string is an item key (``incident:42:escalate``), stored as
``i:<key>`` — claim those for work that must happen once ever ("send the 24-hour reminder for
shift 42"), whatever tick it falls in.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from typing import Any

from sqlalchemy import Result, Select, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine import timeutil
from engine.errors import InvalidInput
from engine.scheduling.models import ScheduleClaim

# Time-slot claims older than this are pruned: no worker computes such an old slot again.
SLOT_RETENTION = dt.timedelta(days=2)
ENGINE_WIDE = ""


def worker_name() -> str:
    """``host:pid``, recorded with claims and delivery attempts (who did it)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def slot_of(now: dt.datetime, every: int) -> dt.datetime:
    """The start of the ``every``-second slot that ``now`` falls in (slots are aligned to the Unix
    epoch, so every worker with the same period computes the same slots)."""
    if now.tzinfo is None:
        raise InvalidInput("时间必须带时区 / now must be timezone-aware", field="now")
    seconds = int(now.timestamp())
    return dt.datetime.fromtimestamp(seconds - seconds % every, dt.UTC)


def slot_key(slot: dt.datetime | str) -> str:
    if isinstance(slot, dt.datetime):
        if slot.tzinfo is None:
            raise InvalidInput("时间段必须带时区 / a time slot must be timezone-aware", field="slot")
        return "t:" + slot.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if not slot or len(slot) > 190:
        raise InvalidInput(f"认领键须为 1–190 个字符 / a claim key needs 1–190 characters: {slot!r}", field="slot")
    return "i:" + slot


def claim(session: Session, job: str, programme_id: str | None, slot: dt.datetime | str, *,
          keep: dt.timedelta | None = None, worker: str | None = None) -> bool:
    """Claim ``(job, programme_id, slot)`` for this transaction; True if it is ours.

    ``programme_id`` ``None`` is engine-wide work. ``keep``: how long the claim is remembered
    (default: two days for a time slot, forever for an item key). See the module docs for what
    a claim guarantees.
    """
    if not job or len(job) > 120:
        raise InvalidInput(f"任务名须为 1–120 个字符 / a job name needs 1–120 characters: {job!r}", field="job")
    key = slot_key(slot)
    now = timeutil.now()
    if keep is None and isinstance(slot, dt.datetime):
        keep = SLOT_RETENTION
    values = {"job": job, "programme_id": programme_id or ENGINE_WIDE, "slot": key,
              "worker": worker or worker_name(), "claimed_at": now,
              "expires_at": now + keep if keep is not None else None}
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (insert(ScheduleClaim).values(**values)
            .on_conflict_do_nothing(index_elements=["job", "programme_id", "slot"])
            .returning(ScheduleClaim.id))
    return session.execute(stmt).first() is not None


def is_claimed(session: Session, job: str, programme_id: str | None, slot: dt.datetime | str) -> bool:
    """Whether a committed (or this transaction's) claim exists; for reports and tests."""
    from sqlalchemy import select

    return session.scalar(select(ScheduleClaim.id).where(
        ScheduleClaim.job == job, ScheduleClaim.programme_id == (programme_id or ENGINE_WIDE),
        ScheduleClaim.slot == slot_key(slot))) is not None


def lock_rows(session: Session, stmt: Select[Any]) -> Result[Any]:
    """Run ``stmt`` taking the rows it returns for this transaction, skipping rows another
    worker holds (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; see the module docs for SQLite).
    Returns the result: ``.scalars().all()`` for one entity, ``.all()`` for rows.

    Use it for per-item work: select the items due, act on each, mark each done (so the next
    tick's select no longer returns it), commit. Keep ``LIMIT`` small and the work short: the
    rows stay locked until the transaction ends. The statement must not aggregate (``FOR
    UPDATE`` locks rows, and PostgreSQL refuses it with ``GROUP BY`` or ``DISTINCT``)."""
    return session.execute(stmt.with_for_update(skip_locked=True))


def prune(session: Session, now: dt.datetime) -> int:
    """Forget expired claims; returns how many."""
    result = session.execute(delete(ScheduleClaim).where(ScheduleClaim.expires_at < now))
    return int(getattr(result, "rowcount", 0) or 0)
