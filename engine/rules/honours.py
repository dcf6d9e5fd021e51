"""Multi-level honours (e.g. 班级 / 年级 / 校级优秀志愿者): thresholds and quotas per group.

A scheme (``rules.honours``, shipped as a pack) lists levels, each with the group it is given in
(``scope``: a key the plan type supplies for each person — class, grade, school …), the minimum
hours over the period, and a quota as a share of the group's members (``quota_percent``, at least
``min_quota`` when anyone qualifies). Within a group, people who reach the hours are ranked by hours;
the first ``quota`` are honoured. People tied with the last honoured one beyond the quota are
listed as ``tied`` for the committee to decide, never dropped silently. The function is pure.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HonourLevel(_Strict):
    name: str = Field(min_length=1, max_length=80)
    scope: str = Field(min_length=1, max_length=40, description="the group it is given in (class, grade, school …)")
    min_hours: Decimal = Field(ge=0)
    quota_percent: Decimal = Field(default=Decimal(100), gt=0, le=100)
    min_quota: int = Field(default=1, ge=0, le=10_000)


class HonoursPolicy(_Strict):
    title: str = Field(min_length=1, max_length=120)
    levels: list[HonourLevel] = Field(min_length=1)


@dataclass(frozen=True)
class Candidate:
    person_id: int
    hours: Decimal
    groups: dict[str, str]  # scope → group name, e.g. {"class": "初二3班", "grade": "初二", "school": "示例中学"}


@dataclass(frozen=True)
class Decision:
    level: str
    group: str
    person_id: int
    hours: Decimal
    status: str  # "honoured" | "tied"


def decide(policy: HonoursPolicy, people: list[Candidate]) -> list[Decision]:
    """Every honour given (and every tie at a quota's edge), level by level, group by group."""
    out: list[Decision] = []
    for level in policy.levels:
        groups: dict[str, list[Candidate]] = defaultdict(list)
        for p in people:
            if level.scope in p.groups:
                groups[p.groups[level.scope]].append(p)
        for group, members in sorted(groups.items()):
            eligible = sorted((p for p in members if p.hours >= level.min_hours),
                              key=lambda p: (-p.hours, p.person_id))
            if not eligible:
                continue
            quota = max(level.min_quota, math.floor(len(members) * level.quota_percent / 100))
            honoured = eligible[:quota]
            out.extend(Decision(level.name, group, p.person_id, p.hours, "honoured") for p in honoured)
            if honoured and len(eligible) > quota:
                edge = honoured[-1].hours
                out.extend(Decision(level.name, group, p.person_id, p.hours, "tied")
                           for p in eligible[quota:] if p.hours == edge)
    return out
