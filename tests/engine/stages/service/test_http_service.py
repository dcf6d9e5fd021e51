"""The service stage over real HTTP: roles, refusals with reasons, check-in by code (retries and a
burst of duplicates), the sweep and confirmation, hour reports and incidents."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from sqlalchemy import func, select
from svc_helpers import Site
from tests_support import PASSWORD, make_users

from engine.stages.design.models import Shift
from engine.stages.service import roster
from engine.stages.service.models import Checkin


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@pytest.fixture
def world(eng: Any, prog: Any, site: Site) -> dict[str, Any]:
    """vol1 and vol2 have volunteer profiles; a shift that started 10 minutes ago, and one that
    ended three hours ago (for the sweep)."""
    make_users(eng, prog.id)
    with eng.session() as s:
        u2 = eng.auth.create_user(s, "vol2", PASSWORD)
        eng.auth.grant(s, u2, prog.id, "volunteer", known_roles=set(prog.config.roles))
        post = site.post(s, site.project(s), "入口引导员", category="routine")
        now = utcnow()
        running = site.shift(s, post, now - dt.timedelta(minutes=10), 240, capacity=5)
        past = site.shift(s, post, now - dt.timedelta(hours=7), 240, capacity=5)
        v1 = site.ready(s, post, "张三", user_id=eng.auth.user(s, "vol1").id)
        v2 = site.ready(s, post, "李四", user_id=u2.id)
        outsider = site.volunteer(s, "王五")
        return {"post": post.id, "running": running.id, "code": running.checkin_code, "past": past.id,
                "v1": v1.id, "v2": v2.id, "outsider": outsider.id}


def assign(api: Any, prog: Any, shift: int, vid: int) -> dict[str, Any]:
    r = api.as_("coord1").post(f"/programmes/{prog.id}/assignments", json={"shift_id": shift, "volunteer_id": vid})
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_assignments_over_http(api: Any, prog: Any, world: dict[str, Any]) -> None:
    base = f"/programmes/{prog.id}/assignments"
    vol = api.as_("vol1")
    assert vol.post(base, json={"shift_id": world["running"], "volunteer_id": world["v1"]}).status_code == 403
    coord = api.as_("coord1")
    r = coord.post(base, json={"shift_id": world["running"], "volunteer_id": world["outsider"]})
    assert r.status_code == 422
    assert r.json()["detail"]["reasons"] == [
        "尚未与岗位「入口引导员」签订志愿服务协议（未报名 / no application）/ no agreed application to post "
        "'入口引导员': it must be in state agreed or active"]
    assert coord.post(base, json={"shift_id": world["running"], "volunteer_id": 0}).status_code == 422
    a1 = assign(api, prog, world["running"], world["v1"])
    assign(api, prog, world["running"], world["v2"])
    assert [a["id"] for a in vol.get(base).json()] == [a1["id"]]
    assert vol.get(base, params={"volunteer_id": world["v2"]}).status_code == 403
    assert coord.post(f"{base}/{a1['id']}/no-show").json()["status"] == "no_show"
    sub = coord.post(f"{base}/{a1['id']}/substitute", json={"volunteer_id": world["outsider"]})
    assert sub.status_code == 422  # the substitute needs an agreement too
    assert coord.delete(f"{base}/{a1['id']}").status_code == 409  # a no-show is not cancelled


def test_checkin_by_code_retry_and_burst(eng: Any, api: Any, prog: Any, world: dict[str, Any]) -> None:
    a1 = assign(api, prog, world["running"], world["v1"])
    a2 = assign(api, prog, world["running"], world["v2"])
    vol = api.as_("vol1")
    first = vol.post(f"/programmes/{prog.id}/checkin", json={"code": world["code"]})
    again = vol.post(f"/programmes/{prog.id}/checkin", json={"code": world["code"]})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and first.json()["assignment_id"] == a1["id"]
    assert vol.post(f"/programmes/{prog.id}/checkin", json={"code": "wrong"}).status_code == 404
    assert api.as_("outsider").post(f"/programmes/{prog.id}/checkin", json={"code": world["code"]}).status_code == 403

    # vol2's phone fires twelve requests at once: one row, one 201
    clients = [api.as_("vol2") for _ in range(12)]
    statuses: list[int] = []
    barrier = threading.Barrier(len(clients))

    def go(c: Any) -> None:
        barrier.wait()
        statuses.append(c.post(f"/programmes/{prog.id}/checkin", json={"code": world["code"]}).status_code)

    threads = [threading.Thread(target=go, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] * 11 + [201]
    with eng.session() as s:
        assert s.scalar(select(func.count()).select_from(Checkin).where(Checkin.assignment_id == a2["id"])) == 1

    out = vol.post(f"/programmes/{prog.id}/checkout", json={"code": world["code"]})
    assert out.status_code == 200 and out.json()["record_id"] is not None
    mine = vol.get(f"/programmes/{prog.id}/records").json()
    assert [r["id"] for r in mine] == [out.json()["record_id"]] and mine[0]["captured"] == "checkin"
    assert vol.get(f"/programmes/{prog.id}/records", params={"volunteer_id": world["v2"]}).status_code == 403


def test_sweep_unconfirmed_confirm(eng: Any, api: Any, prog: Any, world: dict[str, Any]) -> None:
    a = assign_past(eng, api, prog, world)
    coord = api.as_("coord1")
    base = f"/programmes/{prog.id}"
    assert api.as_("vol1").post(f"{base}/service/sweep").status_code == 403
    closed = coord.post(f"{base}/service/sweep").json()["closed"]
    assert len(closed) == 1
    listed = coord.get(f"{base}/checkins/unconfirmed").json()
    assert [(x["id"], x["assignment_id"], x["auto_closed"], x["record_id"], x["volunteer_name"]) for x in listed] == [
        (closed[0], a, True, None, "张三")]
    assert api.as_("vol1").get(f"{base}/records").json() == []  # not counted
    shift_end = dt.datetime.fromisoformat(listed[0]["shift_ends_at"])
    r = coord.post(f"{base}/checkins/{closed[0]}/confirm",
                   json={"checked_out_at": (shift_end - dt.timedelta(minutes=30)).isoformat()})
    assert r.status_code == 200, r.text
    assert r.json()["minutes"] == 210 and r.json()["confirmed_by"] == "coord1"
    assert coord.get(f"{base}/checkins/unconfirmed").json() == []
    assert coord.post(f"{base}/checkins/{closed[0]}/confirm", json={}).status_code == 409


def assign_past(eng: Any, api: Any, prog: Any, world: dict[str, Any]) -> int:
    """vol1 on the shift that ended three hours ago (rostered the day before), checked in at its start."""
    with eng.session() as s:
        a = roster.assign(s, prog, eng.host, world["past"], world["v1"], actor="coord1",
                          now=utcnow() - dt.timedelta(hours=8))
        aid = a.id
        starts = s.get(Shift, world["past"]).starts_at
    r = api.as_("coord1").post(f"/programmes/{prog.id}/assignments/{aid}/checkin", json={"at": starts.isoformat()})
    assert r.status_code == 201, r.text
    return aid


def test_hour_reports_over_http(api: Any, prog: Any, world: dict[str, Any]) -> None:
    base = f"/programmes/{prog.id}"
    vol, coord = api.as_("vol1"), api.as_("coord1")
    start = (utcnow() - dt.timedelta(days=1)).replace(microsecond=0)
    r = vol.post(f"{base}/hour-reports", json={"started_at": start.isoformat(),
                                               "ended_at": (start + dt.timedelta(minutes=75)).isoformat(),
                                               "content": "社区巡逻 patrol"})
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    assert vol.get(f"{base}/totals/volunteers/{world['v1']}").json()["minutes"] == 0
    assert vol.post(f"{base}/hour-reports/{rid}/approve", json={}).status_code == 403
    assert coord.post(f"{base}/hour-reports/{rid}/approve", json={"note": "属实"}).json()["status"] == "approved"
    assert vol.get(f"{base}/totals/volunteers/{world['v1']}").json()["minutes"] == 75
    assert vol.get(f"{base}/totals/volunteers/{world['v2']}").status_code == 403
    bad = vol.post(f"{base}/hour-reports", json={"started_at": start.isoformat(), "ended_at": start.isoformat(),
                                                 "content": "x"})
    assert bad.status_code == 422


def test_incidents_over_http(api: Any, prog: Any, world: dict[str, Any]) -> None:
    base = f"/programmes/{prog.id}/incidents"
    vol = api.as_("vol2")
    body = {"category": "medical", "description": "观众中暑晕倒", "shift_id": world["running"]}
    assert vol.post(base, json=body).status_code == 403  # not on duty: not rostered on a running shift
    assign(api, prog, world["running"], world["v2"])
    r = vol.post(base, json=body)
    assert r.status_code == 201 and r.json()["level"] == "ordinary"
    iid = r.json()["id"]
    assert vol.post(base, json={**body, "category": "ufo"}).status_code == 422
    assert vol.post(f"{base}/{iid}/escalate", json={}).status_code == 403
    leader = api.as_("leader1")
    levels = [leader.post(f"{base}/{iid}/escalate", json={}).json()["level"] for _ in range(3)]
    assert levels == ["team_leader", "group_head", "hq"]
    top = leader.post(f"{base}/{iid}/escalate", json={})
    assert top.status_code == 409 and "top level" in top.json()["detail"]["message"]
    grouped = leader.get(f"{base}/open").json()
    assert [i["id"] for i in grouped["hq"]] == [iid]
    shown = vol.get(f"{base}/{iid}").json()
    assert [e["kind"] for e in shown["events"]] == ["reported", "escalated", "escalated", "escalated"]
    assert leader.post(f"{base}/{iid}/resolve", json={"note": "送医疗点"}).json()["status"] == "resolved"
