"""Request and response models of the records stage (bad input is a 422 naming the field)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from engine.inputs import Id, Moment
from engine.stages.records.models import ServiceRecord, VolunteerTotal


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RecordIn(_In):
    """A coordinator's direct entry (captured=coordinator). Times without an offset are local."""

    volunteer_id: Id
    started_at: Moment
    ended_at: Moment
    minutes: int | None = Field(default=None, ge=1, le=24 * 60, description="default: ended_at − started_at, floored")
    project_id: Id | None = None
    post_id: Id | None = None
    category: str | None = Field(default=None, min_length=1, max_length=63, description="default: the post's")
    content: str | None = Field(default=None, max_length=4000)
    rating: int | None = Field(default=None, ge=1, le=5, description="beneficiary's rating, 1–5 stars")
    verify: bool = Field(default=True, description="verified at once by the coordinator entering it")


class VerifyIn(_In):
    ids: list[Id] = Field(default_factory=list, max_length=5000)
    all_pending: bool = Field(default=False, description="verify every unverified record of the programme")


class ReplacementIn(_In):
    started_at: Moment | None = None
    ended_at: Moment | None = None
    minutes: int | None = Field(default=None, ge=1, le=24 * 60)
    category: str | None = Field(default=None, min_length=1, max_length=63)
    content: str | None = Field(default=None, max_length=4000)
    rating: int | None = Field(default=None, ge=1, le=5)


class ReverseIn(_In):
    reason: str = Field(min_length=2, max_length=1000, description="why the record is corrected")
    replacement: ReplacementIn | None = Field(default=None, description="the corrected values, if any")


class RecordOut(BaseModel):
    id: int
    volunteer_id: int
    project_id: int | None
    post_id: int | None
    shift_id: int | None
    started_at: dt.datetime
    ended_at: dt.datetime
    minutes: int
    category: str
    content: str | None
    rating: int | None
    captured: str
    node: str | None
    verified_by: str | None
    verified_at: dt.datetime | None
    reverses_id: int | None
    source_org: str | None
    source_ref: str | None
    source_project: str | None
    created_by: str
    created_at: dt.datetime

    @classmethod
    def of(cls, r: ServiceRecord) -> RecordOut:
        return cls.model_validate({k: getattr(r, k) for k in cls.model_fields})


class ReverseOut(BaseModel):
    reversal: RecordOut
    replacement: RecordOut | None


class TotalOut(BaseModel):
    volunteer_id: int
    minutes: int
    hours: float
    level_minutes: int
    records: int
    level: str | None

    @classmethod
    def of(cls, t: VolunteerTotal) -> TotalOut:
        return cls(volunteer_id=t.volunteer_id, minutes=t.minutes, hours=round(t.minutes / 60, 2),
                   level_minutes=t.level_minutes, records=t.records, level=t.level)


class ImportOut(BaseModel):
    volunteer_id: int
    source_org: str
    imported: int
    skipped_duplicates: int
    own_records_skipped: int
    minutes: int
    record_ids: list[int]
