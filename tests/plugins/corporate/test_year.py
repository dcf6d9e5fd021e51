"""A year of employee volunteering driven end to end over HTTP with the example programme: the committee
approves the 2026 plan and two projects, matching and a team sign-up, work-time hours approved by the
manager, service at the partners, a team grant and an individual grant confirmed and paid, outcomes,
then on 2 January 2027 the CSR report (JSON, page, XLSX; whole and per department), the HR export
with only what employees agreed to share, the forfeited work-time hours and the fresh allowance."""

from __future__ import annotations

import io

from corp_helpers import PID, P, World, approved_plan, approved_project, fire, ok, serve
from openpyxl import load_workbook

from engine.testing import frozen_clock


def test_a_year_end_to_end(world: World) -> None:
    with frozen_clock("2026-01-05T10:00:00+08:00") as clock:
        plan = approved_plan(world, "80000.00")
        assert plan["amount_approved"] == "80000.00"
        coding = approved_project(world, plan["id"], skills=["programming", "teaching"], hours_per_person="12")
        money = approved_project(world, plan["id"], title="财务知识进社区 Money basics", partner="elder-care",
                                 department="finance", skills=["finance"], amount_requested="5000.00",
                                 budget=[{"item": "场地 Venue", "planned": "5000.00"}])
        coders = [world.employee(f"c{i}", "it", manager="mgr_it", skills=["programming", "teaching"] if i < 3
                                 else ["it"], hours="12") for i in range(5)]
        fin = world.employee("f1", "finance", manager="mgr_fin", skills=["finance", "tax"])
        world.employee("d1", "design", skills=["design"])
        ranked = ok(world.as_("csr1").get(f"{P}/proposals/{coding['id']}/matches"))
        assert [m["employee_id"] for m in ranked[:3]] == coders[:3] and ranked[0]["score"] == "1.000"
        ok(world.as_("liaison_it").post(f"{P}/proposals/{coding['id']}/team-signups",
                                        json={"department": "it", "employee_ids": coders}), 201)
        ok(world.as_("f1").post(f"{P}/proposals/{money['id']}/signups", json={}), 201)

        world.at(clock, "2026-03-16")
        for i, c in enumerate(coders):
            r = ok(world.as_(f"c{i}").post(f"{P}/vto/requests", json={"service_on": "2026-03-14", "hours": "3",
                                                                       "proposal_id": coding["id"]}), 201)
            assert ok(world.as_("mgr_it").post(f"{P}/vto/requests/{r['id']}/decision",
                                               json={"approve": True}))["hours_approved"] == "3.00"
            serve(world, "liaison_it", c, "2026-03-14", "3", proposal_id=coding["id"], team="it",
                  skills_used=["programming", "teaching"])
        team = ok(world.as_("liaison_it").post(f"{P}/grants/team-claims", json={
            "proposal_id": coding["id"], "department": "it", "served_on": "2026-03-14"}), 201)
        assert (team["amount"], team["partner"], team["status"]) == ("2000.00", "sunshine-school", "requested")

        world.at(clock, "2026-04-20")
        serve(world, "partner_school", coders[0], "2026-04-18", "8", proposal_id=coding["id"],
              skills_used=["programming"])
        serve(world, "partner_school", coders[0], "2026-04-19", "3")  # with the team's 3 h: 11 h there
        serve(world, "liaison_fin", fin, "2026-04-11", "4", proposal_id=money["id"], skills_used=["finance"])
        # the team's hours went into the team grant; the individual claim counts the employee's own service
        own = ok(world.as_("c0").post(f"{P}/grants/claims", json={"partner": "sunshine-school"}), 201)
        assert own["amount"] == "1100.00"  # 8 + 3 h of her own, 11 whole hours, at 100 CNY
        for c in ok(world.as_("partner_school").get(f"{P}/grants/claims")):
            if c["status"] == "requested":
                ok(world.as_("partner_school").post(f"{P}/grants/claims/{c['id']}/answer", json={"status": "confirmed"}))
                ok(world.as_("csr1").post(f"{P}/grants/claims/{c['id']}/answer", json={"status": "paid"}))

        world.at(clock, "2026-07-01")
        ok(world.as_("csr1").put(f"{P}/proposals/{coding['id']}/outcome", json={
            "completed": True, "completed_on": "2026-06-30", "beneficiaries": 135, "satisfaction": "4.6",
            "responses": 40, "media_mentions": 3, "people_trained": 120, "skills_transferred": ["programming"]}))
        ok(world.as_("liaison_fin").put(f"{P}/proposals/{money['id']}/outcome", json={
            "completed": False, "beneficiaries": 30, "satisfaction": "4.0", "responses": 10}))
        line = coding["budget"]["lines"][0]["id"]
        ok(world.as_("csr1").put(f"{P}/proposals/{coding['id']}/budget/{line}", json={"actual": "11250.50"}))
        assert ok(fire(world, "csr1", coding["instance_id"], "close"))["state"] == "closed"
        ok(world.as_("c0").put(f"{P}/employees/me/consent", json={"fields": ["hours", "grants"]}))
        assert world.as_("c1").put(f"{P}/employees/me/consent", json={"fields": ["salary"]}).status_code == 422

        world.at(clock, "2027-01-02")
        f = ok(world.as_("csr1").get(f"{P}/report", params={"start": "2026-01-01", "end": "2026-12-31"}))
        assert (f["hours"], f["people"], f["participations"]) == ("30.00", 6, 8)  # 5×3 + 8 + 3 + 4
        assert (f["projects"], f["projects_completed"], f["completion_rate"]) == (2, 1, "50.00")
        assert (f["beneficiaries"], f["satisfaction"], f["media_mentions"]) == (165, "4.48", 3)
        assert f["value_of_time"]["amount"] == "2550.00" and "人力资源部" in f["value_of_time"]["source"]
        assert f["grants_paid"] == {"CNY": "3100.00"} and f["vto_hours"] == "15.00"
        assert f["budget"] == {"planned": "25000.00", "actual": "11250.50"}
        assert f["hours_by_department"] == {"finance": "4.00", "it": "26.00"}
        engine_report = ok(world.as_("admin1").get(f"/programmes/{PID}/report"))
        (csr,) = [x for x in engine_report["sections"] if x["source"] == "corporate"]
        assert csr["figures"]["hours"] == "30.00" and csr["rows"] == [["finance", "4.00"], ["it", "26.00"]]
        fin_only = ok(world.as_("liaison_fin").get(f"{P}/report"))
        assert (fin_only["department"], fin_only["hours"], fin_only["people"]) == ("finance", "4.00", 1)
        assert world.as_("liaison_fin").get(f"{P}/report", params={"department": "it"}).status_code == 403
        assert world.as_("c0").get(f"{P}/report").status_code == 403

        page = world.as_("cm1").get(f"{P}/report.html")
        assert page.status_code == 200 and "<svg" in page.text and "2550.00" in page.text
        wb = load_workbook(io.BytesIO(world.as_("csr1").get(f"{P}/report.xlsx").content))
        summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r and r[0]}
        assert summary["服务时长（小时）Hours"] == 30.0 and summary["受益人数 Beneficiaries"] == 165
        assert wb["By department"]._charts

        hr = load_workbook(io.BytesIO(world.as_("csr1").get(f"{P}/hr-export.xlsx").content))["HR export"]
        rows = list(hr.iter_rows(values_only=True))
        head, data = rows[1], rows[2:]
        assert [r[0] for r in data] == ["HR-c0"]  # only the employee who agreed
        got = dict(zip(head, data[0], strict=True))
        assert got["服务时长 Hours"] == "14.00" and got["配捐 Grants paid"] == "1100.00"
        assert got["参与项目 Projects"] is None and got["使用技能 Skills used"] is None  # not shared
        assert world.as_("liaison_it").get(f"{P}/hr-export.xlsx").status_code == 403

        lapsed = ok(world.as_("csr1").get(f"{P}/vto/forfeited", params={"upto": "2027-01-01", "since_year": 2026}))
        assert {(x["hr_id"], x["forfeited"]) for x in lapsed if x["department"] == "it"} == {
            (f"HR-c{i}", "93.00") for i in range(5)}
        assert ok(world.as_("c0").get(f"{P}/vto/balance"))["left"] == "8.00"
