"""The claims table: who did which job, for which programme, in which due slot (or for which item)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.base import Base, utcnow


class ScheduleClaim(Base):
    """One row per (job, programme, slot): the unique constraint is what makes work happen once.

    ``slot`` is a due time slot (``t:2026-05-01T09:00:00Z``) or an item key chosen by the job
    (``i:incident:42:escalate``); ``programme_id`` is ``""`` for engine-wide work. ``expires_at``:
    time-slot claims are pruned after a while (no worker computes an old slot again); item claims
    are kept (``NULL``) unless their job says otherwise.
    """

    __tablename__ = "schedule_claims"
    __table_args__ = (
        UniqueConstraint("job", "programme_id", "slot"),
        Index("ix_schedule_claims_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(120))
    programme_id: Mapped[str] = mapped_column(String(63))
    slot: Mapped[str] = mapped_column(String(200))
    worker: Mapped[str] = mapped_column(String(120))
    claimed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime | None]
