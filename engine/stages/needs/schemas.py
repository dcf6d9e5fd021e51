"""Request and response bodies of the needs stage.

The 1–5 scales are spelled out here (and so in the OpenAPI document) because whoever records a
need after a home visit must pick the same level a colleague would pick for the same situation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.inputs import Id, Int

Source = Literal["survey", "home_visit", "forum", "data", "expert"]

#: How a need was found (seed 000 篇1: 问卷调查、入户访谈、座谈会、数据分析、专家咨询).
SOURCE_TITLES: dict[str, str] = {
    "survey": "问卷调查 Survey",
    "home_visit": "入户走访 Home visit",
    "forum": "座谈会 Forum",
    "data": "数据分析 Data analysis",
    "expert": "专家咨询 Expert advice",
}

FREQUENCY_DOC = (
    "高频次 how often the need arises (1–5): 1 偶尔（一年几次）rarely, a few times a year; "
    "2 每季度 about quarterly; 3 每月 monthly; 4 每周 weekly; 5 每天 daily"
)
URGENCY_DOC = (
    "紧急性 how soon it must be met (1–5): 1 可长期规划 can be planned for the long term; "
    "2 数月内 within months; 3 数周内 within weeks; 4 数日内 within days; "
    "5 立即（安全、健康受威胁）immediately: safety or health at risk"
)
PEOPLE_DOC = "普遍性 how many people the need affects (≥ 1)"
GROUP_DOC = ("服务对象群体 beneficiary group, e.g. 空巢老人 elderly living alone, 留守儿童 left-behind children, "
             "残疾人 disabled people, 困难家庭 hardship families; restricted to the programme's "
             "needs.beneficiary_groups when that list is set")
CATEGORY_DOC = ("需求类别 category, e.g. 生活照料, 心理慰藉, 教育辅导; restricted to the programme's "
                "needs.categories when that list is set")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NeedIn(_Body):
    """A need as recorded after a survey, a visit, a forum, a data analysis or an expert's advice."""

    title: str = Field(min_length=1, max_length=200, description="需求名称 short title")
    beneficiary_group: str = Field(min_length=1, max_length=100, description=GROUP_DOC)
    category: str = Field(min_length=1, max_length=100, description=CATEGORY_DOC)
    place: str | None = Field(default=None, max_length=200, description="地点 where")
    source: Source = Field(description="需求来源 source: " + "; ".join(f"{k} {v}" for k, v in SOURCE_TITLES.items()))
    frequency: int = Field(ge=1, le=5, description=FREQUENCY_DOC)
    urgency: int = Field(ge=1, le=5, description=URGENCY_DOC)
    people_affected: int = Field(ge=1, le=100_000_000, description=PEOPLE_DOC)
    node: str | None = Field(default=None, max_length=100, description="站点网络节点 station-network node, if any")
    notes: str | None = Field(default=None, max_length=5000, description="备注 notes")


class NeedPatch(_Body):
    """Corrections to a recorded need; omitted fields are kept."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    beneficiary_group: str | None = Field(default=None, min_length=1, max_length=100, description=GROUP_DOC)
    category: str | None = Field(default=None, min_length=1, max_length=100, description=CATEGORY_DOC)
    place: str | None = Field(default=None, max_length=200)
    source: Source | None = None
    frequency: int | None = Field(default=None, ge=1, le=5, description=FREQUENCY_DOC)
    urgency: int | None = Field(default=None, ge=1, le=5, description=URGENCY_DOC)
    people_affected: int | None = Field(default=None, ge=1, le=100_000_000, description=PEOPLE_DOC)
    node: str | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=5000)


class LinkIn(_Body):
    project_id: Id = Field(description="the project that answers this need")


class NeedFireIn(_Body):
    trigger: str = Field(min_length=1, max_length=63, description="plan | meet | drop | reopen (see the need workflow)")
    expected_version: Int | None = Field(default=None, description="optimistic lock: the version you saw")
    payload: dict[str, Any] = Field(default_factory=dict)


class ProjectRef(BaseModel):
    id: int
    name: str


class NeedOut(BaseModel):
    """A need with its workflow state, its priority score (0–100) and its rank in the programme."""

    id: int
    title: str
    beneficiary_group: str
    category: str
    place: str | None
    source: str
    source_title: str
    frequency: int
    urgency: int
    people_affected: int
    node: str | None
    notes: str | None
    created_by: str
    created_at: dt.datetime
    state: str | None = Field(description="state of the need's workflow instance: open | planned | met | dropped")
    state_title: str | None
    instance_id: int | None = Field(description="fire it at POST …/instances/{instance_id}/fire or …/needs/{id}/fire")
    instance_version: int | None
    score: float = Field(description="priority 0–100, higher first (see GET …/needs/report for the method)")
    scored_by: str = Field(description="engine, or plan_type when the plan type's scorer answered")
    rank: int = Field(description="1 = highest priority among all needs of the programme")
    projects: list[ProjectRef]
