"""Matching grants over HTTP with the example's figures (100 CNY an hour, 10 h at one organisation,
whole hours, 5,000 CNY per employee and year, 60 days to claim): the minimum reached exactly, the
claim window's last day, a cap hit mid-claim, the year boundary; the partner confirms, the CSR office pays."""

from __future__ import annotations

from corp_helpers import P, World, ok, serve

from engine.testing import frozen_clock


def test_minimum_exactly_window_last_day_and_partner_status(world: World) -> None:
    with frozen_clock("2026-03-20T10:00:00+08:00") as clock:
        e = world.employee("e1", "it", manager="mgr_it")
        serve(world, "liaison_it", e, "2026-03-01", "6")
        serve(world, "partner_school", e, "2026-03-08", "4")
        assert world.as_("partner_elder").post(f"{P}/services", json={
            "employee_id": e, "served_on": "2026-03-09", "hours": "1", "partner": "sunshine-school"}).status_code == 403
        got = ok(world.as_("e1").post(f"{P}/grants/claims", json={"partner": "sunshine-school"}), 201)
        (c,) = got["claims"]
        assert (c["granted_hours"], c["amount"], c["currency"], c["status"]) == ("10.00", "1000.00", "CNY", "requested")
        claim_url = f"{P}/grants/claims/{c['id']}/answer"
        assert world.as_("partner_elder").post(claim_url, json={"status": "confirmed"}).status_code == 403
        assert world.as_("csr1").post(claim_url, json={"status": "paid"}).status_code == 409  # not confirmed yet
        assert ok(world.as_("partner_school").post(claim_url, json={"status": "confirmed"}))["status"] == "confirmed"
        assert ok(world.as_("csr1").post(claim_url, json={"status": "paid"}))["status"] == "paid"
        assert [x["id"] for x in ok(world.as_("partner_school").get(f"{P}/grants/claims"))] == [c["id"]]
        assert ok(world.as_("partner_elder").get(f"{P}/grants/claims")) == []

        world.at(clock, "2026-04-03")
        serve(world, "liaison_it", e, "2026-04-01", "3.5")  # the window's last day: 1 April + 60 = 31 May
        serve(world, "liaison_it", e, "2026-04-02", "2")
        world.at(clock, "2026-05-31")
        services = ok(world.as_("e1").get(f"{P}/services"))
        april_first = [x["id"] for x in services if x["served_on"] == "2026-04-01"]
        last = ok(world.as_("e1").post(f"{P}/grants/claims", json={"partner": "sunshine-school",
                                                                   "service_ids": april_first}), 201)
        # 10 + 3.5 = 13.5 h in the year, 13 whole, 10 granted before: 3 h more
        assert (last["claims"][0]["granted_hours"], last["amount"]) == ("3.00", "300.00")

        world.at(clock, "2026-06-02")  # the window of 2 April closed on 1 June
        late = world.as_("e1").post(f"{P}/grants/claims", json={"partner": "sunshine-school"})
        assert late.status_code == 409 and "2026-06-01" in late.text and "claim_window_days" in late.text


def test_below_minimum_waits_then_cap_mid_claim_then_year_boundary(world: World) -> None:
    with frozen_clock("2026-06-10T10:00:00+08:00") as clock:
        e = world.employee("e2", "finance", manager="mgr_fin")
        serve(world, "liaison_fin", e, "2026-06-01", "9.5", partner="elder-care")
        first = ok(world.as_("e2").post(f"{P}/grants/claims", json={"partner": "elder-care"}), 201)
        assert first["claims"][0]["status"] == "below_minimum" and first["amount"] == "0.00"
        for day, hours in (("02", "8"), ("03", "8"), ("04", "8"), ("05", "8"), ("06", "3.5")):
            serve(world, "liaison_fin", e, f"2026-06-{day}", hours, partner="elder-care")
        second = ok(world.as_("e2").post(f"{P}/grants/claims", json={"partner": "elder-care"}), 201)
        assert second["amount"] == "4500.00"  # 45 h, the 9.5 earlier ones included once the minimum is reached
        serve(world, "liaison_fin", e, "2026-06-08", "12")
        capped = ok(world.as_("e2").post(f"{P}/grants/claims", json={"partner": "sunshine-school"}), 201)
        assert capped["capped"] and capped["amount"] == "500.00" and "5000" in capped["claims"][0]["note"]

        world.at(clock, "2027-01-02")
        serve(world, "liaison_fin", e, "2026-12-31", "10", partner="elder-care")
        serve(world, "liaison_fin", e, "2027-01-01", "10", partner="elder-care")
        boundary = ok(world.as_("e2").post(f"{P}/grants/claims", json={"partner": "elder-care"}), 201)
        by_year = {c["year"]: (c["status"], c["amount"]) for c in boundary["claims"]}
        assert by_year == {2026: ("over_cap", "0.00"), 2027: ("requested", "1000.00")}


def test_no_policy_and_bad_input_are_4xx(world: World) -> None:
    e = world.employee("e3", "legal")
    bad = world.as_("csr1").post(f"{P}/services", json={"employee_id": e, "served_on": "2026-03-01", "hours": "2",
                                                        "partner": "nowhere"})
    assert bad.status_code == 422 and "nowhere" in bad.text
    assert world.as_("e3").post(f"{P}/grants/claims", json={"partner": "elder-care"}).status_code == 422
    assert world.as_("outsider").get(f"{P}/grants/claims").status_code == 403


def test_two_claims_at_once_grant_the_hours_once(world: World) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with frozen_clock("2026-03-20T10:00:00+08:00"):
        e = world.employee("e5", "it")
        serve(world, "csr1", e, "2026-03-02", "10")
        clients = [world.as_("e5"), world.as_("csr1")]
        bodies = [{"partner": "sunshine-school"}, {"partner": "sunshine-school", "employee_id": e}]
        with ThreadPoolExecutor(2) as pool:
            codes = sorted(pool.map(lambda cb: cb[0].post(f"{P}/grants/claims", json=cb[1]).status_code,
                                    zip(clients, bodies, strict=True)))
        assert codes == [201, 422]
        assert [c["amount"] for c in ok(world.as_("csr1").get(f"{P}/grants/claims"))] == ["1000.00"]
