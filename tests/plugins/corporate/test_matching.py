"""Skills-based matching: the taxonomy from YAML (the example adds ``web`` under ``it``), ranking with
the reasons (skills exact / narrower / broader, availability, department places), and recommendations."""

from __future__ import annotations

from corp_helpers import P, World, approved_plan, approved_project, ok


def test_ranks_and_explains_then_recommends(world: World) -> None:
    plan = approved_plan(world)
    proj = approved_project(world, plan["id"], skills=["it", "teaching"], hours_per_person="16")
    coder = world.employee("coder", "it", skills=["web", "teaching"], hours="16")  # web is a child of it (YAML)
    generalist = world.employee("gen", "design", skills=["it"], hours="8")
    lawyer = world.employee("law", "legal", skills=["law"], hours="16")
    ranked = ok(world.as_("csr1").get(f"{P}/proposals/{proj['id']}/matches"))
    assert [m["employee_id"] for m in ranked] == [coder, generalist, lawyer]
    top = ranked[0]
    assert top["score"] == "1.000" and {(s["asked"], s["has"], s["how"]) for s in top["skills"]} == {
        ("it", "web", "narrower"), ("teaching", "teaching", "exact")}
    # design: it covered, teaching missing → 0.7 × 0.5 + 0.3 × 8/16 = 0.5
    assert ranked[1]["score"] == "0.500" and ranked[1]["missing"] == ["teaching"] and "8" in ranked[1]["why"]
    assert ranked[2]["score"] == "0.300" and "quota_left" in ranked[2]
    # a liaison sees their own department's employees only
    assert [m["employee_id"] for m in ok(world.as_("liaison_it").get(f"{P}/proposals/{proj['id']}/matches"))] == [coder]
    assert world.as_("coder").get(f"{P}/proposals/{proj['id']}/matches").status_code == 403

    other = approved_project(world, plan["id"], title="财务知识进社区 Money basics", partner="elder-care",
                             department="finance", skills=["finance"], amount_requested="5000.00",
                             budget=[{"item": "场地 Venue", "planned": "5000.00"}])
    recs = ok(world.as_("coder").get(f"{P}/recommendations"))
    assert [r["proposal_id"] for r in recs] == [proj["id"], other["id"]]
    assert recs[0]["why"] and recs[1]["missing"] == ["finance"]
    ok(world.as_("coder").post(f"{P}/proposals/{proj['id']}/signups", json={}), 201)
    assert [r["proposal_id"] for r in ok(world.as_("coder").get(f"{P}/recommendations"))] == [other["id"]]


def test_broader_skill_counts_half(world: World) -> None:
    plan = approved_plan(world)
    proj = approved_project(world, plan["id"], skills=["programming"], hours_per_person="0")
    it = world.employee("it1", "it", skills=["it"])
    (m,) = ok(world.as_("csr1").get(f"{P}/proposals/{proj['id']}/matches"))
    assert m["employee_id"] == it and m["skills"][0]["how"] == "broader" and m["score"] == "0.650"
