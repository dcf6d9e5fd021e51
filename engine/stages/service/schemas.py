"""Request and response models of the service stage (bad input is a 422 naming the field)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.inputs import Id, Moment
from engine.stages.service.models import Assignment, Checkin, HourReport, Incident


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _fields(cls: type[BaseModel], row: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: getattr(row, k) for k in cls.model_fields if k not in skip}


# ------------------------------------------------------------------ roster
class AssignIn(_In):
    shift_id: Id
    volunteer_id: Id


class SubstituteIn(_In):
    volunteer_id: Id = Field(description="the substitute, rostered in the no-show's place")


class SwapIn(_In):
    shift_id: Id = Field(description="another shift of the same post to move to")


class AssignmentOut(BaseModel):
    id: int
    shift_id: int
    volunteer_id: int
    status: str
    substitute_for_id: int | None
    assigned_by: str
    created_at: dt.datetime

    @classmethod
    def of(cls, a: Assignment) -> AssignmentOut:
        return cls.model_validate(_fields(cls, a))


# ------------------------------------------------------------------ check-in
class CodeIn(_In):
    code: str = Field(min_length=1, max_length=32, description="what the post's QR code carries")


class CheckinAtIn(_In):
    at: Moment | None = Field(default=None, description="default now; without an offset: the programme's zone")


class CheckoutIn(CheckinAtIn):
    rating: int | None = Field(default=None, ge=1, le=5, description="beneficiary's rating, 1–5 stars")
    content: str | None = Field(default=None, max_length=4000, description="what was done (default: the post)")


class ConfirmIn(_In):
    checked_out_at: Moment | None = Field(default=None, description="the real check-out time, if known")


class CheckinOut(BaseModel):
    id: int
    assignment_id: int
    checked_in_at: dt.datetime
    checked_out_at: dt.datetime | None
    method: str
    checked_in_by: str
    checked_out_by: str | None
    minutes: int | None
    auto_closed: bool
    confirmed_by: str | None
    confirmed_at: dt.datetime | None
    record_id: int | None

    @classmethod
    def of(cls, c: Checkin) -> CheckinOut:
        return cls.model_validate(_fields(cls, c))


class UnconfirmedOut(CheckinOut):
    volunteer_id: int
    volunteer_name: str
    shift_id: int
    shift_starts_at: dt.datetime
    shift_ends_at: dt.datetime


# ------------------------------------------------------------------ hour reports
class HourReportIn(_In):
    started_at: Moment
    ended_at: Moment
    content: str = Field(min_length=2, max_length=4000, description="what was done, where, for whom")
    project_id: Id | None = None
    post_id: Id | None = None


class ApproveIn(_In):
    category: str | None = Field(default=None, min_length=1, max_length=63, description="default: the post's")
    note: str | None = Field(default=None, max_length=1000)


class RejectIn(_In):
    note: str = Field(min_length=2, max_length=1000, description="why (shown to the volunteer)")


class HourReportOut(BaseModel):
    id: int
    volunteer_id: int
    project_id: int | None
    post_id: int | None
    started_at: dt.datetime
    ended_at: dt.datetime
    content: str
    status: str
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str | None
    record_id: int | None
    created_at: dt.datetime

    @classmethod
    def of(cls, r: HourReport) -> HourReportOut:
        return cls.model_validate(_fields(cls, r))


# ------------------------------------------------------------------ incidents
class IncidentIn(_In):
    category: Literal["medical", "lost_person", "fire", "weather", "dispute", "other"]
    description: str = Field(min_length=2, max_length=4000)
    shift_id: Id | None = None
    level: str | None = Field(default=None, max_length=63, description="default: the lowest level")


class EscalateIn(_In):
    to_level: str | None = Field(default=None, max_length=63, description="default: the next level up")
    note: str | None = Field(default=None, max_length=4000)


class ResolveIn(_In):
    note: str = Field(min_length=2, max_length=4000, description="how it was handled")


class IncidentOut(BaseModel):
    id: int
    shift_id: int | None
    category: str
    description: str
    level: str
    status: str
    reported_by: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None
    events: list[dict[str, Any]] = Field(default_factory=list)

    @classmethod
    def of(cls, i: Incident, events: list[dict[str, Any]] | None = None) -> IncidentOut:
        return cls.model_validate({**_fields(cls, i, ("events",)), "events": events or []})
