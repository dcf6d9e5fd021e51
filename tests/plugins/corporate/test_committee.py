"""The committee's approval of a yearly plan and its projects (seed 000 篇4: 所有志愿服务项目的预算需经志愿
服务委员会审批): votes with amounts and comments, quorum and majority, budget lines planned and actual,
a project held to what is left of its plan, return for changes, outcome before closing; sign-ups
with the department quota."""

from __future__ import annotations

from corp_helpers import PLAN_2026, P, World, approved_plan, approved_project, fire, ok


def test_plan_needs_quorum_and_majority_and_takes_the_lowest_amount_named(world: World) -> None:
    plan = ok(world.as_("csr1").post(f"{P}/proposals", json={**PLAN_2026, "budget": PLAN_2026["budget"][:2]}), 201)
    refused = fire(world, "csr1", plan["instance_id"], "submit")
    assert refused.status_code == 422 and "75000.00" in refused.text  # lines do not add up to the amount asked
    plan = ok(world.as_("csr1").post(f"{P}/proposals", json=PLAN_2026), 201)
    assert world.as_("cm1").post(f"{P}/proposals/{plan['id']}/votes", json={"vote": "approve"}).status_code == 409
    assert fire(world, "liaison_it", plan["instance_id"], "submit").status_code in (403, 422)  # not their department
    ok(fire(world, "csr1", plan["instance_id"], "submit"))
    ok(world.as_("cm1").post(f"{P}/proposals/{plan['id']}/votes", json={"vote": "approve", "amount": "90000"}))
    ok(world.as_("cm2").post(f"{P}/proposals/{plan['id']}/votes",
                             json={"vote": "approve", "amount": "80000", "comment": "培训预算压缩 Trim training"}))
    early = fire(world, "cm1", plan["instance_id"], "approve")
    assert early.status_code == 422 and "quorum" in early.text
    assert world.as_("csr1").post(f"{P}/proposals/{plan['id']}/votes", json={"vote": "approve"}).status_code == 403
    ok(world.as_("cm3").post(f"{P}/proposals/{plan['id']}/votes", json={"vote": "reject", "comment": "太多 Too much"}))
    assert fire(world, "cm3", plan["instance_id"], "reject").status_code == 422  # 1 of 3 rejects
    shown = ok(fire(world, "cm1", plan["instance_id"], "approve", comment="同意 Agreed"))
    assert shown["state"] == "approved"
    p = ok(world.as_("cm2").get(f"{P}/proposals/{plan['id']}"))
    assert (p["amount_approved"], p["tally"]) == ("80000.00", {"approve": 2, "reject": 1, "abstain": 0})
    assert [v["comment"] for v in p["votes"]] == [None, "培训预算压缩 Trim training", "太多 Too much"]
    assert world.as_("outsider").get(f"{P}/proposals/{plan['id']}").status_code == 403


def test_project_within_plan_budget_actuals_outcome_and_close(world: World) -> None:
    plan = approved_plan(world)
    big = ok(world.as_("csr1").post(f"{P}/proposals", json={
        "kind": "project", "year": 2026, "plan_id": plan["id"], "title": "太贵 Too dear", "partner": "elder-care",
        "amount_requested": "90000.00", "budget": [{"item": "全部 All", "planned": "90000.00"}]}), 201)
    over = fire(world, "csr1", big["instance_id"], "submit")
    assert over.status_code == 422 and "80000.00" in over.text
    proj = approved_project(world, plan["id"])
    assert proj["amount_approved"] == "20000.00" and proj["state"] == "approved"
    line = proj["budget"]["lines"][0]
    budget = ok(world.as_("csr1").put(f"{P}/proposals/{proj['id']}/budget/{line['id']}", json={"actual": "11250.50"}))
    assert (budget["planned"], budget["actual"]) == ("20000.00", "11250.50")
    assert fire(world, "csr1", proj["instance_id"], "close").status_code == 422  # no outcome yet
    ok(world.as_("csr1").put(f"{P}/proposals/{proj['id']}/outcome", json={
        "completed": True, "completed_on": "2026-06-30", "beneficiaries": 135, "satisfaction": "4.6", "responses": 40,
        "media_mentions": 3, "people_trained": 120, "skills_transferred": ["programming"]}))
    assert ok(fire(world, "csr1", proj["instance_id"], "close"))["state"] == "closed"


def test_return_for_changes_needs_a_comment(world: World) -> None:
    plan = ok(world.as_("csr1").post(f"{P}/proposals", json=PLAN_2026), 201)
    ok(fire(world, "csr1", plan["instance_id"], "submit"))
    assert fire(world, "cm1", plan["instance_id"], "return_for_changes").status_code == 422
    ok(fire(world, "cm1", plan["instance_id"], "return_for_changes", comment="请补充保险明细 Detail the insurance"))
    p = ok(world.as_("csr1").get(f"{P}/proposals/{plan['id']}"))
    assert p["state"] == "returned" and "insurance" in p["decision_comment"]


def test_team_signup_respects_the_department_quota(world: World) -> None:
    plan = approved_plan(world)
    proj = approved_project(world, plan["id"])
    fin = [world.employee(f"fin{i}", "finance", skills=["finance"]) for i in range(4)]
    it = world.employee("it1", "it")
    url = f"{P}/proposals/{proj['id']}/team-signups"
    assert world.as_("liaison_it").post(url, json={"department": "finance", "employee_ids": fin[:2]}).status_code == 403
    wrong = world.as_("liaison_fin").post(url, json={"department": "finance", "employee_ids": [fin[0], it]})
    assert wrong.status_code == 422
    over = world.as_("liaison_fin").post(url, json={"department": "finance", "employee_ids": fin})
    assert over.status_code == 409 and "quota" in over.text  # finance sends at most 3
    assert ok(world.as_("liaison_fin").post(url, json={"department": "finance", "employee_ids": fin[:3]}),
              201)["signed_up"] == 3
    ok(world.as_("it1").post(f"{P}/proposals/{proj['id']}/signups", json={}), 201)
    assert ok(world.as_("it1").get(f"{P}/proposals/{proj['id']}"))["signed_up"] == 4
    assert "votes" not in ok(world.as_("it1").get(f"{P}/proposals/{proj['id']}"))
