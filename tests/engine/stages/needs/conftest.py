"""Fixtures for the needs tests: the demo programme, a helper that records needs, a project maker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from engine.core import VolunteerEngine
from engine.stages.design.models import Project
from engine.stages.needs.schemas import NeedIn
from engine.stages.needs.service import create_need

#: The figures of the hand-worked ranking (default weights 0.3 / 0.4 / 0.3).
NEEDS = {
    "送餐": dict(title="独居老人送餐", beneficiary_group="空巢老人", category="生活照料", source="home_visit",
               frequency=5, urgency=3, people_affected=200),
    "课业": dict(title="四点半课堂", beneficiary_group="留守儿童", category="教育辅导", source="survey",
               frequency=2, urgency=5, people_affected=20),
    "康复": dict(title="康复训练陪伴", beneficiary_group="残疾人", category="生活照料", source="expert",
               frequency=3, urgency=2, people_affected=1),
}


@pytest.fixture
def figures() -> dict[str, dict[str, Any]]:
    """The hand-worked needs, by short name."""
    return NEEDS


@pytest.fixture
def add_need(eng: VolunteerEngine, demo: Any) -> Callable[..., int]:
    """Record a need in the demo programme (keyword overrides on top of a valid need); returns its id."""

    def add(actor: str = "coord1", **fields: Any) -> int:
        data = {**NEEDS["送餐"], **fields}
        with eng.session() as s:
            return create_need(s, demo, eng.host, NeedIn(**data), actor=actor).id

    return add


@pytest.fixture
def add_project(eng: VolunteerEngine, demo: Any) -> Callable[[str], int]:
    def add(name: str) -> int:
        with eng.session() as s:
            p = Project(programme_id=demo.id, name=name, kind="daily")
            s.add(p)
            s.flush()
            return p.id

    return add
