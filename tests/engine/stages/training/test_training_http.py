"""Training over real HTTP: who may set up, record and read; the hours report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from recruitment_helpers import make_id
from tests_support import make_users

BASE = "/programmes/demo-full"


class Clients(dict[str, httpx.Client]):
    def __init__(self, api: Any) -> None:
        super().__init__()
        self.api = api

    def __missing__(self, username: str) -> httpx.Client:
        self[username] = self.api.as_(username)
        return self[username]


@pytest.fixture
def c(eng, demo, api) -> Clients:  # type: ignore[no-untyped-def]
    make_users(eng, demo.id)
    return Clients(api)


def _volunteer(c: Clients, seq: int, *, me: bool = False) -> int:
    data = {"name": f"志愿者{seq}", "id_number": make_id(dt.date(1990, 1, 1), seq), "phone": "13800138000"}
    r = c["vol1"].post(f"{BASE}/volunteers/me", json=data) if me else c["coord1"].post(f"{BASE}/volunteers", json=data)
    assert r.status_code == 201, r.text
    return int(r.json()["volunteer"]["id"])


def test_training_flow_and_roles(c):
    fa = {"code": "FA", "title": "应急救护 First aid", "tier": "intermediate", "hours": 8, "valid_days": 730}
    for user in ("leader1", "super1", "vol1", "outsider"):
        assert c[user].post(f"{BASE}/courses", json=fa).status_code == 403
    r = c["coord1"].post(f"{BASE}/courses", json=fa)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    assert c["coord1"].post(f"{BASE}/courses", json=fa).status_code == 409
    assert c["coord1"].post(f"{BASE}/courses", json=fa | {"code": "X1", "hours": 0}).status_code == 422
    assert [x["code"] for x in c["vol1"].get(f"{BASE}/courses").json()] == ["FA"]

    session = {"course_id": cid, "starts_at": "2025-05-10T09:00:00", "ends_at": "2025-05-10T17:00:00"}
    assert c["leader1"].post(f"{BASE}/sessions", json=session).status_code == 403
    r = c["coord1"].post(f"{BASE}/sessions", json=session)
    assert r.status_code == 201 and r.json()["hours"] == 8.0 and r.json()["starts_at"] == "2025-05-10T01:00:00+00:00"
    sid = r.json()["id"]
    assert len(c["vol1"].get(f"{BASE}/sessions", params={"course_id": cid}).json()) == 1

    me = _volunteer(c, 1, me=True)
    other = _volunteer(c, 2)
    entries = {"entries": [{"volunteer_id": me}, {"volunteer_id": other, "present": False}]}
    assert c["vol1"].post(f"{BASE}/sessions/{sid}/attendance", json=entries).status_code == 403
    r = c["coord1"].post(f"{BASE}/sessions/{sid}/attendance", json=entries)
    assert r.status_code == 200, r.text
    assert r.json()["recorded"] == 2
    assert [(x["volunteer_id"], x["completed_on"], x["expires_on"], x["valid"]) for x in r.json()["completions"]] == [
        (me, "2025-05-10", "2027-05-10", dt.date.today() < dt.date(2027, 5, 10))]

    r = c["coord1"].post(f"{BASE}/completions", json={"course_id": cid, "volunteer_id": other,
                                                      "completed_on": "2024-03-01"})
    assert r.status_code == 201 and r.json()["expires_on"] == "2026-03-01"
    assert c["leader1"].post(f"{BASE}/completions", json={"course_id": cid, "volunteer_id": other,
                                                          "completed_on": "2024-03-02"}).status_code == 403

    own = c["vol1"].get(f"{BASE}/completions").json()
    assert [x["volunteer_id"] for x in own] == [me]
    assert c["vol1"].get(f"{BASE}/completions", params={"volunteer_id": other}).status_code == 403
    theirs = c["super1"].get(f"{BASE}/completions", params={"volunteer_id": other}).json()
    assert [x["completed_on"] for x in theirs] == ["2024-03-01"]
    assert c["outsider"].get(f"{BASE}/completions").status_code == 403

    report = c["super1"].get(f"{BASE}/training/hours", params={"year": 2025}).json()
    assert [(x["volunteer_id"], x["hours"]) for x in report["items"]] == [(me, 8.0), (other, 0.0)]
    assert report["minimum_hours"] == 40 and report["meeting_minimum"] == 0
    mine = c["vol1"].get(f"{BASE}/training/hours", params={"year": 2025}).json()
    assert [x["volunteer_id"] for x in mine["items"]] == [me]
    assert c["vol1"].get(f"{BASE}/training/hours", params={"year": 2025, "volunteer_id": other}).status_code == 403
    assert c["coord1"].get(f"{BASE}/training/hours").status_code == 422  # year is required
    low = c["coord1"].get(f"{BASE}/training/hours", params={"year": 2025, "minimum": 8}).json()
    assert low["meeting_minimum"] == 1


def test_volunteer_without_registration_gets_404_for_own_records(c):
    assert c["vol1"].get(f"{BASE}/completions").status_code == 404
