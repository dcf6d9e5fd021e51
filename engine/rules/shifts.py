"""Shift rules (轮班规则) as policy data: ``rules.shifts`` of a programme or a pack.

Seed 000 篇3 (轮班制度): 制定科学合理的轮班表，确保志愿者有足够的休息时间，避免疲劳服务. The seed
gives no figures, so every figure is ``None`` (no limit) unless a pack or the programme sets it;
real events' figures ship as packs (e.g. ``plugins/event/packs``). The mechanism that applies
them at assignment is :mod:`engine.stages.service.shift_rules`; the auto-roster honours the same
figures (:mod:`engine.stages.service.autoroster`).

The on-duty window: a shift must lie within ``[event_start − before_days, event_end + after_days]``
(dates in the programme's zone), e.g. T−7 … T+3 around the event. With no ``event_start`` the
window is not checked.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DutyWindow(_Strict):
    event_start: dt.date | None = Field(default=None, description="the event's first day (T)")
    event_end: dt.date | None = Field(default=None, description="the event's last day (default: event_start)")
    before_days: int = Field(default=0, ge=0, le=366, description="duty may start this many days before T")
    after_days: int = Field(default=0, ge=0, le=366, description="duty may end this many days after the last day")

    @model_validator(mode="after")
    def _order(self) -> DutyWindow:
        if self.event_start and self.event_end and self.event_end < self.event_start:
            raise ValueError(f"shifts.duty_window.event_end ({self.event_end}) is before event_start "
                             f"({self.event_start})")
        return self

    def bounds(self) -> tuple[dt.date, dt.date] | None:
        """First and last day on which a volunteer may be on duty, or None (no window)."""
        if self.event_start is None:
            return None
        end = self.event_end or self.event_start
        return (self.event_start - dt.timedelta(days=self.before_days), end + dt.timedelta(days=self.after_days))


class ShiftsPolicy(_Strict):
    """Limits on one volunteer's roster; ``None`` means no limit."""

    max_hours_per_day: Decimal | None = Field(default=None, gt=0, le=24, description="rostered hours in one day")
    max_shifts_per_day: int | None = Field(default=None, ge=1, le=24,
                                           description="shifts starting on one day (e.g. 1: one shift on race day)")
    min_rest_hours: Decimal | None = Field(default=None, ge=0, le=72, description="rest between two shifts")
    max_hours_per_week: Decimal | None = Field(default=None, gt=0, le=168,
                                               description="rostered hours in one calendar week (Monday–Sunday)")
    max_consecutive_days: int | None = Field(default=None, ge=1, le=366, description="days on duty in a row")
    duty_window: DutyWindow = Field(default_factory=DutyWindow)

    @model_validator(mode="after")
    def _consistent(self) -> ShiftsPolicy:
        if (self.max_hours_per_day is not None and self.max_hours_per_week is not None
                and self.max_hours_per_week < self.max_hours_per_day):
            raise ValueError(f"shifts.max_hours_per_week ({self.max_hours_per_week}) is below "
                             f"shifts.max_hours_per_day ({self.max_hours_per_day})")
        return self
