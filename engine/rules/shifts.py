"""Shift rules (轮班规则) as policy data: ``rules.shifts`` of a programme or a pack.

Seed 000 篇3 (轮班制度): 制定科学合理的轮班表，确保志愿者有足够的休息时间，避免疲劳服务. The seed
gives no figures, so every figure is ``None`` (no limit) unless a pack or the programme sets it;
real events' figures ship as packs (e.g. ``plugins/event/packs``). The mechanism that applies
them at assignment is :mod:`engine.stages.service.shift_rules`; the auto-roster honours the same
figures (:mod:`engine.stages.service.autoroster`).

The on-duty window: a shift must lie within ``[event_start − before_days, event_end + after_days]``
(dates in the programme's zone), e.g. T−7 … T+3 around the event. With no ``event_start`` the
window is not checked. ``by_node`` gives a venue (a project's ``node``: a group or a team) its own
days, e.g. a games volunteer serves T−7 … T+3 around *their venue's* competition schedule (杭州亚运会:
所服务场馆竞赛日程的赛前7天至赛后3天); a node without an entry takes its parent's (the plan type's rules
say who is whose parent, :func:`node_parents`), then the programme's window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NodeWindow(_Strict):
    event_start: dt.date = Field(description="the venue's first day (its T)")
    event_end: dt.date | None = Field(default=None, description="the venue's last day (default: event_start)")
    before_days: int | None = Field(default=None, ge=0, le=366, description="default: the programme's before_days")
    after_days: int | None = Field(default=None, ge=0, le=366, description="default: the programme's after_days")

    @model_validator(mode="after")
    def _order(self) -> NodeWindow:
        if self.event_end and self.event_end < self.event_start:
            raise ValueError(f"event_end ({self.event_end}) is before event_start ({self.event_start})")
        return self


def node_parents(programme: Any) -> Mapping[str, str]:
    """Node → its parent node, from the plan type's rules model if it offers ``node_parents()``."""
    fn = getattr(getattr(programme, "rules", None), "node_parents", None)
    return fn() if callable(fn) else {}


class DutyWindow(_Strict):
    event_start: dt.date | None = Field(default=None, description="the event's first day (T)")
    event_end: dt.date | None = Field(default=None, description="the event's last day (default: event_start)")
    before_days: int = Field(default=0, ge=0, le=366, description="duty may start this many days before T")
    after_days: int = Field(default=0, ge=0, le=366, description="duty may end this many days after the last day")
    by_node: dict[str, NodeWindow] = Field(default_factory=dict,
                                           description="a venue's own days, by the node of a shift's project")

    @model_validator(mode="after")
    def _order(self) -> DutyWindow:
        if self.event_start and self.event_end and self.event_end < self.event_start:
            raise ValueError(f"shifts.duty_window.event_end ({self.event_end}) is before event_start "
                             f"({self.event_start})")
        return self

    def rule_for(self, node: str | None = None, parents: Mapping[str, str] | None = None) -> tuple[str, NodeWindow | None]:
        """(the key that applies, its venue entry): the node's own, else its nearest ancestor's, else none."""
        seen: set[str] = set()
        while node is not None and node not in seen:
            if node in self.by_node:
                return f"shifts.duty_window.by_node.{node}", self.by_node[node]
            seen.add(node)
            node = (parents or {}).get(node)
        return "shifts.duty_window", None

    def _resolved(self, node: str | None, parents: Mapping[str, str] | None
                  ) -> tuple[str, dt.date | None, dt.date | None, int, int]:
        key, venue = self.rule_for(node, parents)
        if venue is None:
            return key, self.event_start, self.event_end, self.before_days, self.after_days
        before = self.before_days if venue.before_days is None else venue.before_days
        after = self.after_days if venue.after_days is None else venue.after_days
        return key, venue.event_start, venue.event_end, before, after

    def bounds(self, node: str | None = None, parents: Mapping[str, str] | None = None) -> tuple[dt.date, dt.date] | None:
        """First and last day on which a volunteer may be on duty (at ``node``'s venue), or None."""
        _key, start, end, before, after = self._resolved(node, parents)
        if start is None:
            return None
        return (start - dt.timedelta(days=before), (end or start) + dt.timedelta(days=after))

    def label(self, node: str | None = None, parents: Mapping[str, str] | None = None) -> str:
        """The rule as a refusal names it, e.g. ``shifts.duty_window.by_node.gymnasium: T−7 … T+3``."""
        key, _start, _end, before, after = self._resolved(node, parents)
        return f"{key}: T−{before} … T+{after}"


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
