"""A plan type may replace the scorer through ``volunteer_score_need`` (first answer wins, scoped)."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import vol_plan_demo

from engine import PlanType, hookimpl
from engine.stages.needs.report import build_report, render_markdown
from engine.stages.needs.schemas import NeedIn
from engine.stages.needs.service import create_need, rank_needs
from engine.testing import temp_engine

PROGRAMMES = Path(__file__).resolve().parents[3] / "programmes"
NEEDS = [
    dict(title="独居老人送餐", beneficiary_group="空巢老人", category="生活照料", source="home_visit",
         frequency=5, urgency=3, people_affected=200),
    dict(title="四点半课堂", beneficiary_group="留守儿童", category="教育辅导", source="survey",
         frequency=2, urgency=5, people_affected=20),
]


def scorer_module(calls: list[dict[str, Any]]) -> types.ModuleType:
    """Children first: 留守儿童 needs score 1000 + urgency; anything else is left to the engine."""

    @hookimpl
    def volunteer_score_need(need: Any, weights: dict[str, float], programme: Any) -> float | None:
        calls.append({"need": need.title, "weights": dict(weights), "programme": programme.id})
        if need.beneficiary_group == "留守儿童":
            return 1000.0 + need.urgency
        return None

    mod = types.ModuleType("needs_test_scorer")
    mod.volunteer_score_need = volunteer_score_need  # type: ignore[attr-defined]
    return mod


def other_plan_type_module() -> types.ModuleType:
    """A plugin owning another plan type: its scorer must never run for a demo programme."""

    @hookimpl
    def volunteer_register_plan_types(register: Any) -> None:
        register.add(PlanType(id="other", title="其他 Other"))

    @hookimpl
    def volunteer_score_need(need: Any) -> float:
        return -999.0

    mod = types.ModuleType("needs_test_other")
    mod.volunteer_register_plan_types = volunteer_register_plan_types  # type: ignore[attr-defined]
    mod.volunteer_score_need = volunteer_score_need  # type: ignore[attr-defined]
    return mod


def test_plugin_scorer_replaces_the_score(tmp_path: Path) -> None:
    calls: list[dict[str, Any]] = []
    plugins = [("demo", vol_plan_demo), ("scorer", scorer_module(calls)), ("other", other_plan_type_module())]
    with temp_engine(tmp_path, plugins=plugins) as eng:
        prog = eng.load(PROGRAMMES / "demo_full.yaml")
        with eng.session() as s:
            for fields in NEEDS:
                create_need(s, prog, eng.host, NeedIn(**fields), actor="coord1")
        with eng.session() as s:
            ranked = rank_needs(s, prog, eng.host)
            markdown = render_markdown(build_report(s, prog, eng.host))
    # the plugin's answer replaces the engine's 64.72 and puts the children's need first …
    assert [(r.need.title, r.score, r.scored_by) for r in ranked] == [("四点半课堂", 1005.0, "plan_type"),
                                                                      ("独居老人送餐", 80.0, "engine")]
    assert "1 need(s) scored by the plan type's own scorer" in markdown
    # … where it answers None the engine's weighted score stands (80.0, worked in test_needs_scoring)
    assert {c["need"] for c in calls} == {"四点半课堂", "独居老人送餐"}
    assert calls[0]["weights"] == {"frequency": 0.3, "urgency": 0.4, "people_affected": 0.3}
    assert calls[0]["programme"] == "demo-full"


def test_without_the_plugin_the_engine_scores(tmp_path: Path) -> None:
    with temp_engine(tmp_path, plugins=[("demo", vol_plan_demo), ("other", other_plan_type_module())]) as eng:
        prog = eng.load(PROGRAMMES / "demo_full.yaml")
        with eng.session() as s:
            for fields in NEEDS:
                create_need(s, prog, eng.host, NeedIn(**fields), actor="coord1")
        with eng.session() as s:
            ranked = rank_needs(s, prog, eng.host)
    assert [(r.need.title, round(r.score, 2)) for r in ranked] == [("独居老人送餐", 80.0), ("四点半课堂", 64.72)]
