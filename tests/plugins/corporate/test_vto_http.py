"""The work-time allowance over HTTP with the example's pack (seed 000 篇4: 8 hours a month, rolling
within the year): the manager approves, a request beyond what is left is approved for what is left
with the reason, exclusions refuse, the year end forfeits and is reported."""

from __future__ import annotations

from corp_helpers import P, World, ok


def test_manager_approves_within_and_beyond_what_is_left(world: World) -> None:
    world.employee("e1", "it", manager="mgr_it")
    e1, mgr = world.as_("e1"), world.as_("mgr_it")
    first = ok(e1.post(f"{P}/vto/requests", json={"service_on": "2026-03-10", "hours": "6"}), 201)
    assert first["status"] == "pending" and first["period"] == "2026-03"
    assert world.as_("mgr_fin").post(f"{P}/vto/requests/{first['id']}/decision", json={"approve": True}).status_code == 403
    assert ok(mgr.post(f"{P}/vto/requests/{first['id']}/decision", json={"approve": True}))["hours_approved"] == "6.00"
    # January and February rolled into March: 8 + 8 + 8 − 6 = 18 left
    assert ok(e1.get(f"{P}/vto/balance", params={"on": "2026-03-31"}))["left"] == "18.00"
    big = ok(e1.post(f"{P}/vto/requests", json={"service_on": "2026-03-20", "hours": "20"}), 201)
    dec = ok(mgr.post(f"{P}/vto/requests/{big['id']}/decision", json={"approve": True}))
    assert dec["status"] == "approved" and dec["hours_approved"] == "18.00"
    assert "approved for the 18 h left" in dec["reason"]
    none = ok(e1.post(f"{P}/vto/requests", json={"service_on": "2026-03-30", "hours": "1"}), 201)
    refused = ok(mgr.post(f"{P}/vto/requests/{none['id']}/decision", json={"approve": True}))
    assert refused["status"] == "refused" and "rules.allowance.hours" in refused["reason"]
    again = mgr.post(f"{P}/vto/requests/{none['id']}/decision", json={"approve": True})
    assert again.status_code == 409


def test_exclusions_and_probation_refuse_with_the_rule(world: World) -> None:
    world.employee("e2", "finance", manager="mgr_fin", hired_on="2026-03-01")
    r = ok(world.as_("e2").post(f"{P}/vto/requests", json={"service_on": "2026-05-29", "hours": "2"}), 201)
    d = ok(world.as_("mgr_fin").post(f"{P}/vto/requests/{r['id']}/decision", json={"approve": True}))
    assert d["status"] == "refused" and "min_tenure_days" in d["reason"] and "2026-05-30" in d["reason"]
    emp = ok(world.as_("e2").get(f"{P}/employees/me"))
    ok(world.as_("csr1").put(f"{P}/employees/{emp['id']}/flags", json={"flags": ["performance_plan"]}))
    r2 = ok(world.as_("e2").post(f"{P}/vto/requests", json={"service_on": "2026-07-01", "hours": "2"}), 201)
    d2 = ok(world.as_("mgr_fin").post(f"{P}/vto/requests/{r2['id']}/decision", json={"approve": True}))
    assert d2["status"] == "refused" and "exclusions" in d2["reason"]
    assert world.as_("e2").put(f"{P}/employees/{emp['id']}/flags", json={"flags": []}).status_code == 403


def test_year_end_forfeits_and_the_report_lists_it(world: World) -> None:
    eid = world.employee("e3", "it", manager="mgr_it")
    r = ok(world.as_("e3").post(f"{P}/vto/requests", json={"service_on": "2026-12-31", "hours": "90"}), 201)
    d = ok(world.as_("mgr_it").post(f"{P}/vto/requests/{r['id']}/decision", json={"approve": True}))
    assert d["hours_approved"] == "90.00"  # the whole year's 96 h rolled into December
    assert ok(world.as_("e3").get(f"{P}/vto/balance", params={"on": "2027-01-01"}))["left"] == "8.00"
    rows = ok(world.as_("csr1").get(f"{P}/vto/forfeited", params={"upto": "2027-01-01", "since_year": 2026}))
    assert [(x["employee_id"], x["period"], x["forfeited"]) for x in rows] == [(eid, "2026-12", "6.00")]
    assert world.as_("e3").get(f"{P}/vto/forfeited").status_code == 403
    assert world.as_("outsider").get(f"{P}/vto/balance").status_code == 403


def test_two_decisions_at_once_never_grant_more_than_is_left(world: World) -> None:
    from concurrent.futures import ThreadPoolExecutor

    world.employee("e4", "it", manager="mgr_it")
    ids = [ok(world.as_("e4").post(f"{P}/vto/requests", json={"service_on": "2026-01-20", "hours": "6"}), 201)["id"]
           for _ in range(2)]
    deciders = [world.as_("mgr_it"), world.as_("csr1")]
    with ThreadPoolExecutor(2) as pool:
        got = list(pool.map(lambda pair: ok(pair[0].post(f"{P}/vto/requests/{pair[1]}/decision",
                                                          json={"approve": True})), zip(deciders, ids, strict=True)))
    assert sorted(g["hours_approved"] for g in got) == ["2.00", "6.00"]  # January's 8 h, once
