"""The event programme over HTTP (one live server): organisation, permit (条例第十二至十四条) as a
guard on start_service, the auto-roster, and incidents reported, acknowledged and refused by role."""

from __future__ import annotations

from tests_support import PASSWORD, make_users


def test_event_over_http(eng, prog, api) -> None:  # type: ignore[no-untyped-def]
    from tests_support import bring_to

    make_users(eng, prog.id, {"admin": "admin1", "coordinator": "coord1", "team_leader": "leader1",
                              "volunteer": "vol1"})
    admin, vol, leader = api.as_("admin1"), api.as_("vol1"), api.as_("leader1")
    base = f"/programmes/{prog.id}/event"
    org = vol.get(base + "/organisation").json()
    assert org["groups"][1]["teams"][0]["code"] == "patrol-north"
    r = admin.get(base + "/permit")
    need = r.json()["need"]
    assert need["required"] and need["article"] == "第十二条" and need["file_by"] == "2010-04-11"
    assert "city-level" in need["authority"]  # 6,249 > 5,000
    assert vol.get(base + "/permit").status_code == 403
    # the lifecycle refuses service until the permit is recorded as granted
    import pytest

    with pytest.raises(AssertionError, match="safety permit"):
        bring_to(eng, prog.id, "service")
    r = admin.put(base + "/permit", json={"filed_on": "2010-04-01", "accepted_on": "2010-04-02"})
    assert r.status_code == 200 and r.json()["recorded"]["decision_due"] == "2010-04-09"  # 第十四条: 7 days
    assert admin.put(base + "/permit", json={"decision": "granted"}).status_code == 422  # needs decided_on
    assert admin.put(base + "/permit", json={"filed_on": "2010-04-05", "accepted_on": "2010-04-02"}).status_code == 422
    r = admin.put(base + "/permit", json={"filed_on": "2010-04-01", "accepted_on": "2010-04-02",
                                          "decided_on": "2010-04-08", "decision": "granted", "number": "沪公许 001"})
    assert r.status_code == 200
    bring_to(eng, prog.id, "service")
    # the auto-roster: a coordinator may run it, a volunteer may not
    assert vol.post(base + "/auto-roster", json={}).status_code == 403
    r = api.as_("coord1").post(base + "/auto-roster", json={"time_limit": 2})
    assert r.status_code == 200 and {"needed", "filled", "bound", "unfilled"} <= set(r.json())
    # incidents
    r = vol.post(base + "/incidents", json={"category": "lost_person", "description": "走失儿童 / lost child",
                                            "gov_grade": "general", "warning_colour": "blue"})
    assert r.status_code == 201, r.text
    iid = r.json()["id"]
    assert vol.post(base + f"/incidents/{iid}/acknowledge").status_code == 403
    r = leader.post(base + f"/incidents/{iid}/acknowledge")
    assert r.status_code == 200 and r.json()["acknowledged_by"] == "leader1"
    assert vol.post(base + "/incidents", json={"category": "fire", "description": "x",
                                               "warning_colour": "purple"}).status_code == 422
    assert api.anonymous().get(base + "/organisation").status_code == 401
    assert PASSWORD
