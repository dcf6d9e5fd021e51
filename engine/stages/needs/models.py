"""采集需求 Needs: what beneficiaries need, scored by frequency, urgency and reach (seed 000 篇1)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.base import Base, utcnow


class Need(Base):
    __tablename__ = "needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    beneficiary_group: Mapped[str] = mapped_column(String(100))  # 空巢老人, 留守儿童 …
    category: Mapped[str] = mapped_column(String(100))
    place: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(20))  # survey | home_visit | forum | data | expert
    frequency: Mapped[int]  # 1..5  高频次
    urgency: Mapped[int]  # 1..5  紧急性
    people_affected: Mapped[int]  # 普遍性
    node: Mapped[str | None] = mapped_column(String(100), index=True)  # station network node, if any
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ProjectNeed(Base):
    """A project answers a need."""

    __tablename__ = "project_needs"
    __table_args__ = (UniqueConstraint("project_id", "need_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id"), index=True)
