"""Request and response bodies of the design stage (projects, posts, shifts, budget lines).

Rules a single field can check live here, so a bad value is a 422 naming that field; rules that
need the store or the programme (its period and time zone) live in the service.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from engine.inputs import Day, Id, Moment, Money

Kind = Literal["daily", "periodic", "emergency"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
BudgetKind = Literal["income", "expense"]

#: Service project kinds (seed 001 §2(三)).
KIND_TITLES: dict[str, str] = {
    "daily": "日常服务 Daily service",
    "periodic": "定期服务 Periodic (e.g. monthly) service",
    "emergency": "应急服务 Emergency service",
}

Label = Annotated[str, Field(min_length=1, max_length=100)]
Age = Annotated[int, Field(ge=0, le=120)]
CATEGORY = r"^[a-z][a-z0-9_]{0,62}$"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _ordered(value: object, info: ValidationInfo, first: str, label: str) -> object:
    other = info.data.get(first)
    if value is not None and other is not None and value < other:  # type: ignore[operator]
        raise ValueError(f"{label}: {info.field_name} ({value}) 不能早于/小于 {first} ({other}) / "
                         f"{info.field_name} must not be before/below {first}")
    return value


# ------------------------------------------------------------------ projects


class ProjectIn(_Body):
    """A service project answering one or more needs."""

    name: str = Field(min_length=1, max_length=200, description="项目名称 name")
    description: str | None = Field(default=None, max_length=10_000)
    kind: Kind = Field(default="daily", description="; ".join(f"{k} {v}" for k, v in KIND_TITLES.items()))
    place: str | None = Field(default=None, max_length=200)
    node: str | None = Field(default=None, max_length=100, description="站点网络节点 station-network node")
    start_date: Day | None = None
    end_date: Day | None = None
    need_ids: list[Id] = Field(default_factory=list, description="the needs this project answers")

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        return _ordered(value, info, "start_date", "项目日期 project dates")  # type: ignore[return-value]


class ProjectPatch(_Body):
    """Changes to a project; omitted fields are kept, ``null`` clears an optional one."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=10_000)
    kind: Kind | None = None
    place: str | None = Field(default=None, max_length=200)
    node: str | None = Field(default=None, max_length=100)
    start_date: Day | None = None
    end_date: Day | None = None


class NeedRef(BaseModel):
    id: int
    title: str


class ProjectOut(BaseModel):
    id: int
    name: str
    description: str | None
    kind: str
    kind_title: str
    place: str | None
    node: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    created_by: str
    created_at: dt.datetime
    needs: list[NeedRef]
    posts: int = Field(description="number of posts")


# ------------------------------------------------------------------ posts


class PostIn(_Body):
    """岗位: duties, how many people, the service category and what a volunteer must bring."""

    name: str = Field(min_length=1, max_length=200)
    duties: str | None = Field(default=None, max_length=10_000, description="岗位职责 duties")
    notes: str | None = Field(default=None, max_length=2000,
                              description="其他要求 other requirements as free text, e.g. 形象气质佳、能久站 / neat "
                                          "appearance, able to stand for hours (shown to applicants, not checked)")
    capacity: int = Field(default=1, ge=1, le=100_000, description="how many volunteers the post needs (≥ 1)")
    category: str = Field(default="routine", pattern=CATEGORY, max_length=63,
                          description="服务类别 service category that plan types use for points, e.g. routine, "
                                      "professional, high_risk")
    skills: list[Label] = Field(default_factory=list, description="技能 required skills")
    languages: list[Label] = Field(default_factory=list, description="语言 required languages")
    qualifications: list[Label] = Field(default_factory=list, description="资质 required qualifications")
    min_age: Age | None = Field(default=None, description="最低年龄 minimum age")
    max_age: Age | None = Field(default=None, description="最高年龄 maximum age (≥ min_age)")
    required_courses: list[Label] = Field(default_factory=list,
                                          description="须完成的培训课程代码 course codes (may name courses not yet set up: "
                                                      "the response warns)")

    @field_validator("max_age")
    @classmethod
    def _max_not_below_min(cls, value: int | None, info: ValidationInfo) -> int | None:
        return _ordered(value, info, "min_age", "年龄范围 age range")  # type: ignore[return-value]


class PostPatch(_Body):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    duties: str | None = Field(default=None, max_length=10_000)
    notes: str | None = Field(default=None, max_length=2000)
    capacity: int | None = Field(default=None, ge=1, le=100_000)
    category: str | None = Field(default=None, pattern=CATEGORY, max_length=63)
    skills: list[Label] | None = None
    languages: list[Label] | None = None
    qualifications: list[Label] | None = None
    min_age: Age | None = None
    max_age: Age | None = None
    required_courses: list[Label] | None = None

    @field_validator("max_age")
    @classmethod
    def _max_not_below_min(cls, value: int | None, info: ValidationInfo) -> int | None:
        return _ordered(value, info, "min_age", "年龄范围 age range")  # type: ignore[return-value]


class PostOut(BaseModel):
    id: int
    project_id: int
    name: str
    duties: str | None
    notes: str | None = None
    capacity: int
    category: str
    skills: list[str]
    languages: list[str]
    qualifications: list[str]
    min_age: int | None
    max_age: int | None
    required_courses: list[str]
    warnings: list[str] = Field(description="e.g. required courses not set up in the programme yet")


# ------------------------------------------------------------------ shifts


class ShiftIn(_Body):
    """One shift. Times without an offset are read in the programme's time zone."""

    starts_at: Moment
    ends_at: Moment
    place: str | None = Field(default=None, max_length=200, description="defaults to the project's place")
    capacity: int | None = Field(default=None, ge=1, le=100_000, description="defaults to the post's capacity")


class RecurringShiftsIn(_Body):
    """A weekly template, e.g. every Tuesday 16:30–18:00 from 2026-09-01 to 2027-01-15 except holidays.

    Times are local to the programme's time zone; each occurrence is stored in UTC.
    """

    weekdays: list[Weekday] = Field(min_length=1, max_length=7, description="mon tue wed thu fri sat sun")
    start_time: dt.time = Field(description="local start, e.g. 16:30")
    end_time: dt.time = Field(description="local end, the same day, after start_time")
    start_date: Day = Field(description="first day of the series (inclusive)")
    end_date: Day = Field(description="last day of the series (inclusive)")
    skip_dates: list[Day] = Field(default_factory=list, max_length=366, description="节假日 holidays to leave out")
    place: str | None = Field(default=None, max_length=200)
    capacity: int | None = Field(default=None, ge=1, le=100_000)

    @field_validator("end_time")
    @classmethod
    def _end_after_start_time(cls, value: dt.time, info: ValidationInfo) -> dt.time:
        start = info.data.get("start_time")
        if start is not None and value <= start:
            raise ValueError(f"结束时间 {value} 须晚于开始时间 {start}（不支持跨夜）/ end_time must be after start_time "
                             "on the same day (overnight shifts: create them one by one)")
        return value

    @field_validator("end_date")
    @classmethod
    def _end_after_start_date(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        return _ordered(value, info, "start_date", "日期范围 date range")  # type: ignore[return-value]


class ShiftCancelIn(_Body):
    reason: str | None = Field(default=None, max_length=2000)


class ShiftOut(BaseModel):
    id: int
    post_id: int
    project_id: int
    starts_at: dt.datetime = Field(description="UTC")
    ends_at: dt.datetime = Field(description="UTC")
    starts_local: dt.datetime = Field(description="in the programme's time zone")
    ends_local: dt.datetime
    place: str | None
    capacity: int
    assigned: int = Field(description="volunteers rostered (assignments not cancelled)")
    series: str | None
    cancelled_at: dt.datetime | None
    cancel_reason: str | None
    checkin_code: str | None = Field(description="shown to admin, coordinator and team_leader only: volunteers "
                                                 "scan it from the QR code at the post")


class SeriesOut(BaseModel):
    series: str
    count: int
    skipped: list[dt.date] = Field(description="dates that matched the weekdays but were holidays")
    shifts: list[ShiftOut]


# ------------------------------------------------------------------ budget


class BudgetLineIn(_Body):
    kind: BudgetKind = Field(description="income 收入 | expense 支出")
    item: str = Field(min_length=1, max_length=200, description="科目 item, e.g. 志愿者保险 insurance")
    planned: Money = Field(description="预算金额 planned amount, yuan")
    project_id: Id | None = Field(default=None, description="the project, or none for the programme as a whole")
    note: str | None = Field(default=None, max_length=2000)


class ActualIn(_Body):
    actual: Money = Field(description="实际金额 actual amount, yuan")
    note: str | None = Field(default=None, max_length=2000)


class BudgetLineOut(BaseModel):
    id: int
    project_id: int | None
    kind: str
    item: str
    planned: Decimal
    actual: Decimal | None
    note: str | None
    created_by: str
    actual_recorded_by: str | None
    actual_recorded_at: dt.datetime | None


class BudgetTotal(BaseModel):
    """Planned and actual income and expense; balance = income − expense."""

    project_id: int | None
    project_name: str | None
    lines: int
    lines_without_actual: int
    income_planned: Decimal
    income_actual: Decimal
    expense_planned: Decimal
    expense_actual: Decimal
    balance_planned: Decimal
    balance_actual: Decimal


class BudgetTotalsOut(BaseModel):
    projects: list[BudgetTotal] = Field(description="one row per project with lines; project_id null: programme-wide lines")
    programme: BudgetTotal
