"""Recruitment over real HTTP: roles, masking, self-registration, the application flow, the import."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from recruitment_helpers import (
    SAMPLE_X,
    add_post,
    as_csv,
    as_xlsx,
    local_today,
    make_id,
    person,
    register,
    roster,
    years_ago,
)
from tests_support import make_users

BASE = "/programmes/demo-full"


class Clients(dict[str, httpx.Client]):
    """Logged-in clients by username, each logging in on first use (password hashing is slow)."""

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


def body(name: str = "张三", birth: dt.date = dt.date(1990, 3, 7), seq: int = 1, **extra: Any) -> dict[str, Any]:
    return {"name": name, "id_number": make_id(birth, seq), "phone": "13800138000", **extra}


def test_register_then_register_again_finds_the_record(c):
    r = c["coord1"].post(f"{BASE}/volunteers", json=body(skills=["急救"]))
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["existing"] is False and first["volunteer"]["id_number"] == make_id(dt.date(1990, 3, 7), 1)
    r = c["coord1"].post(f"{BASE}/volunteers", json=body(phone="13900139000"))
    assert r.status_code == 200 and r.json()["existing"] is True
    assert r.json()["volunteer"]["id"] == first["volunteer"]["id"]
    assert r.json()["differences"] == [{"field": "phone", "stored": "13800138000", "submitted": "13900139000"}]
    assert r.json()["volunteer"]["phone"] == "13800138000"


def test_invalid_id_number_is_422_naming_the_field_and_stores_nothing(c):
    r = c["coord1"].post(f"{BASE}/volunteers", json=body() | {"id_number": "110105194912310021"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "id_number"
    assert "校验码" in r.json()["detail"]["message"]
    r = c["coord1"].post(f"{BASE}/volunteers", json=body() | {"id_number": SAMPLE_X, "gender": "男"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "gender"
    r = c["coord1"].post(f"{BASE}/volunteers", json=body() | {"phone": ""})
    assert r.status_code == 422  # pydantic: phone is required
    assert c["coord1"].get(f"{BASE}/volunteers").json()["total"] == 0


@pytest.mark.parametrize("user", ["leader1", "super1", "vol1", "outsider"])
def test_only_admin_and_coordinator_register_others(c, user):
    assert c[user].post(f"{BASE}/volunteers", json=body()).status_code == 403


def test_masking_per_role(c):
    vid = c["coord1"].post(f"{BASE}/volunteers", json=body()).json()["volunteer"]["id"]
    full, masked = make_id(dt.date(1990, 3, 7), 1), make_id(dt.date(1990, 3, 7), 1)[:1] + "*" * 16 + \
        make_id(dt.date(1990, 3, 7), 1)[-1:]
    for user, shown, phone in (("admin1", full, "13800138000"), ("coord1", full, "13800138000"),
                               ("super1", full, "13800138000"), ("leader1", masked, "138****8000")):
        item = c[user].get(f"{BASE}/volunteers").json()["items"][0]
        assert (item["id_number"], item["phone"]) == (shown, phone), user
        one = c[user].get(f"{BASE}/volunteers/{vid}").json()["volunteer"]
        assert one["id_number"] == shown
    assert c["vol1"].get(f"{BASE}/volunteers").status_code == 403
    assert c["vol1"].get(f"{BASE}/volunteers/{vid}").status_code == 403
    assert c["outsider"].get(f"{BASE}/volunteers/{vid}").status_code == 403


def test_self_registration_and_own_record_unmasked(c):
    assert c["vol1"].get(f"{BASE}/volunteers/me").status_code == 404
    r = c["vol1"].post(f"{BASE}/volunteers/me", json=body(name="志愿者一", seq=3))
    assert r.status_code == 201 and r.json()["enrolment"]["source"] == "self"
    vid = r.json()["volunteer"]["id"]
    me = c["vol1"].get(f"{BASE}/volunteers/me").json()
    assert me["volunteer"]["id_number"] == make_id(dt.date(1990, 3, 7), 3) and me["volunteer"]["phone"] == "13800138000"
    assert c["vol1"].get(f"{BASE}/volunteers/{vid}").json()["volunteer"]["masked"] is False
    assert c["vol1"].post(f"{BASE}/volunteers/me", json=body(name="志愿者一", seq=3)).status_code == 200
    assert c["leader1"].post(f"{BASE}/volunteers/me", json=body(seq=4)).status_code == 403  # no volunteer role
    found = c["coord1"].get(f"{BASE}/volunteers", params={"q": "志愿者"}).json()
    assert found["total"] == 1 and found["items"][0]["has_account"] is True


def test_search_parameters(c):
    c["coord1"].post(f"{BASE}/volunteers", json=body(name="王小明", seq=1, unit="综治办", skills=["急救"]))
    c["coord1"].post(f"{BASE}/volunteers", json=body(name="李华", seq=2, unit="物业", skills=["翻译"]))
    names = [v["name"] for v in c["super1"].get(f"{BASE}/volunteers", params={"skill": "翻译"}).json()["items"]]
    assert names == ["李华"]
    assert c["coord1"].get(f"{BASE}/volunteers", params={"unit": "综治"}).json()["total"] == 1
    assert c["coord1"].get(f"{BASE}/volunteers", params={"limit": 0}).status_code == 422


def _fire(client: httpx.Client, app_id: int, trigger: str) -> httpx.Response:
    return client.post(f"{BASE}/applications/{app_id}/fire", json={"trigger": trigger})


def test_application_flow_over_http(c, eng, demo):
    post = add_post(eng, demo.id)
    c["vol1"].post(f"{BASE}/volunteers/me", json=body(name="志愿者一", seq=3))
    other = c["coord1"].post(f"{BASE}/volunteers", json=body(name="他人", seq=5)).json()["volunteer"]["id"]
    r = c["vol1"].post(f"{BASE}/applications", json={"post_id": post})
    assert r.status_code == 201, r.text
    app = r.json()
    assert app["state"] == "applied" and app["eligible"] is True and app["reasons"] == []
    assert {t["trigger"] for t in app["available"]} == {"withdraw"}
    aid = app["id"]
    theirs = c["coord1"].post(f"{BASE}/applications", json={"post_id": post, "volunteer_id": other}).json()["id"]
    assert c["vol1"].post(f"{BASE}/applications", json={"post_id": post, "volunteer_id": other}).status_code == 403

    assert _fire(c["leader1"], aid, "screen").status_code == 403
    assert _fire(c["super1"], aid, "screen").status_code == 403
    assert _fire(c["coord1"], aid, "screen").json()["state"] == "screened"
    assert _fire(c["leader1"], aid, "interview").json()["state"] == "interviewed"
    assert _fire(c["coord1"], aid, "offer").json()["state"] == "offered"
    r = _fire(c["vol1"], aid, "agree")
    assert r.status_code == 422 and "志愿服务协议书" in r.json()["detail"]["reasons"][0]
    assert c["vol1"].post(f"{BASE}/agreements", json={"application_id": aid,
                                                      "signed_on": str(local_today())}).status_code == 403
    r = c["coord1"].post(f"{BASE}/agreements", json={"application_id": aid, "signed_on": str(local_today())})
    assert r.status_code == 201, r.text
    view = c["vol1"].get(f"{BASE}/applications/{aid}").json()
    assert "agree" in {t["trigger"] for t in view["available"]} and view["agreement_id"] == r.json()["id"]
    assert _fire(c["vol1"], aid, "agree").json()["state"] == "agreed"
    assert _fire(c["vol1"], aid, "activate").status_code == 403
    assert _fire(c["coord1"], aid, "activate").json()["state"] == "active"

    assert _fire(c["vol1"], theirs, "withdraw").status_code == 403
    assert c["vol1"].get(f"{BASE}/applications/{theirs}").status_code == 403
    mine = c["vol1"].get(f"{BASE}/applications").json()
    assert [a["id"] for a in mine["items"]] == [aid]
    listed = c["super1"].get(f"{BASE}/applications", params={"post_id": post, "state": "active"}).json()
    assert [a["id"] for a in listed["items"]] == [aid]
    log = c["coord1"].get(f"/programmes/demo-full/instances/{view['instance_id']}/log").json()
    assert [x["outcome"] for x in log if x["trigger"] == "agree"] == ["refused", "done"]


def test_ineligible_applicant_gets_422_with_reasons(c, eng, demo):
    post = add_post(eng, demo.id)
    vid = c["coord1"].post(f"{BASE}/volunteers", json=body(birth=years_ago(17))).json()["volunteer"]["id"]
    r = c["coord1"].post(f"{BASE}/applications", json={"post_id": post, "volunteer_id": vid})
    assert r.status_code == 422
    assert "第十五条" in r.json()["detail"]["reasons"][0] and r.json()["detail"]["field"] == "post_id"
    assert c["coord1"].get(f"{BASE}/applications").json()["total"] == 0


def test_import_over_http(c):
    rows = roster(4)
    rows[1][4] = "0759-3991212"  # a landline in the mobile column
    files = {"file": ("units.xlsx", as_xlsx(rows), "application/octet-stream")}
    r = c["coord1"].post(f"{BASE}/volunteers/import", files=files, data={"unit": "物业公司"})
    assert r.status_code == 422
    report = r.json()["detail"]["report"]
    assert report["stored"] is False and [(e["row"], e["column"]) for e in report["errors"]] == [(4, "手机号（必填）")]
    assert c["coord1"].get(f"{BASE}/volunteers").json()["total"] == 0
    r = c["coord1"].post(f"{BASE}/volunteers/import", files=files,
                         data={"unit": "物业公司", "mode": "good_rows", "dry_run": "true"})
    assert r.status_code == 200 and r.json()["stored"] is False and r.json()["created"] == 3
    r = c["coord1"].post(f"{BASE}/volunteers/import", files=files, data={"unit": "物业公司", "mode": "good_rows"})
    assert r.status_code == 200 and r.json()["created"] == 3 and r.json()["error_rows"] == 1
    enrolments = c["coord1"].get(f"{BASE}/enrolments", params={"source": "batch:物业公司"}).json()
    assert enrolments["total"] == 3
    csv_files = {"file": ("units.csv", as_csv(roster(2, start=10)), "text/csv")}
    assert c["leader1"].post(f"{BASE}/volunteers/import", files=csv_files, data={"unit": "x"}).status_code == 403
    assert c["coord1"].post(f"{BASE}/volunteers/import", files=csv_files,
                            data={"unit": "x", "mode": "bad"}).status_code == 422


def test_enrolments_endpoint(c, eng):
    other = eng.load((eng.programme("demo-full").source_text.replace("id: demo-full", "id: demo-two")),
                     filename="two.yaml")
    vid = register(eng, other, person(seq=9)).volunteer.id
    r = c["coord1"].post(f"{BASE}/enrolments", json={"volunteer_id": vid})
    assert r.status_code == 201 and r.json()["created"] is True
    assert c["coord1"].post(f"{BASE}/enrolments", json={"volunteer_id": vid}).status_code == 200
    assert c["leader1"].post(f"{BASE}/enrolments", json={"volunteer_id": vid}).status_code == 403
    assert c["vol1"].get(f"{BASE}/enrolments").status_code == 404  # not registered yet
