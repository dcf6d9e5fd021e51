"""The same lifecycle over real HTTP, restarting the service between steps; and the errors people meet."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest
import vol_plan_demo
from tests_support import PASSWORD, make_users

from engine.core import VolunteerEngine
from engine.http.app import create_app
from engine.testing import LiveServer, database_url_for_tests, make_host

PROGRAMME = (Path(__file__).parents[1] / "programmes" / "demo.yaml").read_text(encoding="utf-8")
STEPS = ["start_design", "open_recruitment", "start_training", "start_service", "finish_service", "grant_rewards"]


@pytest.fixture
def url(tmp_path: Path):
    u, cleanup = database_url_for_tests(tmp_path)
    yield u
    cleanup()


def _serve(url: str) -> tuple[VolunteerEngine, LiveServer]:
    eng = VolunteerEngine(url, host=make_host([("demo", vol_plan_demo)]))
    return eng, LiveServer(create_app(eng))


def _client(base: str, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=base + "/api/v1", headers=headers, timeout=30)


def _token(base: str, username: str) -> str:
    with _client(base) as c:
        r = c.post("/auth/token", data={"username": username, "password": PASSWORD})
        assert r.status_code == 200, r.text
        return r.json()["access_token"]


def test_http_drives_the_lifecycle_to_closed_across_restarts(url: str) -> None:
    eng, server = _serve(url)
    with eng.session() as s:
        eng.auth.create_user(s, "root", PASSWORD, superuser=True)
        eng.auth.create_user(s, "coord1", PASSWORD)
        eng.auth.create_user(s, "vol1", PASSWORD)
    with server:
        root = _token(server.url, "root")
        with _client(server.url, root) as c:
            r = c.post("/programmes", json={"yaml": PROGRAMME, "filename": "demo.yaml"})
            assert r.status_code == 201, r.text
            for user, role in (("coord1", "coordinator"), ("vol1", "volunteer")):
                assert c.post("/programmes/demo-programme/members", json={"username": user, "role": role}).status_code == 201
        coord = _token(server.url, "coord1")
        vol = _token(server.url, "vol1")
    eng.db.dispose()

    for step in STEPS:
        eng, server = _serve(url)  # a fresh process-like start: new engine, new app, same database
        with server, _client(server.url, coord) as c:
            lc = c.get("/programmes/demo-programme/lifecycle").json()
            assert step in [t["trigger"] for t in lc["available"]]
            r = c.post(f"/programmes/demo-programme/instances/{lc['id']}/fire",
                       json={"trigger": step, "expected_version": lc["version"]})
            assert r.status_code == 200, r.text
        eng.db.dispose()

    eng, server = _serve(url)
    with server:
        with _client(server.url, vol) as v:
            lc = v.get("/programmes/demo-programme/lifecycle").json()
            assert lc["state"] == "rewards"
            r = v.post(f"/programmes/demo-programme/instances/{lc['id']}/fire", json={"trigger": "close"})
            assert r.status_code == 403 and "allowed: admin" in r.json()["detail"]["message"]
        with _client(server.url, root) as c:
            iid = lc["id"]
            blocked = c.get("/programmes/demo-programme/lifecycle").json()["blocked"]
            assert blocked == [{"trigger": "close", "title": "结项 Close the programme", "to": "closed",
                                "reasons": ["请写明说明 / a note is required"], "roles": ["admin"],
                                "allowed_for_you": True}]
            r = c.post(f"/programmes/demo-programme/instances/{iid}/fire", json={"trigger": "close"})
            assert r.status_code == 422 and r.json()["detail"]["reasons"] == ["请写明说明 / a note is required"]
            r = c.post(f"/programmes/demo-programme/instances/{iid}/fire",
                       json={"trigger": "close", "payload": {"note": "结项报告已提交"}})
            assert r.status_code == 200 and r.json()["state"] == "closed"
            log = c.get(f"/programmes/demo-programme/instances/{iid}/log").json()
    eng.db.dispose()
    story = [(e["trigger"], e["from"], e["to"], e["outcome"]) for e in log]
    assert story == [("__start__", "", "needs", "done"),
                     ("start_design", "needs", "design", "done"),
                     ("open_recruitment", "design", "recruitment", "done"),
                     ("start_training", "recruitment", "training", "done"),
                     ("start_service", "training", "service", "done"),
                     ("finish_service", "service", "records", "done"),
                     ("grant_rewards", "records", "rewards", "done"),
                     ("close", "rewards", None, "refused"),
                     ("close", "rewards", "closed", "done")]
    assert {e["actor"] for e in log[1:7]} == {"coord1"} and log[-1]["actor"] == "root"


def test_bad_requests_get_clear_4xx(api, eng) -> None:
    eng.load(PROGRAMME, filename="demo.yaml")
    make_users(eng, "demo-programme")
    anon = api.anonymous()
    assert anon.get("/programmes").status_code == 401
    assert anon.post("/auth/token", data={"username": "coord1", "password": "wrong-password"}).status_code == 401
    c = api.as_("coord1")
    r = c.get("/programmes/nope")
    assert r.status_code == 404 and "no programme 'nope'" in r.json()["detail"]["message"]
    assert api.as_("outsider").get("/programmes/demo-programme").status_code == 403
    lc = c.get("/programmes/demo-programme/lifecycle").json()
    r = c.post(f"/programmes/demo-programme/instances/{lc['id']}/fire", json={"trigger": "close"})
    assert r.status_code == 409 and "from state 'needs'" in r.json()["detail"]["message"]
    r = c.post(f"/programmes/demo-programme/instances/{lc['id']}/fire", json={"trigger": "start_design",
                                                                           "expected_version": 7})
    assert r.status_code == 409 and "version 1, not 7" in r.json()["detail"]["message"]
    r = c.post(f"/programmes/demo-programme/instances/{lc['id']}/fire", json={"trigger": ""})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "body.trigger"
    r = c.post("/programmes", json={"yaml": PROGRAMME})
    assert r.status_code == 403  # only operators load programmes
    root = api.as_("root")
    r = root.post("/programmes", json={"yaml": "id: x\nname: [", "filename": "broken.yaml"})
    assert r.status_code == 422 and r.json()["detail"]["problems"][0]["file"] == "broken.yaml"
    assert c.get("/programmes/demo-programme/lifecycle").json()["version"] == 1  # nothing changed


def test_two_coordinators_press_the_same_button(api, eng) -> None:
    """Exactly one wins; the other gets a conflict; the log has one row for it (SQLite and PostgreSQL)."""
    eng.load(PROGRAMME, filename="demo.yaml")
    make_users(eng, "demo-programme", {"coordinator": "coord1", "admin": "admin1"})
    clients = [api.as_("coord1"), api.as_("admin1")]
    iid = clients[0].get("/programmes/demo-programme/lifecycle").json()["id"]
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def press(c: httpx.Client) -> None:
        barrier.wait()
        codes.append(c.post(f"/programmes/demo-programme/instances/{iid}/fire",
                            json={"trigger": "start_design", "expected_version": 1}).status_code)

    for _ in range(5):  # several rounds, to catch a race that only shows sometimes
        threads = [threading.Thread(target=press, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(codes) == [200, 409], codes
        log = clients[0].get(f"/programmes/demo-programme/instances/{iid}/log").json()
        assert [e["trigger"] for e in log if e["outcome"] == "done"].count("start_design") == 1
        # reset for the next round: a fresh programme instance is simplest through the store
        with eng.session() as s:
            from sqlalchemy import delete, update

            from engine.store.models import TransitionLog, WorkflowInstance

            s.execute(delete(TransitionLog).where(TransitionLog.instance_id == iid, TransitionLog.trigger != "__start__"))
            s.execute(update(WorkflowInstance).where(WorkflowInstance.id == iid).values(state="needs", version=1))
        codes.clear()
