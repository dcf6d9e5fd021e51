"""开展服务 Service: rosters, check-in/out, off-schedule hour reports, incidents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.base import Base, utcnow


class Assignment(Base):
    """A volunteer rostered on a shift (轮班). ``status``: assigned | cancelled | no_show."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("shift_id", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="assigned")
    substitute_for_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"))
    assigned_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Checkin(Base):
    """签到签退. One row per assignment: a retried check-in finds it and never counts twice.

    A check-out forgotten past ``service.auto_close_after_minutes`` is closed at the shift's end
    with ``auto_closed`` set, and waits for a coordinator (``confirmed_by``) before it counts.
    """

    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), unique=True)
    checked_in_at: Mapped[dt.datetime]
    checked_out_at: Mapped[dt.datetime | None]
    method: Mapped[str] = mapped_column(String(16))  # coordinator | code
    checked_in_by: Mapped[str] = mapped_column(String(120))
    checked_out_by: Mapped[str | None] = mapped_column(String(120))  # "system" when auto-closed
    minutes: Mapped[int | None]  # whole minutes, floored: (checked_out_at - checked_in_at) // 60 s
    auto_closed: Mapped[bool] = mapped_column(default=False)
    confirmed_by: Mapped[str | None] = mapped_column(String(120))
    confirmed_at: Mapped[dt.datetime | None]
    record_id: Mapped[int | None] = mapped_column(ForeignKey("service_records.id"))


class HourReport(Base):
    """Hours a volunteer served off-schedule; they count only once approved."""

    __tablename__ = "hour_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"))
    started_at: Mapped[dt.datetime]
    ended_at: Mapped[dt.datetime]
    content: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | approved | rejected
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[dt.datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("service_records.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Incident(Base):
    """现场突发事件, with a level on the programme's escalation path (``service.incident_levels``)."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id"))
    category: Mapped[str] = mapped_column(String(63))  # medical | lost_person | fire | weather | dispute | other
    description: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(63))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | resolved
    reported_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[dt.datetime | None]
    # --- added for event (incidents): three separate fields and the escalation timer ---
    gov_grade: Mapped[str | None] = mapped_column(String(16))        # 突发事件应对法 第三条: 特别重大/重大/较大/一般
    warning_colour: Mapped[str | None] = mapped_column(String(16))   # 第六十三条: red/orange/yellow/blue
    acknowledged_at: Mapped[dt.datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(120))
    level_since: Mapped[dt.datetime | None]                          # when the current level was reached


class IncidentEvent(Base):
    """Append-only history of an incident: reported, escalated (from → to level), resolved."""

    __tablename__ = "incident_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    from_level: Mapped[str | None] = mapped_column(String(63))
    to_level: Mapped[str | None] = mapped_column(String(63))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class SwapRequest(Base):
    """换班申请: a volunteer asks a colleague to swap seats (``assignment_id`` ↔ ``other_assignment_id``);
    its state lives in the ``swap`` workflow instance (proposed → accepted → approved, or declined,
    refused, withdrawn). Applied on approval, both seats in one transaction (``swapped_to`` / ``…_other``)."""

    __tablename__ = "swap_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    other_assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    proposer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    counterparty_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    proposed_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    swapped_to: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"))
    swapped_to_other: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"))
