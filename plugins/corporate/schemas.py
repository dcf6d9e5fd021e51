"""Request bodies of the corporate routes (bounded like the engine's: ``engine.inputs``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.inputs import Amount, Day, Id, Money

Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{0,62}$", max_length=63)]
Year = Annotated[int, Field(ge=2000, le=2199)]
Hours = Annotated[Decimal, Field(gt=0, le=1000, max_digits=8, decimal_places=2, allow_inf_nan=False)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EmployeeIn(_In):
    hr_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=100)
    id_number: str = Field(min_length=15, max_length=18)
    phone: str | None = Field(default=None, max_length=20)
    username: str | None = Field(default=None, max_length=120)
    department: Key
    employment_type: str = Field(default="full_time", min_length=1, max_length=40)
    hired_on: Day
    left_on: Day | None = None
    manager: str | None = Field(default=None, max_length=120)
    flags: list[Key] = Field(default_factory=list, max_length=20)
    skills: list[Key] = Field(default_factory=list, max_length=50)
    available_hours_month: Annotated[Decimal, Field(ge=0, le=200, max_digits=6, decimal_places=2)] = Decimal(8)


class FlagsIn(_In):
    flags: list[Key] = Field(max_length=20)


class ConsentIn(_In):
    fields: list[Key] = Field(max_length=10)


class VtoIn(_In):
    employee_id: Id | None = None
    service_on: Day
    hours: Hours
    proposal_id: Id | None = None


class DecisionIn(_In):
    approve: bool
    comment: str | None = Field(default=None, max_length=1000)


class BudgetLineIn(_In):
    item: str = Field(min_length=1, max_length=200)
    planned: Money
    note: str | None = Field(default=None, max_length=1000)


class ProposalIn(_In):
    kind: Literal["plan", "project"]
    year: Year
    title: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    plan_id: Id | None = None
    partner: Key | None = None
    department: Key | None = None
    skills: list[Key] = Field(default_factory=list, max_length=20)
    slots: Annotated[int, Field(ge=0, le=10_000)] = 0
    hours_per_person: Annotated[Decimal, Field(ge=0, le=1000, max_digits=8, decimal_places=2)] = Decimal(0)
    starts_on: Day | None = None
    ends_on: Day | None = None
    beneficiaries_planned: Annotated[int, Field(ge=0, le=100_000_000)] = 0
    amount_requested: Money = Decimal(0)
    budget: list[BudgetLineIn] = Field(default_factory=list, max_length=200)


class VoteIn(_In):
    vote: Literal["approve", "reject", "abstain"]
    amount: Money | None = None
    comment: str | None = Field(default=None, max_length=2000)


class ActualIn(_In):
    actual: Money
    note: str | None = Field(default=None, max_length=1000)


class SignupIn(_In):
    employee_id: Id | None = None


class TeamSignupIn(_In):
    department: Key
    employee_ids: list[Id] = Field(min_length=1, max_length=500)


class ServiceIn(_In):
    employee_id: Id
    served_on: Day
    start: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", max_length=5)] = "09:00"
    hours: Hours
    proposal_id: Id | None = None
    partner: Key | None = None
    skills_used: list[Key] = Field(default_factory=list, max_length=20)
    team: Key | None = None


class ClaimIn(_In):
    employee_id: Id | None = None
    partner: Key
    service_ids: list[Id] | None = Field(default=None, max_length=1000)


class TeamClaimIn(_In):
    proposal_id: Id
    department: Key
    served_on: Day


class ClaimAnswerIn(_In):
    status: Literal["confirmed", "declined", "paid"]
    note: str | None = Field(default=None, max_length=1000)


class OutcomeIn(_In):
    completed: bool
    completed_on: Day | None = None
    beneficiaries: Annotated[int, Field(ge=0, le=100_000_000)] = 0
    satisfaction: Annotated[Decimal, Field(ge=1, le=5, max_digits=4, decimal_places=2)] | None = None
    responses: Annotated[int, Field(ge=0, le=100_000_000)] = 0
    media_mentions: Annotated[int, Field(ge=0, le=100_000)] = 0
    people_trained: Annotated[int, Field(ge=0, le=100_000_000)] = 0
    skills_transferred: list[Key] = Field(default_factory=list, max_length=20)


__all__ = ["ActualIn", "Amount", "BudgetLineIn", "ClaimAnswerIn", "ClaimIn", "ConsentIn", "DecisionIn", "EmployeeIn",
           "FlagsIn", "OutcomeIn", "ProposalIn", "ServiceIn", "SignupIn", "TeamClaimIn", "TeamSignupIn", "VoteIn",
           "VtoIn"]
