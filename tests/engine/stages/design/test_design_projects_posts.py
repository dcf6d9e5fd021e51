"""Projects and posts over HTTP: needs linked, dates checked, age ranges ordered, course warnings, roles."""

from __future__ import annotations

from typing import Any

import httpx

from engine.core import VolunteerEngine
from engine.stages.training.models import Course

BASE = "/programmes/term-demo"
NEED = {"title": "四点半课堂", "beneficiary_group": "留守儿童", "category": "教育辅导", "source": "survey",
        "frequency": 4, "urgency": 4, "people_affected": 30}


def test_project_answers_needs(clients: dict[str, httpx.Client]) -> None:
    coord = clients["coord"]
    need = clients["leader"].post(f"{BASE}/needs", json=NEED).json()
    r = coord.post(f"{BASE}/projects", json={"name": "四点半课堂", "kind": "periodic", "need_ids": [need["id"]],
                                             "start_date": "2026-09-01", "end_date": "2027-01-15"})
    assert r.status_code == 201, r.text
    project = r.json()
    assert project["needs"] == [{"id": need["id"], "title": "四点半课堂"}]
    assert (project["kind_title"], project["posts"], project["created_by"]) == \
        ("定期服务 Periodic (e.g. monthly) service", 0, "coord1")
    assert clients["vol"].get(f"{BASE}/needs/{need['id']}").json()["projects"] == \
        [{"id": project["id"], "name": "四点半课堂"}]
    r = coord.patch(f"{BASE}/projects/{project['id']}", json={"name": "四点半课堂（秋）", "description": "作业辅导",
                                                               "end_date": "2027-01-20"})
    assert r.status_code == 200
    assert (r.json()["name"], r.json()["description"], r.json()["end_date"]) == ("四点半课堂（秋）", "作业辅导",
                                                                                 "2027-01-20")
    assert [p["id"] for p in clients["vol"].get(f"{BASE}/projects", params={"kind": "periodic"}).json()] == \
        [project["id"]]
    assert clients["vol"].get(f"{BASE}/projects", params={"kind": "daily"}).json() == []


def test_project_validation(clients: dict[str, httpx.Client]) -> None:
    coord = clients["coord"]
    r = coord.post(f"{BASE}/projects", json={"name": "x", "start_date": "2026-10-01", "end_date": "2026-09-01"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "body.end_date"
    r = coord.post(f"{BASE}/projects", json={"name": "x", "kind": "weekly"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "body.kind"
    r = coord.post(f"{BASE}/projects", json={"name": "x", "start_date": "2026-07-01"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "start_date"  # before the programme period
    r = coord.post(f"{BASE}/projects", json={"name": "x", "need_ids": [42]})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "need_ids"
    assert coord.get(f"{BASE}/projects").json() == []  # refused requests left nothing behind
    project = coord.post(f"{BASE}/projects", json={"name": "x", "start_date": "2026-09-01"}).json()
    r = coord.patch(f"{BASE}/projects/{project['id']}", json={"end_date": "2026-08-15"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "end_date"
    r = coord.patch(f"{BASE}/projects/{project['id']}", json={"name": None})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "name"
    assert coord.get(f"{BASE}/projects/999").status_code == 404


def test_posts_requirements_and_course_warnings(eng: VolunteerEngine, term: Any,
                                                clients: dict[str, httpx.Client]) -> None:
    with eng.session() as s:
        s.add(Course(programme_id=term.id, code="safety", title="安全培训", hours=2))
    coord = clients["coord"]
    project = coord.post(f"{BASE}/projects", json={"name": "义诊"}).json()
    r = coord.post(f"{BASE}/projects/{project['id']}/posts", json={
        "name": "健康咨询", "duties": "量血压、测血糖", "capacity": 3, "category": "professional",
        "skills": ["护理"], "languages": ["粤语"], "qualifications": ["护士执业证书"], "min_age": 18, "max_age": 65,
        "required_courses": ["safety", "first_aid"], "notes": "形象气质佳 / neat appearance"})
    assert r.status_code == 201, r.text
    post = r.json()
    assert post["notes"] == "形象气质佳 / neat appearance"
    assert (post["capacity"], post["category"], post["min_age"], post["max_age"]) == (3, "professional", 18, 65)
    assert post["qualifications"] == ["护士执业证书"]
    assert len(post["warnings"]) == 1 and "first_aid" in post["warnings"][0]  # not set up yet: a warning only
    with eng.session() as s:
        s.add(Course(programme_id=term.id, code="first_aid", title="急救", hours=8))
    assert clients["vol"].get(f"{BASE}/posts/{post['id']}").json()["warnings"] == []
    assert [p["id"] for p in clients["vol"].get(f"{BASE}/posts", params={"project_id": project["id"]}).json()] == \
        [post["id"]]
    assert clients["vol"].get(f"{BASE}/projects/{project['id']}").json()["posts"] == 1
    r = coord.patch(f"{BASE}/posts/{post['id']}", json={"max_age": 70, "capacity": 5, "notes": "能久站 / on foot all day"})
    assert (r.status_code, r.json()["max_age"], r.json()["capacity"], r.json()["notes"]) == (200, 70, 5,
                                                                                              "能久站 / on foot all day")


def test_post_validation_names_the_field(clients: dict[str, httpx.Client]) -> None:
    coord = clients["coord"]
    project = coord.post(f"{BASE}/projects", json={"name": "义诊"}).json()
    url = f"{BASE}/projects/{project['id']}/posts"
    r = coord.post(url, json={"name": "x", "min_age": 60, "max_age": 18})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "body.max_age"
    r = coord.post(url, json={"name": "x", "capacity": 0})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "body.capacity"
    r = coord.post(url, json={"name": "x", "category": "High Risk!"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "body.category"
    post = coord.post(url, json={"name": "x", "min_age": 18}).json()
    r = coord.patch(f"{BASE}/posts/{post['id']}", json={"max_age": 16})  # below the stored min_age
    assert r.status_code == 422 and r.json()["detail"]["field"] == "max_age"
    assert coord.post(f"{BASE}/projects/999/posts", json={"name": "x"}).status_code == 404


def test_roles_for_projects_and_posts(clients: dict[str, httpx.Client]) -> None:
    for role in ("leader", "super", "vol"):
        r = clients[role].post(f"{BASE}/projects", json={"name": "x"})
        assert r.status_code == 403 and r.json()["detail"]["required_roles"] == ["admin", "coordinator"]
    project = clients["admin"].post(f"{BASE}/projects", json={"name": "x"}).json()
    for role in ("leader", "super", "vol"):
        assert clients[role].post(f"{BASE}/projects/{project['id']}/posts", json={"name": "x"}).status_code == 403
        assert clients[role].patch(f"{BASE}/projects/{project['id']}", json={"name": "y"}).status_code == 403
        assert clients[role].get(f"{BASE}/projects/{project['id']}").status_code == 200
    assert clients["outsider"].get(f"{BASE}/projects").status_code == 403
