"""Priority scores and ranking: the engine's weighted, normalised score, worked by hand."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engine.core import VolunteerEngine
from engine.stages.needs.schemas import NeedIn
from engine.stages.needs.service import create_need, engine_score, filter_needs, rank_needs

PROGRAMMES = Path(__file__).resolve().parents[3] / "programmes"
DEFAULT = {"frequency": 0.3, "urgency": 0.4, "people_affected": 0.3}


def test_engine_score_by_hand() -> None:
    # 送餐: f=(5-1)/4=1, u=(3-1)/4=0.5, p=ln201/ln201=1 → 0.3·1 + 0.4·0.5 + 0.3·1 = 0.8 → 80
    assert engine_score(5, 3, 200, 200, DEFAULT) == pytest.approx(80.0)
    # 课业: f=0.25, u=1, p=ln21/ln201 = 3.044522/5.303305 = 0.574080
    #       0.3·0.25 + 0.4·1 + 0.3·0.574080 = 0.075 + 0.4 + 0.172224 = 0.647224 → 64.72
    assert engine_score(2, 5, 20, 200, DEFAULT) == pytest.approx(64.7224, abs=1e-4)
    # 康复: f=0.5, u=0.25, p=ln2/ln201 = 0.693147/5.303305 = 0.130701 → 0.15 + 0.1 + 0.039210 = 0.289210 → 28.92
    assert engine_score(3, 2, 1, 200, DEFAULT) == pytest.approx(28.9210, abs=1e-4)


def test_score_edges() -> None:
    assert engine_score(1, 1, 1, 1, DEFAULT) == pytest.approx(30.0)  # alone, the need is its own largest
    assert engine_score(1, 1, 1, 10_000, DEFAULT) == pytest.approx(30 * math.log(2) / math.log(10_001))
    assert engine_score(5, 5, 10_000, 10_000, DEFAULT) == pytest.approx(100.0)
    # weights on any scale give the same score: they are divided by their sum
    assert engine_score(2, 5, 20, 200, {"frequency": 3, "urgency": 4, "people_affected": 3}) == \
        pytest.approx(engine_score(2, 5, 20, 200, DEFAULT))
    # missing keys count 0, unknown keys are ignored, no weight at all gives 0
    assert engine_score(2, 5, 20, 200, {"urgency": 1, "beauty": 9}) == pytest.approx(100.0)
    assert engine_score(5, 5, 20, 200, {}) == 0.0


def test_ranking_uses_the_weights(eng: VolunteerEngine, demo: Any, add_need: Callable[..., int],
                                  figures: dict[str, Any]) -> None:
    ids = {key: add_need(**fields) for key, fields in figures.items()}
    with eng.session() as s:
        ranked = rank_needs(s, demo, eng.host)
    assert [r.need.id for r in ranked] == [ids["送餐"], ids["课业"], ids["康复"]]
    assert [round(r.score, 2) for r in ranked] == [80.0, 64.72, 28.92]
    assert [r.rank for r in ranked] == [1, 2, 3]
    assert {r.state for r in ranked} == {"open"}


def test_weights_from_the_programme_change_the_order(eng: VolunteerEngine, figures: dict[str, Any]) -> None:
    text = (PROGRAMMES / "demo_full.yaml").read_text(encoding="utf-8")
    text += "needs:\n  priority_weights: {frequency: 0, urgency: 1, people_affected: 0}\n"
    prog = eng.load(text, filename="urgent-first.yaml")
    with eng.session() as s:
        for fields in figures.values():
            create_need(s, prog, eng.host, NeedIn(**fields), actor="coord1")
    with eng.session() as s:
        ranked = rank_needs(s, prog, eng.host)
    # urgency only: 课业 (5) → 100, 送餐 (3) → 50, 康复 (2) → 25
    assert [(r.need.title, r.score) for r in ranked] == [("四点半课堂", 100.0), ("独居老人送餐", 50.0),
                                                          ("康复训练陪伴", 25.0)]


def test_ties_go_to_urgency_then_reach_then_age(eng: VolunteerEngine, demo: Any,
                                                add_need: Callable[..., int]) -> None:
    first = add_need(title="A", frequency=3, urgency=3, people_affected=10)
    second = add_need(title="B", frequency=3, urgency=3, people_affected=10)
    with eng.session() as s:
        ranked = rank_needs(s, demo, eng.host)
    assert [r.need.id for r in ranked] == [first, second]
    assert ranked[0].score == ranked[1].score


def test_filters_keep_programme_wide_ranks(eng: VolunteerEngine, demo: Any, add_need: Callable[..., int],
                                           figures: dict[str, Any]) -> None:
    for fields in figures.values():
        add_need(**fields)
    with eng.session() as s:
        ranked = rank_needs(s, demo, eng.host)
    care = filter_needs(ranked, category="生活照料")
    assert [(r.need.title, r.rank) for r in care] == [("独居老人送餐", 1), ("康复训练陪伴", 3)]
    by_people = filter_needs(ranked, sort="people_affected", descending=False)
    assert [r.need.people_affected for r in by_people] == [1, 20, 200]
    assert [r.rank for r in filter_needs(ranked, sort="score", descending=False)] == [3, 2, 1]
