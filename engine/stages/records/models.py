"""做好记录、建立台账 Records: append-only service records and cached totals.

A record is never edited or deleted. A correction is a new record with ``reverses_id`` set and
the opposite minutes. ``verified_by``/``verified_at`` are written once, when a coordinator
verifies (a check-out creates an unverified record; an approved hour report, a coordinator's own
entry and a transferred-in record are verified when they are written).
志愿服务条例 第十九条: the organisation records each volunteer's service truthfully (如实记录).

Transferred-in records (异地转移和接续, seed 003) keep their provenance: ``source_org`` and
``source_ref`` (unique per programme, so the same record is never counted twice) and the
source's project name in ``source_project``.
Credited minutes: ``minutes`` is what the programme's hours policy credits (engine.rules.hours),
derived from the raw facts kept beside it (``started_at``, ``ended_at``, ``raw_minutes``). A rule
change applied later adds an adjusting entry (``adjusts_id``, the difference in minutes; it counts
no record) rather than editing the original.
Totals (:class:`VolunteerTotal`) are a cache maintained by increments; they can always be
rebuilt from the records (``engine.stages.records.service.rebuild_totals``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.base import Base, utcnow

CAPTURED = ("checkin", "self_reported", "coordinator", "transferred")


class ServiceRecord(Base):
    __tablename__ = "service_records"
    __table_args__ = (
        UniqueConstraint("programme_id", "source_org", "source_ref"),
        Index("ix_service_records_programme_volunteer", "programme_id", "volunteer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"))
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id"))
    started_at: Mapped[dt.datetime]
    ended_at: Mapped[dt.datetime]
    minutes: Mapped[int]  # credited minutes (engine.rules.hours); negative on a reversing entry
    raw_minutes: Mapped[int | None]  # served or entered minutes before the hours policy (NULL: as minutes)
    adjusts_id: Mapped[int | None] = mapped_column(ForeignKey("service_records.id"), index=True)  # rule change
    category: Mapped[str] = mapped_column(String(63))
    content: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[int | None]  # beneficiary's 1..5 stars
    captured: Mapped[str] = mapped_column(String(16))  # one of CAPTURED
    node: Mapped[str | None] = mapped_column(String(100))
    verified_by: Mapped[str | None] = mapped_column(String(120))
    verified_at: Mapped[dt.datetime | None]
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("service_records.id"), unique=True)
    source_org: Mapped[str | None] = mapped_column(String(200))  # transferred in: from where
    source_ref: Mapped[str | None] = mapped_column(String(200))  # … and its id there
    source_project: Mapped[str | None] = mapped_column(String(200))  # … and the project's name there
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class VolunteerTotal(Base):
    """Cached totals per volunteer and programme (verified records only)."""

    __tablename__ = "volunteer_totals"
    __table_args__ = (UniqueConstraint("programme_id", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    minutes: Mapped[int] = mapped_column(default=0)
    level_minutes: Mapped[int] = mapped_column(default=0)  # only the captured kinds that count for levels
    records: Mapped[int] = mapped_column(default=0)
    level: Mapped[str | None] = mapped_column(String(63))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

