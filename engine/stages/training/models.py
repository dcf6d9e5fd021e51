"""组织培训 Training: courses with tier and hours, sessions, attendance, completions that may expire."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.base import Base, utcnow


class Course(Base):
    __tablename__ = "courses"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    code: Mapped[str] = mapped_column(String(63))
    title: Mapped[str] = mapped_column(String(200))
    tier: Mapped[str | None] = mapped_column(String(63))  # junior | intermediate | senior (001 §2(二))
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    valid_days: Mapped[int | None]  # e.g. first aid: 730 days


class TrainingSession(Base):
    __tablename__ = "training_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    place: Mapped[str | None] = mapped_column(String(200))
    trainer: Mapped[str | None] = mapped_column(String(100))
    # 学时 credited to each volunteer present. Stored (default: the session's length) because a
    # class hour need not be a clock hour, and so that yearly totals are one SUM on any database.
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))


class Attendance(Base):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("session_id", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    present: Mapped[bool] = mapped_column(default=True)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Completion(Base):
    """A course completed on a day; renewals add rows, the newest unexpired one counts."""

    __tablename__ = "course_completions"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    completed_on: Mapped[dt.date]
    # completed_on + course.valid_days: the first day the completion no longer counts (exclusive),
    # so a course valid for 730 days counts on exactly 730 days. None: never expires.
    expires_on: Mapped[dt.date | None]
    source: Mapped[str] = mapped_column(String(20), default="recorded")  # recorded | attendance
    recorded_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
