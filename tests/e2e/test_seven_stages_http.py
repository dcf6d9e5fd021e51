"""The example community programme through all seven stages over real HTTP, as a coordinator and a
volunteer would do it (runs on SQLite and, with VOLUNTEER_DATABASE_URL, on PostgreSQL):

needs recorded and ranked → project and posts designed → volunteer registers and applies → screened
and accepted → trained → rostered → checks in and out (twice, to prove idempotency) → record verified
→ points and stars → redeems an item → programme closes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from tests_support import PASSWORD

EXAMPLE = Path(__file__).parents[2] / "examples" / "community.yaml"
P = "/programmes/haibin-2026"
ID_NUMBER = "440803199003150019"
TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime.now(TZ).replace(second=0, microsecond=0, tzinfo=None) - dt.timedelta(minutes=1)
TODAY = NOW.date().isoformat()


def iso(t: dt.datetime) -> str:
    return t.isoformat(timespec="minutes")


def programme_text() -> str:
    """The example as shipped, with its period moved to the current year so the shift can be today."""
    text = EXAMPLE.read_text(encoding="utf-8")
    return text.replace("period: {start: 2026-01-01, end: 2026-12-31}",
                        f"period: {{start: {NOW.year}-01-01, end: {NOW.year}-12-31}}")  # valid GB 11643 number: male, born 1990-03-15


def ok(r: httpx.Response, status: int = 200) -> dict:
    assert r.status_code == status, f"{r.request.method} {r.request.url}: {r.status_code} {r.text}"
    return r.json()


def fire_lifecycle(c: httpx.Client, trigger: str) -> dict:
    lc = ok(c.get(f"{P}/lifecycle"))
    return ok(c.post(f"{P}/instances/{lc['id']}/fire", json={"trigger": trigger, "expected_version": lc["version"]}))


def test_community_programme_runs_all_seven_stages(api, eng) -> None:
    with eng.session() as s:
        eng.auth.create_user(s, "root", PASSWORD, superuser=True)
        eng.auth.create_user(s, "coord1", PASSWORD, display_name="陈协调员")
        eng.auth.create_user(s, "zhangwei", PASSWORD, display_name="张伟")
    root = api.as_("root")
    ok(root.post("/programmes", json={"yaml": programme_text(), "filename": "community.yaml"}), 201)
    for user, role in (("coord1", "coordinator"), ("zhangwei", "volunteer")):
        ok(root.post(f"{P}/members", json={"username": user, "role": role}), 201)
    c, v = api.as_("coord1"), api.as_("zhangwei")

    # 1. needs (采集需求): recorded from a home visit and a survey, ranked by urgency, frequency, reach
    blocked = ok(c.get(f"{P}/lifecycle"))["blocked"]
    assert "0 need(s) recorded" in blocked[0]["reasons"][0]
    flood = ok(c.post(f"{P}/needs", json={
        "title": "汛期独居老人转移", "beneficiary_group": "空巢老人", "category": "应急处置", "source": "home_visit",
        "frequency": 3, "urgency": 5, "people_affected": 40, "node": "g1"}), 201)
    ok(c.post(f"{P}/needs", json={
        "title": "楼道卫生", "beneficiary_group": "全体居民", "category": "环境卫生", "source": "survey",
        "frequency": 2, "urgency": 1, "people_affected": 20, "node": "g2"}), 201)
    ranked = ok(c.get(f"{P}/needs"))
    assert ranked[0]["title"] == "汛期独居老人转移" and ranked[0]["rank"] == 1
    assert fire_lifecycle(c, "start_design")["state"] == "design"

    # 2. design (设计项目): a project answering the need, an emergency post that needs safety training
    project = ok(c.post(f"{P}/projects", json={"name": "防汛应急转移", "kind": "emergency", "node": "g1",
                                               "need_ids": [flood["id"]]}), 201)
    post = ok(c.post(f"{P}/projects/{project['id']}/posts", json={
        "name": "转移引导员", "capacity": 4, "category": "emergency", "min_age": 18, "max_age": 60,
        "required_courses": ["safety"]}), 201)
    # a shift running now (started 8 h ago), so that check-in and check-out happen for real
    start = NOW - dt.timedelta(hours=8)
    shift = ok(c.post(f"{P}/posts/{post['id']}/shifts", json={
        "starts_at": iso(start), "ends_at": iso(NOW + dt.timedelta(hours=1)), "capacity": 4,
        "place": "海滨一路 1 栋"}), 201)
    assert fire_lifecycle(c, "open_recruitment")["state"] == "recruitment"

    # 3. recruitment (招募注册): the volunteer registers himself (real-name fields) and applies
    me = ok(v.post(f"{P}/volunteers/me", json={
        "name": "张伟", "id_number": ID_NUMBER, "phone": "13800138000", "skills": ["急救"], "node": "g1-b1",
        "availability": "周末全天"}), 201)
    vid = me["volunteer"]["id"] if "volunteer" in me else me["id"]
    again = v.post(f"{P}/volunteers/me", json={"name": "张伟", "id_number": ID_NUMBER, "phone": "13800138000"})
    assert again.status_code == 200 and again.json()["existing"] is True  # the same person, found
    app = ok(v.post(f"{P}/applications", json={"post_id": post["id"]}), 201)
    aid = app["id"]
    for trigger in ("screen", "offer"):
        ok(c.post(f"{P}/applications/{aid}/fire", json={"trigger": trigger}))
    refused = v.post(f"{P}/applications/{aid}/fire", json={"trigger": "agree"})
    assert refused.status_code == 422 and "志愿服务协议书" in refused.text  # the agreement must be on record
    ok(c.post(f"{P}/agreements", json={"application_id": aid, "signed_on": TODAY}), 201)
    ok(v.post(f"{P}/applications/{aid}/fire", json={"trigger": "agree"}))
    ok(c.post(f"{P}/applications/{aid}/fire", json={"trigger": "activate"}))
    assert fire_lifecycle(c, "start_training")["state"] == "training"

    # 4. training (组织培训): rostering is refused until the required course is completed
    course = ok(c.post(f"{P}/courses", json={"code": "safety", "title": "安全知识", "tier": "junior", "hours": "2"}), 201)
    r = c.post(f"{P}/assignments", json={"shift_id": shift["id"], "volunteer_id": vid})
    assert r.status_code == 422 and "安全知识" in r.text
    ok(c.post(f"{P}/completions", json={"course_id": course["id"], "volunteer_id": vid, "completed_on": (NOW - dt.timedelta(days=2)).date().isoformat()}), 201)

    # 5. service (开展服务): rostered, checks in and out — twice each, to prove a retry never counts twice
    a = ok(c.post(f"{P}/assignments", json={"shift_id": shift["id"], "volunteer_id": vid}), 201)
    assert fire_lifecycle(c, "start_service")["state"] == "service"
    first = ok(c.post(f"{P}/assignments/{a['id']}/checkin", json={"at": iso(start - dt.timedelta(minutes=5))}), 201)
    second = c.post(f"{P}/assignments/{a['id']}/checkin", json={"at": iso(start - dt.timedelta(minutes=2))})
    assert second.status_code == 200 and second.json()["id"] == first["id"]
    out1 = ok(c.post(f"{P}/assignments/{a['id']}/checkout", json={"at": iso(NOW), "rating": 5}))
    out2 = ok(c.post(f"{P}/assignments/{a['id']}/checkout", json={"at": iso(NOW), "rating": 5}))
    assert out1["record_id"] == out2["record_id"] and out1["minutes"] == 485  # 8 h 5 min
    # and a service last week that the coordinator enters from the paper sign-in sheet (签到表)
    last_week = (NOW - dt.timedelta(days=7)).replace(hour=8, minute=0)
    entered = ok(c.post(f"{P}/records", json={
        "volunteer_id": vid, "project_id": project["id"], "post_id": post["id"], "started_at": iso(last_week),
        "ended_at": iso(last_week + dt.timedelta(minutes=485)), "rating": 4, "content": "协助转移独居老人",
        "verify": False}), 201)
    record_ids = [out1["record_id"], entered["id"]]
    assert fire_lifecycle(c, "finish_service")["state"] == "records"

    # 6. records (记录台账): verified by the coordinator; a volunteer sees only their own
    blocked = ok(c.get(f"{P}/lifecycle"))["blocked"]
    assert "2 service record(s) not verified" in " ".join(blocked[0]["reasons"])
    ok(c.post(f"{P}/records/verify", json={"ids": record_ids}))
    mine = ok(v.get(f"{P}/records"))
    assert sorted(r["id"] for r in mine) == sorted(record_ids) and all(r["verified_by"] == "coord1" for r in mine)
    totals = ok(c.get(f"{P}/totals/volunteers/{vid}"))
    assert totals["minutes"] == 970 and totals["records"] == 2
    assert fire_lifecycle(c, "grant_rewards")["state"] == "rewards"

    # 7. rewards (激励嘉许): points by seed 001, computed by hand:
    #    emergency → high_risk 3 points/hour: 485 min = 8.0833 h → 24.25 each (rounded to 0.01)
    #    the 5-star record earns 10 % more: 2.43 (24.25 × 0.1 = 2.425, half up); first service +5
    #    24.25 + 2.43 + 5 + 24.25 = 55.93 spendable points; stars: 16.2 h < 100 h → none yet
    balances = {b["unit"]: Decimal(str(b["amount"])) for b in ok(v.get(f"{P}/balances"))}
    assert balances["points"] == Decimal("55.93")
    level = ok(c.get(f"{P}/levels/{vid}"))
    assert level["level"] is None
    items = {i["code"]: i for i in ok(c.get(f"{P}/catalogue"))}
    love = v.post(f"{P}/redemptions", json={"item_id": items["health-check"]["id"]})
    assert love.status_code == 403 and "骨干" in love.text  # love rewards are for backbone volunteers only
    red = ok(v.post(f"{P}/redemptions", json={"item_id": items["gym-1h"]["id"]}), 201)
    ok(c.post(f"{P}/redemptions/{red['id']}/fire", json={"trigger": "approve"}))
    ok(c.post(f"{P}/redemptions/{red['id']}/fire", json={"trigger": "fulfil"}))
    balances = {b["unit"]: Decimal(str(b["amount"])) for b in ok(v.get(f"{P}/balances"))}
    assert balances["points"] == Decimal("5.93")
    short = v.post(f"{P}/redemptions", json={"item_id": items["gym-1h"]["id"]})
    assert short.status_code == 409 and "5.93" in short.text  # never negative; the message gives the figures

    # the programme closes, and the report tells the year
    assert fire_lifecycle(root, "close")["state"] == "closed"
    report = ok(c.get(f"{P}/report"))
    titles = [s["title"] for s in report["sections"]]
    assert "志愿者与服务时长 Volunteers and hours" in titles and len(titles) > 4
