"""Request and response models of the rewards routes.

Why constrained fields: a bad request must be a 422 that names the field before anything is
written (amounts above zero, codes in a safe alphabet, bounded text).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from engine.inputs import Amount, Count, Day, Id, Int, Patch

CODE = r"^[A-Za-z0-9_.\-]+$"
UNIT = r"^[a-z][a-z0-9_]*$"


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class LedgerEntryOut(_Out):
    id: int
    volunteer_id: int
    unit: str
    amount: Decimal
    kind: str
    reason: str
    record_id: int | None
    reverses_id: int | None
    ref: str | None
    data: dict[str, Any]
    created_by: str
    created_at: dt.datetime


class ManualEntryIn(BaseModel):
    """A one-off credit by staff (e.g. 老带新 pairing bonus); corrections go through reversal."""

    volunteer_id: Id
    unit: str = Field(default="points", max_length=32, pattern=UNIT)
    amount: Amount
    kind: str = Field(default="bonus", max_length=32, pattern=UNIT)
    reason: str = Field(min_length=1, max_length=2000)
    ref: str | None = Field(default=None, max_length=200)


class ReverseIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000, description="为何冲正 / why the entry is reversed")


class ResetIn(BaseModel):
    """Yearly reset of a spendable unit (积分年度清零); lifetime units are simply never reset."""

    unit: str = Field(default="points", max_length=32, pattern=UNIT)
    period: str = Field(min_length=1, max_length=40, pattern=CODE, description="e.g. 2026: one reset per period")


class ResetOut(BaseModel):
    unit: str
    period: str
    volunteers: int


class BalanceOut(_Out):
    volunteer_id: int
    unit: str
    amount: Decimal


class CatalogueIn(BaseModel):
    code: str = Field(min_length=1, max_length=63, pattern=CODE)
    title: str = Field(min_length=1, max_length=200)
    unit: str = Field(default="points", max_length=32, pattern=UNIT)
    cost: Amount
    stock: Count | None = Field(default=None, description="null: unlimited")
    flags: list[Annotated[str, Field(max_length=63)]] = Field(default_factory=list, max_length=20)
    active: bool = True


class CataloguePatch(Patch):
    not_null = frozenset({"title", "cost", "flags", "active"})

    title: str | None = Field(default=None, min_length=1, max_length=200)
    cost: Amount | None = None
    stock: Count | None = None
    unlimited: bool = Field(default=False, description="true: set stock to unlimited")
    flags: list[Annotated[str, Field(max_length=63)]] | None = Field(default=None, max_length=20)
    active: bool | None = None


class CatalogueOut(_Out):
    id: int
    code: str
    title: str
    unit: str
    cost: Decimal
    stock: int | None
    flags: list[Any]
    active: bool


class RedeemIn(BaseModel):
    item_id: Id
    volunteer_id: Id | None = Field(default=None, description="staff only; a volunteer redeems for themselves")


class RedemptionOut(BaseModel):
    id: int
    volunteer_id: int
    item_id: int
    item_code: str
    item_title: str
    unit: str
    cost: Decimal
    debit_id: int
    created_at: dt.datetime
    instance_id: int | None
    state: str | None
    version: int | None


class FireIn(BaseModel):
    trigger: str = Field(min_length=1, max_length=63)
    expected_version: Int | None = None
    payload: dict[str, Any] = Field(default_factory=dict)


class HonourIn(BaseModel):
    volunteer_id: Id
    title: str = Field(min_length=1, max_length=200, description="e.g. 优秀志愿者")
    level: str | None = Field(default=None, max_length=63, description="class | school | community | city …")
    awarded_on: Day | None = None
    evidence: dict[str, Any] = Field(default_factory=dict,
                                     description="e.g. {hours, record_ids: [...], nomination: '...'}")
    note: str | None = Field(default=None, max_length=4000)


class HonourOut(_Out):
    id: int
    volunteer_id: int
    title: str
    level: str | None
    awarded_on: dt.date
    evidence: dict[str, Any]
    note: str | None
    awarded_by: str


class LevelOut(BaseModel):
    volunteer_id: int
    hours: float
    level_hours: float
    level: str | None
    next_level: str | None = Field(description="None only at the top of a scheme without repeats")
    hours_to_next: float = Field(description="0 at the top of a scheme without repeats")
    top: bool = False


class LevelCount(BaseModel):
    level: str | None
    min_hours: float | None
    volunteers: int
