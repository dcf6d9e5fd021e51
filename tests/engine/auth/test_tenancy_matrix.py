"""Tenancy of the shared registry: a programme sees a person only after they joined it; an
organisation may enrol someone who joined another of its programmes; nobody else's people exist.

Three programmes: ``demo-full`` (home) and ``demo-sister`` run by one organisation, ``demo-foreign``
by another. F joined only the foreign one, S only the sister, H only home. Every endpoint that
returns or acts on a person by id is asked about each of them by every home role.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests_support import PASSWORD, bring_to, make_users

HOME, SISTER, FOREIGN = "demo-full", "demo-sister", "demo-foreign"
P = f"/programmes/{HOME}"
F = {"name": "外机构人", "id_number": "440803199003151230", "phone": "13800138001"}
S = {"name": "姊妹站人", "id_number": "11010519491231002X", "phone": "13800138002"}
H = {"name": "本站人", "id_number": "440803198506120028", "phone": "13800138003"}
HOME_ROLES = ("admin1", "coord1", "leader1", "super1", "vol1")

# (method, path with {vid}, json body with {vid}) — every endpoint that returns or acts on a person by id
BY_ID: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", f"{P}/volunteers/{{vid}}", None),
    ("POST", f"{P}/enrolments", {"volunteer_id": "{vid}"}),
    ("GET", f"{P}/records/export?volunteer_id={{vid}}", None),
    ("GET", f"{P}/records/export?volunteer_id={{vid}}&format=csv", None),
    ("GET", f"{P}/records?volunteer_id={{vid}}", None),
    ("POST", f"{P}/records", {"volunteer_id": "{vid}", "started_at": "2026-02-01T09:00",
                              "ended_at": "2026-02-01T10:00"}),
    ("GET", f"{P}/totals/volunteers/{{vid}}", None),
    ("GET", f"{P}/balances/{{vid}}", None),
    ("GET", f"{P}/levels/{{vid}}", None),
    ("GET", f"{P}/ledger?volunteer_id={{vid}}", None),
    ("GET", f"{P}/honours?volunteer_id={{vid}}", None),
    ("POST", f"{P}/honours", {"volunteer_id": "{vid}", "title": "优秀志愿者", "awarded_on": "2026-12-05"}),
    ("POST", f"{P}/assignments", {"shift_id": "{shift}", "volunteer_id": "{vid}"}),
]


def _fill(value: Any, vid: int, shift: int) -> Any:
    if isinstance(value, dict):
        return {k: _fill(v, vid, shift) for k, v in value.items()}
    if value == "{vid}":
        return vid
    if value == "{shift}":
        return shift
    return value.replace("{vid}", str(vid)) if isinstance(value, str) else value


def _variant(pid: str, org: str) -> str:
    text = (Path(__file__).resolve().parents[2] / "programmes" / "demo_full.yaml").read_text(encoding="utf-8")
    return text.replace("id: demo-full", f"id: {pid}", 1).replace("organisation: {name: 测试志愿服务站}",
                                                                 f"organisation: {{name: {org}}}", 1)


@pytest.fixture
def world(api: Any, eng: Any, demo: Any) -> dict[str, Any]:
    eng.load(_variant(SISTER, "测试志愿服务站"), filename="sister.yaml")
    eng.load(_variant(FOREIGN, "另一个机构"), filename="foreign.yaml")
    make_users(eng, HOME)
    bring_to(eng, HOME, "service")  # projects, rosters and records open (docs/stages.md)
    with eng.session() as s:
        for username, pid in (("fcoord", FOREIGN), ("scoord", SISTER)):
            u = eng.auth.create_user(s, username, PASSWORD)
            eng.auth.grant(s, u, pid, "coordinator", known_roles=set(eng.programme(pid, s).config.roles))
    ids = {}
    for who, pid, person in (("fcoord", FOREIGN, F), ("scoord", SISTER, S), ("coord1", HOME, H)):
        r = api.as_(who).post(f"/programmes/{pid}/volunteers", json=person)
        assert r.status_code == 201, r.text
        ids[person["name"]] = r.json()["volunteer"]["id"]
    coord = api.as_("coord1")
    project = coord.post(f"{P}/projects", json={"name": "助餐点"}).json()["id"]
    post = coord.post(f"{P}/projects/{project}/posts", json={"name": "送餐员"}).json()["id"]
    shift = coord.post(f"{P}/posts/{post}/shifts", json={"starts_at": "2026-12-20T09:00",
                                                         "ends_at": "2026-12-20T11:00"}).json()["id"]
    return {"F": ids[F["name"]], "S": ids[S["name"]], "H": ids[H["name"]], "shift": shift,
            "clients": {u: api.as_(u) for u in HOME_ROLES}}


def _leaks(body: str, person: dict[str, str]) -> list[str]:
    return [v for v in (person["name"], person["id_number"], person["phone"], person["id_number"][6:14]) if v in body]


def test_no_home_role_reaches_a_person_who_did_not_join_home(world: dict[str, Any]) -> None:
    wrong: list[str] = []
    for label, person in (("F", F), ("S", S)):
        vid = world[label]
        for user, client in world["clients"].items():
            for method, path, body in BY_ID:
                if label == "S" and path.endswith("/enrolments"):
                    continue  # the sister programme's person: the organisation may enrol them (below)
                r = client.request(method, _fill(path, vid, world["shift"]), json=_fill(body, vid, world["shift"]))
                if r.status_code not in (403, 404):
                    wrong.append(f"{user} {method} {path} about {label}: {r.status_code} {r.text[:120]}")
                if _leaks(r.text, person):
                    wrong.append(f"{user} {method} {path} leaks {_leaks(r.text, person)} of {label}")
    assert wrong == [], "\n".join(wrong)


def test_an_unknown_id_and_another_organisations_person_get_the_same_answer(world: dict[str, Any]) -> None:
    coord = world["clients"]["coord1"]
    foreign = coord.post(f"{P}/enrolments", json={"volunteer_id": world["F"]})
    unused = coord.post(f"{P}/enrolments", json={"volunteer_id": 999_999})
    assert foreign.status_code == unused.status_code == 404
    assert foreign.json()["detail"]["message"].replace(str(world["F"]), "N") == \
        unused.json()["detail"]["message"].replace("999999", "N")


def test_lists_and_searches_show_only_people_who_joined(world: dict[str, Any]) -> None:
    for user in ("admin1", "coord1", "leader1", "super1"):
        c = world["clients"][user]
        listed = c.get(f"{P}/volunteers", params={"limit": 500}).json()
        assert [v["id"] for v in listed["items"]] == [world["H"]], user
        assert c.get(f"{P}/volunteers", params={"q": F["name"]}).json()["total"] == 0
        assert {e["volunteer_id"] for e in c.get(f"{P}/enrolments").json()["items"]} == {world["H"]}


def test_the_organisation_enrols_someone_from_its_other_programme(world: dict[str, Any]) -> None:
    coord = world["clients"]["coord1"]
    assert coord.get(f"{P}/volunteers/{world['S']}").status_code == 404  # not joined home yet
    r = coord.post(f"{P}/enrolments", json={"volunteer_id": world["S"]})
    assert r.status_code == 201, r.text
    assert coord.get(f"{P}/volunteers/{world['S']}").json()["volunteer"]["name"] == S["name"]


def test_registering_another_organisations_id_number_reveals_nothing_and_enrols_nobody(
        world: dict[str, Any], eng: Any) -> None:
    coord = world["clients"]["coord1"]
    r = coord.post(f"{P}/volunteers", json={"name": "随便写", "id_number": F["id_number"], "phone": "13900000000"})
    assert r.status_code == 202 and r.json()["status"] == "invited"
    assert _leaks(r.text, F) == [] and str(world["F"]) not in r.text
    assert coord.get(f"{P}/volunteers/{world['F']}").status_code == 404  # still not enrolled
    with_account = coord.post(f"{P}/volunteers", json={**F, "account": {"username": "grab", "password": PASSWORD}})
    assert with_account.status_code == 202 and _leaks(with_account.text, F) == []
    from sqlalchemy import select

    from engine.notify.models import Notification
    from engine.store.models import User
    with eng.session() as s:
        assert s.scalar(select(User.id).where(User.username == "grab")) is None  # no account made
        sent = s.scalars(select(Notification).where(Notification.to_volunteer_id == world["F"])).all()
        assert {n.template for n in sent} == {"recruitment.invitation"}  # the person is told, once


def test_a_masked_reader_sees_an_age_not_the_birth_date(world: dict[str, Any]) -> None:
    leader = world["clients"]["leader1"].get(f"{P}/volunteers/{world['H']}").json()["volunteer"]
    coord = world["clients"]["coord1"].get(f"{P}/volunteers/{world['H']}").json()["volunteer"]
    assert leader["masked"] and leader["id_number"] == "4****************8" and leader["birth_date"] is None
    assert leader["age"] == coord["age"] > 18 and coord["birth_date"] == "1985-06-12"
    assert "19850612" not in str(leader)
