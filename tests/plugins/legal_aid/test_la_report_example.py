"""The example programme, the migration branch, the report section and the pure conflict table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from la_helpers import EXAMPLE, PID, World, today
from sqlalchemy import inspect

from engine.errors import ConfigError
from plugins.legal_aid.conflict_rules import Candidate, DeclarationSource, PartySource, Severity, classify
from plugins.legal_aid.rules import PlanRules


def test_example_states_the_hardship_line_and_its_service_points(eng) -> None:  # type: ignore[no-untyped-def]
    prog = eng.load(EXAMPLE)
    rules = prog.rules
    assert isinstance(rules, PlanRules)
    assert rules.hardship_line.per_capita_line() == 1650 and rules.hardship_line.source
    kinds = {p.kind.value for p in rules.service_points}
    assert {"community", "trade_union", "womens_federation"} <= kinds
    assert {"labour", "marriage_family", "consumer", "traffic_accident", "neighbour"} <= set(rules.case_types)
    assert {"intake", "lawyer", "law_teacher", "student", "supervisor"} <= set(prog.config.roles)
    assert prog.workflow("case").definition.subject == "case"


def test_hardship_line_is_required(eng, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index("  hardship_line:")
    end = text.index("  deadlines:")
    bad = tmp_path / "no_line.yaml"
    bad.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        eng.load(bad)
    assert "hardship_line" in str(exc.value)


def test_migration_branch_creates_the_tables(eng) -> None:  # type: ignore[no-untyped-def]
    tables = set(inspect(eng.db.engine).get_table_names())
    assert {"la_cases", "la_case_parties", "la_volunteer_profiles", "la_declarations", "la_conflict_keys",
            "la_case_reads", "la_conflict_waivers", "la_documents", "la_talks", "la_consultations"} <= tables


def test_report_section(world: World) -> None:
    w = world
    won = w.new_case()
    w.to_cleared(won)
    w.assign(won)
    w.consent(won)
    w.ok("lawyer1", won, "submit_evaluation", {"merits": "a", "risk": "b", "resources": "c",
                                               "recommendation": "accept", "reasons": "d"})
    w.ok("super1", won, "accept")
    w.as_("lawyer1").post(w.url(f"/cases/{won['id']}/work-log"), json={"kind": "report", "content": "进展"})
    w.ok("lawyer1", won, "submit_closure", {"result": "won", "client_satisfaction": 4,
                                            "closure_report": "仲裁裁决支持全部请求，已执行完毕。"})
    w.ok("super1", won, "approve_closure")
    w.new_case(case_type="consumer")
    w.as_("lawyer2").post(w.url("/consultations"), json={
        "channel": "online", "topic": "housing", "question": "q", "answer": "a", "consent_given": True,
        "satisfaction": 2})
    w.as_("lawyer1").post(w.url("/talks"), json={"title": "反诈骗讲座", "place": "人民路社区", "audience": "老年人",
                                                 "headcount": 85, "held_on": today().isoformat()})
    r = w.as_("coord1").get(w.url("/report"))
    assert r.status_code == 200, r.text
    f = r.json()["figures"]
    assert f["案件 cases"] == 2 and f["胜诉 won"] == 1 and f["在办 open"] == 1
    assert f["成功率 success rate (won+mediated)/decided"] == 1.0
    assert f["满意度均分 satisfaction (1-5)"] == 3.0 and f["满意率 share rating 4-5"] == 0.5
    assert f["普法讲座 talks"] == 1 and f["受众人次 audience"] == 85
    assert f["咨询人次 consultations"] == 1 and f["律师 lawyers"] == 5 and f["法学学生 law students"] == 1
    assert f["志愿者稳定率 retention"] == round(2 / 7, 3)
    rows = {row[0]: row for row in r.json()["rows"]}
    assert rows["labour"][1:4] == [1, 1, 0] and rows["consumer"][-1] == 1
    assert w.as_("lawyer1").get(w.url("/report")).status_code == 403
    engine_report = w.as_("super1").get(f"/programmes/{PID}/report").json()
    assert any(s["source"] == "legal_aid" and s["title"] == "法律援助 Legal aid" for s in engine_report["sections"])


TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(("role", "src", "cand", "severity", "rule"), [
    ("adverse", DeclarationSource(1, "relative", None, "F"), Candidate(1, "F"), Severity.FORBIDDEN, "own_interest"),
    ("opponent_agent", DeclarationSource(1, "relative", None, None), Candidate(1, None), Severity.FORBIDDEN,
     "relative_acts_for_opponent"),
    ("client", DeclarationSource(1, "self", None, None), Candidate(1, None), Severity.FORBIDDEN, "own_matter"),
    ("related", DeclarationSource(1, "employer", None, None), Candidate(1, None), Severity.WAIVABLE, "declared_interest"),
    ("client", DeclarationSource(1, "former_official", None, None), Candidate(1, None), Severity.FORBIDDEN,
     "handled_as_official"),
    ("adverse", DeclarationSource(1, "former_client", dt.date(2025, 7, 1), None), Candidate(1, None),
     Severity.WAIVABLE, "against_former_client"),
    ("adverse", DeclarationSource(1, "former_client", dt.date(2025, 5, 1), None), Candidate(1, None),
     Severity.INFO, "noted"),
    ("client", DeclarationSource(1, "firm_client", None, None), Candidate(1, None), Severity.INFO, "noted"),
    ("adverse", DeclarationSource(2, "relative", None, "F"), Candidate(1, "F"), Severity.WAIVABLE,
     "colleague_relative_of_opponent"),
    ("adverse", DeclarationSource(2, "relative", None, "G"), Candidate(1, "F"), Severity.INFO,
     "other_volunteer_interest"),
    ("adverse", DeclarationSource(1, "relative", None, None), None, Severity.INFO, "declared_interest"),
    ("client", PartySource("adverse", 9, True, None, frozenset({1}), True), Candidate(1, None), Severity.FORBIDDEN,
     "both_sides"),
    ("client", PartySource("adverse", 9, True, None, frozenset(), True), None, Severity.FORBIDDEN,
     "colleagues_opposite_sides"),
    ("client", PartySource("adverse", 9, True, None, frozenset(), False), None, Severity.WAIVABLE,
     "opponent_of_current_client"),
    ("adverse", PartySource("client", 9, False, dt.date(2026, 1, 1), frozenset(), False), None, Severity.INFO,
     "former_case"),
    ("adverse", PartySource("client", 9, False, dt.date(2026, 1, 1), frozenset({1}), True), Candidate(1, None),
     Severity.WAIVABLE, "against_former_client"),
    ("adverse", PartySource("client", 9, False, dt.date(2024, 1, 1), frozenset({1}), True), Candidate(1, None),
     Severity.INFO, "former_matter"),
    ("client", PartySource("client", 9, True, None, frozenset({1}), False), Candidate(1, None), Severity.INFO,
     "same_side_or_related"),
])
def test_conflict_table(role: str, src: object, cand: Candidate | None, severity: Severity, rule: str) -> None:
    v = classify(role, src, cand, criminal=False, today=TODAY)  # type: ignore[arg-type]
    assert (v.severity, v.rule) == (severity, rule)
    assert bool(v.article) == (severity is not Severity.INFO)
