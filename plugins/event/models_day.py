"""The event plan type's tables for volunteers' wishes, money and the day (Alembic branch ``event``,
revisions ``event_0002``–``event_0005``).

* :class:`Preference` — a volunteer's ranked wish: a post (``kind="post"``, ``ref`` the post id) or a
  functional group / team (``kind="group"``, ``ref`` its code in ``rules.organisation``);
* :class:`Unavailability` — a span the volunteer is not free (a whole day, or a time window);
* :class:`BudgetLine` — one budget line: category, planned and actual amounts, currency (HQ records);
* :class:`Reallocation` — one volunteer moved from post A to post B for a window on the day, with
  the reason (crowd flow) and who moved them; ended early, it keeps the planned end, who ended it and why;
* :class:`Feedback` — one answer of the satisfaction survey (who answered is never shown);
* :class:`IncidentStep` — one step of an incident's emergency-plan checklist, copied from the plan when
  the incident was reported, and who ticked it off when.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.sdk.tables import Base, utcnow


class Preference(Base):
    __tablename__ = "event_preferences"
    __table_args__ = (UniqueConstraint("programme_id", "volunteer_id", "rank"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    rank: Mapped[int]
    kind: Mapped[str] = mapped_column(String(8))  # post | group
    ref: Mapped[str] = mapped_column(String(100))


class Unavailability(Base):
    __tablename__ = "event_unavailability"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    whole_day: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(String(200))


class BudgetLine(Base):
    __tablename__ = "event_budget_lines"
    __table_args__ = (UniqueConstraint("programme_id", "category", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    category: Mapped[str] = mapped_column(String(32))  # uniforms | meals | transport | insurance | training | …
    item: Mapped[str] = mapped_column(String(200), default="")
    currency: Mapped[str] = mapped_column(String(3))
    planned: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    actual: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Reallocation(Base):
    __tablename__ = "event_reallocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    from_post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    to_post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    reason: Mapped[str] = mapped_column(Text)
    moved_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Ended before its window (crowd back to normal): ends_at is when it ended, these keep the plan.
    planned_ends_at: Mapped[dt.datetime | None]
    ended_by: Mapped[str | None] = mapped_column(String(120))
    end_reason: Mapped[str | None] = mapped_column(Text)


class IncidentStep(Base):
    __tablename__ = "event_incident_steps"
    __table_args__ = (UniqueConstraint("incident_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    step: Mapped[int]
    plan: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(String(500))
    done_at: Mapped[dt.datetime | None]
    done_by: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)


class Feedback(Base):
    """满意度评价: one answer of the satisfaction survey (seed 000 篇3 满意度调查: exhibitors and visitors
    rate the volunteer service; volunteers rate their own experience, once each). ``volunteer_id`` is
    kept only to allow one answer per volunteer; readers never see who answered."""

    __tablename__ = "event_feedback"
    __table_args__ = (UniqueConstraint("programme_id", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    respondent: Mapped[str] = mapped_column(String(16))  # visitor | exhibitor | partner | volunteer
    rating: Mapped[int]
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"), index=True)
    comment: Mapped[str | None] = mapped_column(Text)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"))
    entered_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
