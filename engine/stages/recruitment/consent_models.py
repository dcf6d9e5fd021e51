"""Tables of guardian consent (issue 13): who is whose guardian, consent decisions, presence.

* :class:`GuardianLink` — a guardian's login linked to one or more students (registry people, not
  per programme: a parent stays the parent in next year's programme).
* :class:`ConsentEvent` — append-only: every request, decision and withdrawal, by whom and how
  (the guardian's own account, or a paper form with who recorded it). The latest event of a
  (programme, volunteer) is the consent's state.
* :class:`GuardianPresence` — where a region lets a guardian's presence (陪同) stand in for consent,
  the shift records who accompanied.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.base import Base, utcnow

STATES = ("requested", "given", "refused", "withdrawn")
VIA = ("account", "paper")


class GuardianLink(Base):
    __tablename__ = "guardian_links"
    __table_args__ = (UniqueConstraint("volunteer_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    relationship: Mapped[str] = mapped_column(String(30))
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ConsentEvent(Base):
    __tablename__ = "guardian_consents"
    __table_args__ = (Index("ix_guardian_consents_programme_volunteer", "programme_id", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"))
    status: Mapped[str] = mapped_column(String(12))  # one of STATES
    via: Mapped[str | None] = mapped_column(String(10))  # one of VIA, for decisions
    guardian_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    guardian_name: Mapped[str | None] = mapped_column(String(100))
    recorded_by: Mapped[str] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class GuardianPresence(Base):
    __tablename__ = "guardian_presence"
    __table_args__ = (UniqueConstraint("shift_id", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"))
    guardian_name: Mapped[str] = mapped_column(String(100))
    recorded_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
