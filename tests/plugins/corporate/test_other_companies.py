"""The same programme with other companies' packs: Salesforce's 7 days (56 h) a year of volunteer time
off, and Microsoft's $25 an hour matched in USD — figures from the packs, not from the programme."""

from __future__ import annotations

from corp_helpers import EXAMPLE, P, World, ok, serve

from engine.core import VolunteerEngine
from engine.testing import frozen_clock

GRANTS_BLOCK = EXAMPLE.read_text(encoding="utf-8").split("  grants:\n", 1)[1].split("  company:", 1)[0]


def _text(pack: str, *, keep_grants: bool, extra: str = "") -> str:
    text = EXAMPLE.read_text(encoding="utf-8").replace("pack: seed-000-monthly-8h", f"pack: {pack}")
    if not keep_grants:
        text = text.replace("  grants:\n" + GRANTS_BLOCK, extra)
    return text


def test_salesforce_days_a_year(eng: VolunteerEngine, api) -> None:  # type: ignore[no-untyped-def]
    world = World(eng, api, _text("salesforce-vto", keep_grants=True))
    world.employee("e1", "legal", manager="mgr_it")
    r = ok(world.as_("e1").post(f"{P}/vto/requests", json={"service_on": "2026-09-01", "hours": "60"}), 201)
    d = ok(world.as_("mgr_it").post(f"{P}/vto/requests/{r['id']}/decision", json={"approve": True}))
    assert d["hours_approved"] == "56.00" and "(56 h per year)" in d["reason"]
    half = ok(world.as_("e1").post(f"{P}/vto/requests", json={"service_on": "2027-01-04", "hours": "0.5"}), 201)
    refused = ok(world.as_("mgr_it").post(f"{P}/vto/requests/{half['id']}/decision", json={"approve": True}))
    assert refused["status"] == "refused" and "step_hours" in refused["reason"]
    contractor = world.employee("e2", "legal", manager="mgr_it", employment_type="contractor")
    c = ok(world.as_("csr1").post(f"{P}/vto/requests", json={"employee_id": contractor, "service_on": "2026-09-01",
                                                              "hours": "8"}), 201)
    c = ok(world.as_("mgr_it").post(f"{P}/vto/requests/{c['id']}/decision", json={"approve": True}))
    assert c["status"] == "refused" and "contractor" in c["reason"]


def test_microsoft_match_in_dollars(eng: VolunteerEngine, api) -> None:  # type: ignore[no-untyped-def]
    text = _text("microsoft-volunteer-match", keep_grants=False, extra="  allowance: {hours: 8, per: month}\n")
    world = World(eng, api, text)
    with frozen_clock("2026-10-20T10:00:00+08:00"):
        e = world.employee("e1", "it")
        serve(world, "csr1", e, "2026-10-01", "7.5")
        serve(world, "csr1", e, "2026-10-02", "2.5")
        got = ok(world.as_("e1").post(f"{P}/grants/claims", json={"partner": "sunshine-school"}), 201)
        assert (got["amount"], got["currency"]) == ("250.00", "USD")  # the minimum of 10 h reached exactly
