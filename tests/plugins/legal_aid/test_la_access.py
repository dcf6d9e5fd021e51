"""Confidentiality: every role against a case file — whole, masked or refused — with the read log checked,
and the engine's generic workflow endpoints obeying the same rule (volunteer_instance_access)."""

from __future__ import annotations

from typing import Any

import pytest
from la_helpers import CLIENT_ID, PID, World


@pytest.fixture
def assigned(world: World) -> dict[str, Any]:
    """A case with lawyer1 as its lawyer and student1 as assistant."""
    case = world.new_case()
    world.to_cleared(case)
    world.assign(case)
    r = world.as_("super1").post(world.url(f"/cases/{case['id']}/members"),
                                 json={"profile_id": world.profiles["student1"], "role": "assistant"})
    assert r.status_code == 201, r.text
    return case


FULL = ["intake1", "super1", "lawyer1", "student1"]
MASKED = ["coord1", "admin1", "root"]
REFUSED = ["lawyer2", "teacher1", "junior1", "leader1", "vol1"]


def test_every_role_against_the_case_file(world: World, assigned: dict[str, Any]) -> None:
    w, cid = world, assigned["id"]
    for user in FULL:
        r = w.case(cid, user)
        assert r.status_code == 200, (user, r.text)
        body = r.json()
        assert body["view"] == "full" and body["summary"].startswith("拖欠工资")
        assert {p["name"] for p in body["parties"]} == {"张丽华", "某市宏达建筑工程有限公司"}
        assert body["parties"][0]["id_number"] == CLIENT_ID
    for user in MASKED:
        r = w.case(cid, user)
        assert r.status_code == 200, (user, r.text)
        body = r.json()
        assert body["view"] == "masked" and "summary" not in body and "application" not in body
        assert "work_log" not in body and "available" not in body
        assert [p["name"] for p in body["parties"]] == ["张**", "某市**********"]
        assert body["state"] == "assigned" and body["deadlines"]
    for user in REFUSED:
        r = w.case(cid, user)
        assert r.status_code == 403, (user, r.text)
        assert "保密" in r.json()["detail"]["message"]
    assert w.case(cid, "outsider").status_code == 403  # no role in the programme at all

    log = w.as_("super1").get(w.url(f"/cases/{cid}/read-log")).json()
    seen = {(e["actor"], e["view"]) for e in log if e["what"] == "case_file"}
    assert {(u, "full") for u in FULL} <= seen
    assert {(u, "masked") for u in MASKED} <= seen
    assert {(u, "refused") for u in REFUSED} <= seen
    assert all(e["at"] for e in log) and ("outsider", "refused") not in seen
    assert w.as_("coord1").get(w.url(f"/cases/{cid}/read-log")).status_code == 403


def test_case_lists_follow_the_same_rule(world: World, assigned: dict[str, Any]) -> None:
    w = world
    other = w.new_case(party_list=[{"role": "client", "kind": "person", "name": "马秀英"},
                                   {"role": "adverse", "kind": "person", "name": "马建国"}])
    ids = lambda user: [c["id"] for c in w.as_(user).get(w.url("/cases")).json()]  # noqa: E731
    assert ids("intake1") == [assigned["id"], other["id"]]
    assert ids("lawyer1") == ids("student1") == [assigned["id"]]
    assert ids("lawyer2") == [] and ids("vol1") == []
    masked = w.as_("coord1").get(w.url("/cases")).json()
    assert [c["clients"] for c in masked] == [["张**"], ["马**"]]
    log = w.as_("super1").get(w.url(f"/cases/{other['id']}/read-log")).json()
    assert {(e["actor"], e["what"], e["view"]) for e in log} >= {("intake1", "case_list", "full"),
                                                                  ("coord1", "case_list", "masked")}


def test_generic_instance_endpoints_obey_the_rule(world: World, assigned: dict[str, Any]) -> None:
    w = world
    iid = assigned["instance_id"]
    base = f"/programmes/{PID}/instances/{iid}"
    for user in ("super1", "intake1", "lawyer1", "student1"):
        assert w.as_(user).get(base).status_code == 200, user
        assert w.as_(user).get(base + "/log").status_code == 200, user
    for user in ("coord1", "admin1", "lawyer2", "leader1", "vol1"):
        assert w.as_(user).get(base).status_code == 403, user
        assert w.as_(user).get(base + "/log").status_code == 403, user
        r = w.as_(user).post(base + "/fire", json={"trigger": "end_aid", "payload": {}})
        assert r.status_code == 403, user
    log = w.as_("super1").get(w.url(f"/cases/{assigned['id']}/read-log")).json()
    views = {(e["actor"], e["what"], e["view"]) for e in log if e["what"].startswith("instance")}
    assert {("lawyer1", "instance", "full"), ("lawyer1", "instance_log", "full")} <= views
    for user in ("coord1", "admin1", "lawyer2", "leader1"):  # a refused look is logged as refused, never masked
        assert {(user, "instance", "refused"), (user, "instance_log", "refused"),
                (user, "instance_fire", "refused")} <= views, user
    assert not any(view == "masked" for _, what, view in views if what != "instance_list")


def test_released_member_loses_access(world: World, assigned: dict[str, Any]) -> None:
    w = world
    view = w.case(assigned["id"]).json()
    student = next(m for m in view["members"] if m["name"] == "周同学")
    r = w.as_("super1").delete(w.url(f"/cases/{assigned['id']}/members/{student['id']}"))
    assert r.status_code == 200, r.text
    assert w.case(assigned["id"], "student1").status_code == 403
