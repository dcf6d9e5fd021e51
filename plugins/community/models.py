"""The community plan type's own tables, on the engine's ``Base`` (revisions in ``migrations/``).

Points themselves live in the engine's ledger (``ledger_entries``/``balances``): these tables hold
what the engine has no place for — the station network, mentoring pairs, the yearly-reset marker,
appeals, dismissals with their evidence, star nominations, and the time bank's double-entry journal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.sdk.tables import Base, utcnow

Money = Numeric(14, 2)


class CommunityNode(Base):
    """A node of the station network (seed 001 §2(一)): station → grid → building group.

    ``grid_code`` is the grid a node rolls up to (itself for a grid, its parent for a building,
    ``None`` for the station) so that hours by grid are one ``GROUP BY``.
    """

    __tablename__ = "community_nodes"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    code: Mapped[str] = mapped_column(String(63))
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))  # station | grid | building
    parent_code: Mapped[str | None] = mapped_column(String(63))
    grid_code: Mapped[str | None] = mapped_column(String(63))
    households: Mapped[int | None]
    leader: Mapped[str | None] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)


class Mentorship(Base):
    """老带新 pairing (seed 001 §2(一)). ``status``: open | succeeded | ended. One per mentee."""

    __tablename__ = "community_mentorships"
    __table_args__ = (UniqueConstraint("programme_id", "mentee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[dt.datetime | None]
    bonus_entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    created_by: Mapped[str] = mapped_column(String(120))


class PointsReset(Base):
    """The marker of a yearly reset that ran: at most one per programme and year (unique)."""

    __tablename__ = "community_points_resets"
    __table_args__ = (UniqueConstraint("programme_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    year: Mapped[int]
    reset_at: Mapped[dt.datetime]  # the instant the community year began
    volunteers: Mapped[int] = mapped_column(default=0)
    total: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    run_by: Mapped[str] = mapped_column(String(120))
    run_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Appeal(Base):
    """A volunteer disputes a ledger entry (seed 001 §1(三)); state in the ``appeal`` workflow."""

    __tablename__ = "community_appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    claimed_amount: Mapped[Decimal | None] = mapped_column(Money)
    period: Mapped[str] = mapped_column(String(8), index=True)  # 2026Q1 …
    review_by: Mapped[dt.date]
    decision: Mapped[str | None] = mapped_column(String(16))  # upheld | corrected | withdrawn
    decision_note: Mapped[str | None] = mapped_column(Text)
    corrected_amount: Mapped[Decimal | None] = mapped_column(Money)
    correction_entries: Mapped[list[Any]] = mapped_column(default=list)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[dt.datetime | None]
    filed_by: Mapped[str] = mapped_column(String(120))
    filed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Dismissal(Base):
    """劝退 (seed 003 附件4 第五条): a ground, evidence, a decision; state in ``dismissal``."""

    __tablename__ = "community_dismissals"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    ground: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(String(16))  # dismissed | cleared
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[dt.datetime | None]
    reported_to: Mapped[str | None] = mapped_column(String(200))  # 报上级志愿服务组织备案
    proposed_by: Mapped[str] = mapped_column(String(120))
    proposed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DismissalEvidence(Base):
    """Append-only evidence for a dismissal case."""

    __tablename__ = "community_dismissal_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    dismissal_id: Mapped[int] = mapped_column(ForeignKey("community_dismissals.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # refusal | document | testimony | record | other
    description: Mapped[str] = mapped_column(Text)
    ref: Mapped[str | None] = mapped_column(String(200))
    added_by: Mapped[str] = mapped_column(String(120))
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class StarNomination(Base):
    """Legacy: nominations (推荐) recorded before stars moved onto the engine's ``rules.levels``.

    Read by nothing since; migration ``c0002`` copied the national scheme's rows to the engine's
    ``level_nominations`` (``ctx.nominate_level``). Kept for programmes whose own star names the
    database does not hold (see the migration)."""

    __tablename__ = "community_star_nominations"
    __table_args__ = (UniqueConstraint("programme_id", "volunteer_id", "stars"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    stars: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    nominated_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TimeBankTransfer(Base):
    """One time-bank movement (seed 001 §3(一)); its legs sum to zero.

    ``kind``: person (volunteer → volunteer), inbound (a partner's points arrive), outbound (a
    volunteer's points leave for a partner). Inbound transfers keep their provenance and are unique
    per (programme, partner, source_ref): the same points never arrive twice.
    """

    __tablename__ = "community_tb_transfers"
    __table_args__ = (UniqueConstraint("programme_id", "partner_code", "source_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money)  # in this community's points
    partner_code: Mapped[str | None] = mapped_column(String(63))
    original_amount: Mapped[Decimal | None] = mapped_column(Money)  # in the partner's points
    rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    source_ref: Mapped[str | None] = mapped_column(String(200))
    origin: Mapped[str | None] = mapped_column(String(63))  # the community where the points were earned
    earned_on: Mapped[dt.date | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TimeBankLeg(Base):
    """One side of a transfer: ``account`` is ``volunteer:<id>`` or ``partner:<code>``."""

    __tablename__ = "community_tb_legs"
    __table_args__ = (Index("ix_community_tb_legs_programme_account", "programme_id", "account"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("community_tb_transfers.id"), index=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"))
    account: Mapped[str] = mapped_column(String(80))
    amount: Mapped[Decimal] = mapped_column(Money)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
