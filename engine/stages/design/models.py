"""设计项目 Project design: projects, posts (岗位) with requirements, shifts, budget lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.base import Base, utcnow


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="daily")  # daily | periodic | emergency (001 §2(三))
    place: Mapped[str | None] = mapped_column(String(200))
    node: Mapped[str | None] = mapped_column(String(100))
    start_date: Mapped[dt.date | None]
    end_date: Mapped[dt.date | None]
    created_by: Mapped[str] = mapped_column(String(120), default="system")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Post(Base):
    """岗位: duties, capacity and what a volunteer must bring to take it."""

    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    duties: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)  # other requirements as free text (appearance, fitness …)
    capacity: Mapped[int] = mapped_column(default=1)
    category: Mapped[str] = mapped_column(String(63), default="routine")  # service category, plan-defined
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    skills: Mapped[list[Any]] = mapped_column(default=list)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    qualifications: Mapped[list[Any]] = mapped_column(default=list)
    required_courses: Mapped[list[Any]] = mapped_column(default=list)  # course codes


class Shift(Base):
    """A time slot of a post. Cancelled shifts stay (``cancelled_at`` set) so that the history holds;
    only a shift nobody is rostered on may be cancelled."""

    __tablename__ = "shifts"
    __table_args__ = (Index("ix_shifts_programme_starts", "programme_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    place: Mapped[str | None] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(default=1)
    checkin_code: Mapped[str] = mapped_column(String(32), unique=True)  # what a QR code at the post carries
    series: Mapped[str | None] = mapped_column(String(63), index=True)  # made from one recurring template
    cancelled_at: Mapped[dt.datetime | None]
    cancelled_by: Mapped[str | None] = mapped_column(String(120))
    cancel_reason: Mapped[str | None] = mapped_column(Text)


class BudgetLine(Base):
    """One planned income or expense; ``actual`` is recorded when the money has moved."""

    __tablename__ = "budget_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # income | expense
    item: Mapped[str] = mapped_column(String(200))
    planned: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    actual: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120), default="system")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actual_recorded_by: Mapped[str | None] = mapped_column(String(120))
    actual_recorded_at: Mapped[dt.datetime | None]
