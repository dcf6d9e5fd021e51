"""激励嘉许 Rewards: an append-only ledger in plugin-defined units, balances, catalogue, honours.

The ledger is the truth; :class:`Balance` is a cache updated in the same transaction with a
conditional ``UPDATE … SET amount = amount - :cost WHERE amount >= :cost`` so that two
redemptions racing for the last points cannot both win (on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.base import Base, utcnow


class LedgerEntry(Base):
    __tablename__ = "ledger_entries"
    __table_args__ = (Index("ix_ledger_programme_volunteer_unit", "programme_id", "volunteer_id", "unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    unit: Mapped[str] = mapped_column(String(32))  # points | lifetime_points | credits | allowance_hours …
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    kind: Mapped[str] = mapped_column(String(32))  # award | bonus | redemption | refund | reset | reversal | transfer …
    reason: Mapped[str] = mapped_column(Text)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("service_records.id"), index=True)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    ref: Mapped[str | None] = mapped_column(String(200), unique=True)  # idempotency key, e.g. "reset:2026"
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Balance(Base):
    """The cache of SUM(ledger amount) per (programme, volunteer, unit); the CHECK is the last line
    of defence should any code write it without the conditional UPDATE."""

    __tablename__ = "balances"
    __table_args__ = (UniqueConstraint("programme_id", "volunteer_id", "unit"),
                      CheckConstraint("amount >= 0", name="amount_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    unit: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))


class CatalogueItem(Base):
    __tablename__ = "catalogue_items"
    __table_args__ = (UniqueConstraint("programme_id", "code"),
                      CheckConstraint("stock IS NULL OR stock >= 0", name="stock_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    code: Mapped[str] = mapped_column(String(63))
    title: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(32), default="points")
    cost: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    stock: Mapped[int | None]  # None: unlimited
    flags: Mapped[list[Any]] = mapped_column(default=list)  # e.g. ["love_reward"] (爱心回馈, backbone only)
    active: Mapped[bool] = mapped_column(default=True)


class Redemption(Base):
    """A redemption; its state lives in the ``redemption`` workflow instance."""

    __tablename__ = "redemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("catalogue_items.id"))
    unit: Mapped[str] = mapped_column(String(32))
    cost: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    debit_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Honour(Base):
    """A title awarded to a volunteer (优秀志愿者 …) with the evidence behind it."""

    __tablename__ = "honours"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    level: Mapped[str | None] = mapped_column(String(63))  # class | school | community | city …
    awarded_on: Mapped[dt.date]
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    awarded_by: Mapped[str] = mapped_column(String(120))


class LedgerAppeal(Base):
    """A volunteer's appeal against one of their ledger entries (申诉), decided by a coordinator:
    ``open`` → ``upheld`` (the entry is reversed by a reversing entry) or ``dismissed`` (kept, with
    the reason). One appeal per entry."""

    __tablename__ = "ledger_appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | upheld | dismissed
    filed_by: Mapped[str] = mapped_column(String(120))
    filed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    decision_note: Mapped[str | None] = mapped_column(Text)
    reversal_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))


class LevelNomination(Base):
    """A recorded nomination (推荐) for a level that is granted only on nomination (rules.levels)."""

    __tablename__ = "level_nominations"
    __table_args__ = (UniqueConstraint("programme_id", "volunteer_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"))
    level: Mapped[str] = mapped_column(String(63))
    note: Mapped[str | None] = mapped_column(Text)
    nominated_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RuleChange(Base):
    """An applied rule change (``volunteer rules replay --apply``): who, why, and what it adjusted."""

    __tablename__ = "rule_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    config_hash: Mapped[str] = mapped_column(String(64))  # the changed programme file's hash
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TimeBankEntry(Base):
    """One movement of hours in a time-bank account (``v:<volunteer id>`` or ``pool:<name>``).

    The entries are the truth; a balance is their sum. A transfer is two entries with the same
    ``transfer`` key summing to zero. ``donate_only`` hours may leave an account only as a donation.
    """

    __tablename__ = "timebank_entries"
    __table_args__ = (Index("ix_timebank_programme_account", "programme_id", "account"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"))
    account: Mapped[str] = mapped_column(String(80))
    hours: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    donate_only: Mapped[bool] = mapped_column(default=False)
    kind: Mapped[str] = mapped_column(String(32))  # earn | transfer | donate | overflow | adjustment
    transfer: Mapped[str | None] = mapped_column(String(64))
    counterparty: Mapped[str | None] = mapped_column(String(120))
    flagged: Mapped[bool] = mapped_column(default=False)  # crossed the floor under on_floor: flag
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
