"""The needs endpoints over real HTTP: record, list ranked, report, link, fire; 422 and 403."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tests_support import Api, make_users

from engine.core import VolunteerEngine
from engine.testing import advance_to

BASE = "/programmes/demo-full"


USERS = {"admin": "admin1", "coord": "coord1", "leader": "leader1", "super": "super1", "vol": "vol1",
         "outsider": "outsider"}


class Clients(dict[str, httpx.Client]):
    """Logged-in clients by role, each logging in on first use (a login hashes a password: slow)."""

    def __init__(self, api: Api) -> None:
        super().__init__()
        self.api = api

    def __missing__(self, role: str) -> httpx.Client:
        client = self[role] = self.api.as_(USERS[role])
        return client


@pytest.fixture
def clients(eng: VolunteerEngine, demo: Any, api: Api) -> dict[str, httpx.Client]:
    make_users(eng, demo.id)
    return Clients(api)


def test_record_list_and_show(clients: dict[str, Any], figures: dict[str, Any]) -> None:
    leader = clients["leader"]
    ids = {}
    for key, fields in figures.items():
        r = leader.post(f"{BASE}/needs", json=fields)
        assert r.status_code == 201, r.text
        ids[key] = r.json()["id"]
        assert r.json()["state"] == "open" and r.json()["created_by"] == "leader1"
    listed = clients["vol"].get(f"{BASE}/needs").json()  # every member reads
    assert [(n["title"], n["score"], n["rank"]) for n in listed] == [
        ("独居老人送餐", 80.0, 1), ("四点半课堂", 64.72, 2), ("康复训练陪伴", 28.92, 3)]
    assert listed[0]["source_title"] == "入户走访 Home visit"
    one = clients["super"].get(f"{BASE}/needs/{ids['课业']}").json()
    assert (one["rank"], one["state_title"], one["projects"]) == (2, "待处理 Open", [])
    by_urgency = clients["coord"].get(f"{BASE}/needs", params={"sort": "urgency"}).json()
    assert [n["urgency"] for n in by_urgency] == [5, 3, 2]
    kids = clients["coord"].get(f"{BASE}/needs", params={"beneficiary_group": "留守儿童"}).json()
    assert [(n["title"], n["rank"]) for n in kids] == [("四点半课堂", 2)]
    patched = clients["coord"].patch(f"{BASE}/needs/{ids['康复']}", json={"urgency": 5, "people_affected": 200})
    assert patched.status_code == 200, patched.text
    assert patched.json()["rank"] == 1  # f=0.5, u=1, p=1 → 0.15+0.4+0.3 = 85
    assert patched.json()["score"] == 85.0


def test_validation_names_the_field(clients: dict[str, Any], figures: dict[str, Any]) -> None:
    coord = clients["coord"]
    bad = {**figures["送餐"], "frequency": 6, "source": "rumour"}
    r = coord.post(f"{BASE}/needs", json=bad)
    assert r.status_code == 422
    fields = {tuple(e["field"].split(".")) for e in r.json()["detail"]["problems"]}
    assert fields == {("body", "frequency"), ("body", "source")}
    r = coord.post(f"{BASE}/needs", json={**figures["送餐"], "people_affected": 0})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "body.people_affected"
    need = coord.post(f"{BASE}/needs", json=figures["送餐"]).json()
    r = coord.patch(f"{BASE}/needs/{need['id']}", json={"title": None})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "title"
    assert coord.get(f"{BASE}/needs", params={"sort": "colour"}).status_code == 422


def test_vocabulary_from_the_programme(eng: VolunteerEngine, api: Api) -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[3] / "programmes" / "demo_full.yaml").read_text(encoding="utf-8")
    text = text.replace("id: demo-full", "id: demo-vocab") + "needs:\n  beneficiary_groups: [空巢老人, 留守儿童]\n"
    eng.load(text, filename="vocab.yaml")
    make_users(eng, "demo-vocab")
    coord = api.as_("coord1")
    need = dict(title="x", beneficiary_group="外星人", category="c", source="data", frequency=1, urgency=1,
                people_affected=1)
    r = coord.post("/programmes/demo-vocab/needs", json=need)
    assert r.status_code == 422
    assert r.json()["detail"]["field"] == "beneficiary_group"
    assert "空巢老人" in r.json()["detail"]["message"]
    assert coord.post("/programmes/demo-vocab/needs", json={**need, "beneficiary_group": "留守儿童"}).status_code == 201


def test_roles(clients: dict[str, Any], figures: dict[str, Any]) -> None:
    for who in ("vol", "super"):
        r = clients[who].post(f"{BASE}/needs", json=figures["送餐"])
        assert r.status_code == 403, who
        assert r.json()["detail"]["required_roles"] == ["admin", "coordinator", "team_leader"]
    assert clients["outsider"].get(f"{BASE}/needs").status_code == 403
    assert clients["vol"].get(f"{BASE}/needs").json() == []  # nothing was written by the refusals
    need = clients["leader"].post(f"{BASE}/needs", json=figures["送餐"]).json()
    assert clients["leader"].post(f"{BASE}/needs/{need['id']}/projects", json={"project_id": 1}).status_code == 403
    assert clients["leader"].post(f"{BASE}/needs/{need['id']}/fire", json={"trigger": "drop"}).status_code == 403


def test_link_and_fire_over_http(eng: VolunteerEngine, clients: dict[str, Any], figures: dict[str, Any]) -> None:
    coord = clients["coord"]
    need = coord.post(f"{BASE}/needs", json=figures["送餐"]).json()
    r = coord.post(f"{BASE}/needs/{need['id']}/fire", json={"trigger": "plan"})
    assert r.status_code == 422
    assert r.json()["detail"]["reasons"] == ["该需求尚无对应项目 / no project answers this need yet"]
    # projects are designed from 设计项目 on (docs/stages.md)
    refused = coord.post(f"{BASE}/projects", json={"name": "情暖夕阳"})
    assert refused.status_code == 409 and "start_design" in refused.json()["detail"]["message"]
    advance_to(eng, "demo-full", "design")
    project = coord.post(f"{BASE}/projects", json={"name": "情暖夕阳"}).json()
    linked = coord.post(f"{BASE}/needs/{need['id']}/projects", json={"project_id": project["id"]})
    assert linked.status_code == 200
    assert linked.json()["projects"] == [{"id": project["id"], "name": "情暖夕阳"}]
    # the generic endpoint works on the same instance
    inst = need["instance_id"]
    r = coord.post(f"{BASE}/instances/{inst}/fire", json={"trigger": "plan", "expected_version": need["instance_version"]})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "planned"
    assert coord.get(f"{BASE}/needs/{need['id']}").json()["state"] == "planned"
    r = coord.delete(f"{BASE}/needs/{need['id']}/projects/{project['id']}")
    assert r.status_code == 409
    r = coord.post(f"{BASE}/needs/{need['id']}/fire", json={"trigger": "meet"})
    assert r.status_code == 200 and r.json()["state"] == "met"
    assert coord.post(f"{BASE}/needs/{need['id']}/fire", json={"trigger": "plan"}).status_code == 409
    answered = coord.get(f"{BASE}/needs", params={"project_id": project["id"]}).json()
    assert [n["id"] for n in answered] == [need["id"]]


def test_report_json_and_markdown(eng: VolunteerEngine, clients: dict[str, Any], figures: dict[str, Any]) -> None:
    coord = clients["coord"]
    for fields in figures.values():
        coord.post(f"{BASE}/needs", json=fields)
    coord.post(f"{BASE}/needs", json={**figures["康复"], "title": "助残出行 | 陪同", "people_affected": 4})
    advance_to(eng, "demo-full", "design")
    project = coord.post(f"{BASE}/projects", json={"name": "情暖夕阳", "need_ids": [1]}).json()
    report = clients["vol"].get(f"{BASE}/needs/report").json()
    totals = report["totals"]
    assert (totals["needs"], totals["people_affected"], totals["answered"]) == (4, 225, 1)
    assert totals["by_category"] == [{"key": "生活照料", "needs": 3, "people_affected": 205},
                                     {"key": "教育辅导", "needs": 1, "people_affected": 20}]
    groups = {g["key"]: (g["needs"], g["people_affected"]) for g in totals["by_beneficiary_group"]}
    assert groups == {"空巢老人": (1, 200), "留守儿童": (1, 20), "残疾人": (2, 5)}
    assert {s["key"]: s["title"] for s in totals["by_source"]}["expert"] == "专家咨询 Expert advice"
    assert totals["by_state"] == {"open": 4}
    assert report["ranked"][0]["projects"] == [{"id": project["id"], "name": "情暖夕阳"}]
    assert report["weights"] == {"frequency": 0.3, "urgency": 0.4, "people_affected": 0.3}
    r = clients["vol"].get(f"{BASE}/needs/report.md")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/markdown")
    md = r.text
    assert "《需求分析报告》" in md and "Needs analysis report" in md
    assert "| 1 | 独居老人送餐 | 空巢老人 | 生活照料 | 5 | 3 | 200 | 80.00 | 待处理 Open | 情暖夕阳 |" in md
    assert "助残出行 \\| 陪同" in md  # a | in user text does not break the table
    assert "| 残疾人 | 2 | 5 |" in md
