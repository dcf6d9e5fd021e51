"""The corporate plan type's tables (``cp_*``), on the engine's ``Base``.

Employees are registry volunteers (``volunteers``) with an HR side here; service is the engine's
service record (``service_records``, so the programme's hours policy credits it) linked here to
the project and partner it was for. A proposal's state (yearly plan or project, 委员会审批) lives in
its ``proposal`` workflow instance.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.sdk.tables import Base, utcnow

MONEY = Numeric(14, 2)


class Employee(Base):
    __tablename__ = "cp_employees"
    __table_args__ = (UniqueConstraint("programme_id", "hr_id"), UniqueConstraint("programme_id", "volunteer_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hr_id: Mapped[str] = mapped_column(String(64))
    department: Mapped[str] = mapped_column(String(63))
    employment_type: Mapped[str] = mapped_column(String(40))
    hired_on: Mapped[dt.date]
    left_on: Mapped[dt.date | None]
    manager: Mapped[str | None] = mapped_column(String(120))  # the manager's username (approves VTO)
    flags: Mapped[list[Any]] = mapped_column(default=list)  # performance_plan, notice_period …
    skills: Mapped[list[Any]] = mapped_column(default=list)
    available_hours_month: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(8))
    share_with_hr: Mapped[list[Any]] = mapped_column(default=list)  # the fields the employee agreed to share
    consent_on: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class VtoRequest(Base):
    __tablename__ = "cp_vto_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("cp_employees.id"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("cp_proposals.id"))
    service_on: Mapped[dt.date]
    period: Mapped[str] = mapped_column(String(7))
    hours_requested: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    hours_approved: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | approved | refused | cancelled
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[dt.datetime | None]
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Proposal(Base):
    """A yearly plan (kind ``plan``) or a project under it (kind ``project``) for the committee."""

    __tablename__ = "cp_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    year: Mapped[int]
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("cp_proposals.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    partner: Mapped[str | None] = mapped_column(String(63))
    department: Mapped[str | None] = mapped_column(String(63))
    skills: Mapped[list[Any]] = mapped_column(default=list)
    slots: Mapped[int] = mapped_column(default=0)
    hours_per_person: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=Decimal(0))
    starts_on: Mapped[dt.date | None]
    ends_on: Mapped[dt.date | None]
    beneficiaries_planned: Mapped[int] = mapped_column(default=0)
    amount_requested: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    amount_approved: Mapped[Decimal | None] = mapped_column(MONEY)
    decision_comment: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Vote(Base):
    __tablename__ = "cp_votes"
    __table_args__ = (UniqueConstraint("proposal_id", "voter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("cp_proposals.id"), index=True)
    voter: Mapped[str] = mapped_column(String(120))
    vote: Mapped[str] = mapped_column(String(10))  # approve | reject | abstain
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class BudgetLine(Base):
    __tablename__ = "cp_budget_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("cp_proposals.id"), index=True)
    item: Mapped[str] = mapped_column(String(200))
    planned: Mapped[Decimal] = mapped_column(MONEY)
    actual: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    note: Mapped[str | None] = mapped_column(Text)


class Signup(Base):
    __tablename__ = "cp_signups"
    __table_args__ = (UniqueConstraint("proposal_id", "employee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("cp_proposals.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("cp_employees.id"), index=True)
    team: Mapped[str | None] = mapped_column(String(63))  # the department, for a team sign-up
    status: Mapped[str] = mapped_column(String(12), default="signed_up")
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Service(Base):
    """A service record of an employee, with the project and partner it was for."""

    __tablename__ = "cp_services"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("service_records.id"), unique=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("cp_employees.id"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("cp_proposals.id"))
    partner: Mapped[str] = mapped_column(String(63))
    served_on: Mapped[dt.date]
    hours: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    team: Mapped[str | None] = mapped_column(String(63))
    skills_used: Mapped[list[Any]] = mapped_column(default=list)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("cp_grant_claims.id"))


class GrantClaim(Base):
    __tablename__ = "cp_grant_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("cp_employees.id"), index=True)
    team: Mapped[str | None] = mapped_column(String(63))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("cp_proposals.id"))
    partner: Mapped[str] = mapped_column(String(63))
    year: Mapped[int]
    claimed_on: Mapped[dt.date]
    raw_hours: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=Decimal(0))
    granted_hours: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=Decimal(0))
    amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3))
    # below_minimum | requested | confirmed | declined | paid
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[dt.datetime | None]
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Outcome(Base):
    """What a project achieved (成果评估): completion, beneficiaries, satisfaction, media, skills passed on."""

    __tablename__ = "cp_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("cp_proposals.id"), unique=True)
    completed: Mapped[bool] = mapped_column(default=False)
    completed_on: Mapped[dt.date | None]
    beneficiaries: Mapped[int] = mapped_column(default=0)
    satisfaction: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))  # average of 1–5
    responses: Mapped[int] = mapped_column(default=0)
    media_mentions: Mapped[int] = mapped_column(default=0)
    people_trained: Mapped[int] = mapped_column(default=0)
    skills_transferred: Mapped[list[Any]] = mapped_column(default=list)
    recorded_by: Mapped[str] = mapped_column(String(120))
