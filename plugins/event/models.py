"""The event plan type's own tables (Alembic branch ``event``, ``migrations/``).

* :class:`Permit` — the 大型群众性活动安全许可 as filed, accepted and decided (条例第十三、十四条);
* :class:`Candidate` — one person in the recruitment funnel, directed (a unit registered them) or
  open, with the stage reached (applied → screened → interviewed → offered → agreed; or rejected,
  waitlisted);
* :class:`InterviewScore` — one interviewer's score of one candidate (several per candidate);
* :class:`EquipmentIssue` — one item handed to a volunteer and, later, returned.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.sdk.tables import Base, utcnow


class Permit(Base):
    __tablename__ = "event_permits"
    __table_args__ = (UniqueConstraint("programme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    authority: Mapped[str] = mapped_column(String(200))
    filed_on: Mapped[dt.date | None]
    accepted_on: Mapped[dt.date | None]
    decided_on: Mapped[dt.date | None]
    decision: Mapped[str | None] = mapped_column(String(16))  # granted | refused
    number: Mapped[str | None] = mapped_column(String(100))
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Candidate(Base):
    __tablename__ = "event_candidates"
    __table_args__ = (UniqueConstraint("programme_id", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    unit_code: Mapped[str | None] = mapped_column(String(63), index=True)
    stage: Mapped[str] = mapped_column(String(16), default="applied")
    available_days: Mapped[int] = mapped_column(default=0)
    resident_months: Mapped[int | None]
    local_household: Mapped[bool] = mapped_column(default=False)
    waitlist_rank: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)
    registered_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class InterviewScore(Base):
    __tablename__ = "event_interview_scores"
    __table_args__ = (UniqueConstraint("candidate_id", "interviewer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("event_candidates.id"), index=True)
    interviewer: Mapped[str] = mapped_column(String(120))
    score: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class EquipmentIssue(Base):
    __tablename__ = "event_equipment"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    item: Mapped[str] = mapped_column(String(63))  # uniform | badge | radio | …
    code: Mapped[str | None] = mapped_column(String(100))
    issued_by: Mapped[str] = mapped_column(String(120))
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    returned_at: Mapped[dt.datetime | None]
    returned_to: Mapped[str | None] = mapped_column(String(120))
