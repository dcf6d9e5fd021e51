"""Every route that returns a case file, or a case's id and state, leaves a row in the case's read log
(《法律援助法》第二十一条 保密; seed 000 篇5 保密原则) — the plan type's own routes and the engine's generic
instance routes alike (``volunteer_instance_filter`` / ``volunteer_instance_read``)."""

from __future__ import annotations

from typing import Any

from la_helpers import GOOD_APP, PID, World


def reads(w: World, case_id: int) -> set[tuple[str, str, str]]:
    log = w.as_("super1").get(w.url(f"/cases/{case_id}/read-log")).json()
    return {(e["actor"], e["what"], e["view"]) for e in log}


def app(**changes: Any) -> dict[str, Any]:
    return {**GOOD_APP, **changes}


def test_registering_and_changing_a_case_is_a_logged_read(world: World) -> None:
    w = world
    case = w.new_case(application=app(documents=["identity_proof"]))
    cid = case["id"]
    r = w.as_("intake1").put(w.url(f"/cases/{cid}/application"), json=app(documents=["identity_proof"]))
    assert r.status_code == 200 and r.json()["view"] == "full" and "summary" in r.json()
    r = w.as_("intake1").post(w.url(f"/cases/{cid}/supplement-request"), json={})
    assert r.status_code == 200, r.text
    r = w.as_("intake1").post(w.url(f"/cases/{cid}/supplement-received"),
                              json={"documents": ["hardship_proof", "matter_evidence"]})
    assert r.status_code == 200, r.text
    assert {("intake1", "case_registered", "full"), ("intake1", "application_updated", "full"),
            ("intake1", "supplement_requested", "full"), ("intake1", "supplement_received", "full")} <= reads(w, cid)


def test_a_refused_change_is_logged_as_refused_not_as_a_read(world: World) -> None:
    w = world
    cid = w.new_case()["id"]
    r = w.as_("coord1").put(w.url(f"/cases/{cid}/application"), json=GOOD_APP)
    assert r.status_code == 403
    assert not any(actor == "coord1" for actor, _, _ in reads(w, cid))  # nothing of the file was returned
    assert w.case(cid, "leader1").status_code == 403
    assert ("leader1", "case_file", "refused") in reads(w, cid)


def test_the_engine_instance_list_hides_cases_from_those_who_may_not_open_them(world: World) -> None:
    w = world
    cid = w.new_case()["id"]
    listing = f"/programmes/{PID}/instances"

    def case_rows(user: str) -> list[dict[str, Any]]:
        r = w.as_(user).get(listing, params={"workflow": "case"})
        assert r.status_code == 200, (user, r.text)
        return [i for i in r.json() if i["subject_type"] == "case"]

    assert case_rows("leader1") == []  # a team leader no longer sees which cases exist, nor their states
    assert [i["subject_id"] for i in case_rows("coord1")] == [str(cid)]
    assert [i["subject_id"] for i in case_rows("super1")] == [str(cid)]
    log = reads(w, cid)
    assert {("coord1", "instance_list", "masked"), ("super1", "instance_list", "full")} <= log
    assert not any(actor == "leader1" for actor, _, _ in log)  # hidden: nothing was read


def test_opening_the_case_instance_is_logged_at_the_level_seen(world: World) -> None:
    w = world
    case = w.new_case()
    base = f"/programmes/{PID}/instances/{case['instance_id']}"
    assert w.as_("intake1").get(base).status_code == 200
    assert w.as_("coord1").get(base + "/log").status_code == 403
    assert {("intake1", "instance", "full"), ("coord1", "instance_log", "refused")} <= reads(w, case["id"])
