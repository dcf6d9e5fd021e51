"""应急预案 as checklists (seed 000 篇3 具体应急预案): a reported incident carries its category's plan as
steps; the reporter and team leaders tick them off (who and when kept, once each); other volunteers
cannot; a resolved incident's checklist is closed. A programme replaces or drops plans in YAML, and a
plan for something that is not an incident category is refused at its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from event_helpers import grant_permit
from tests_support import PASSWORD, bring_to, make_users

from engine.errors import ConfigError

ROOT = Path(__file__).resolve().parents[3]


def test_incident_checklist_over_http(eng, prog, api) -> None:  # type: ignore[no-untyped-def]
    make_users(eng, prog.id, {"admin": "admin1", "team_leader": "leader1", "volunteer": "vol1"})
    with eng.session() as s:
        u = eng.auth.create_user(s, "vol2", PASSWORD, display_name="vol2")
        eng.auth.grant(s, u, prog.id, "volunteer", known_roles=set(prog.config.roles))
        s.commit()
    grant_permit(eng, prog.id)
    bring_to(eng, prog.id, "service")
    ev = f"/programmes/{prog.id}/event"
    vol, other, leader = api.as_("vol1"), api.as_("vol2"), api.as_("leader1")
    plans = vol.get(ev + "/emergency-plans").json()
    assert set(plans) == {"medical", "lost_person", "fire", "weather"}
    assert plans["lost_person"]["steps"][2].startswith("广播寻人")

    r = vol.post(ev + "/incidents", json={"category": "medical", "description": "中暑 / heatstroke"})
    assert r.status_code == 201, r.text
    iid, checklist = r.json()["id"], r.json()["checklist"]
    assert (checklist["plan"], checklist["done"], checklist["total"]) == ("医疗急救预案 Medical emergency", 0, 5)
    url = ev + f"/incidents/{iid}/checklist"
    assert other.get(url).status_code == 403                       # another volunteer: not theirs to work
    assert vol.post(url + "/1", json={}).json()["done"] == 1        # the reporter found the casualty
    r = leader.post(url + "/2", json={"note": "医疗点已出发 / medics on the way"})
    step = r.json()["steps"][1]
    assert (step["done_by"], step["note"]) == ("leader1", "医疗点已出发 / medics on the way") and step["done_at"]
    r = vol.post(url + "/2", json={})
    assert r.status_code == 409 and "leader1" in r.text            # once each
    assert leader.post(url + "/9", json={}).status_code == 404
    r = api.as_("admin1").post(f"/programmes/{prog.id}/incidents/{iid}/resolve", json={"note": "已送医 / to hospital"})
    assert r.status_code == 200, r.text
    assert leader.post(url + "/3", json={}).status_code == 409     # resolved: closed
    assert leader.get(url).json()["done"] == 2
    report = api.as_("admin1").get(f"/programmes/{prog.id}/report").json()
    event = next(sec for sec in report["sections"] if sec["title"] == "大型活动 Event")
    assert event["figures"]["应急预案步骤完成 Emergency-plan steps done"] == "2/5"

    r = vol.post(ev + "/incidents", json={"category": "dispute", "description": "排队纠纷 / queue dispute"})
    assert r.json()["checklist"]["total"] == 0                     # no plan for disputes by default


def test_plans_in_yaml(eng) -> None:  # type: ignore[no-untyped-def]
    text = (ROOT / "examples" / "event.yaml").read_text(encoding="utf-8")
    assert "\nrules:\n" in text
    mine = text.replace("\nrules:\n", "\nrules:\n  emergency_plans:\n    weather: null\n    dispute:\n"
                                      "      title: 纠纷调解 Dispute\n      steps: [劝离 Separate them, 报告组长 Tell the leader]\n", 1)
    prog = eng.load(mine, filename="e.yaml")
    assert set(prog.rules.emergency_plans) - {k for k, v in prog.rules.emergency_plans.items() if v is None} == {
        "medical", "lost_person", "fire", "dispute"}
    bad = text.replace("\nrules:\n", "\nrules:\n  emergency_plans:\n    flood: {title: 洪水, steps: [撤离]}\n", 1)
    with pytest.raises(ConfigError) as exc:
        eng.load(bad, filename="e.yaml")
    [p] = exc.value.problems
    assert "flood" in p.message and "不存在" in p.message and p.line == bad.splitlines().index("  emergency_plans:") + 1
