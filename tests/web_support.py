"""Helpers for the page tests: a logged-in browser-like client (cookies, CSRF field) and a
community programme set up over the real API up to the point a test needs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from tests_support import PASSWORD

EXAMPLE = Path(__file__).parents[1] / "examples" / "community.yaml"
PID = "haibin-2026"
P = f"/programmes/{PID}"
TZ = ZoneInfo("Asia/Shanghai")
ID_NUMBER = "440803199003150019"  # valid GB 11643 number: male, born 1990-03-15


def now_local() -> dt.datetime:
    return dt.datetime.now(TZ).replace(second=0, microsecond=0, tzinfo=None)


def programme_text() -> str:
    year = now_local().year
    return EXAMPLE.read_text(encoding="utf-8").replace(
        "period: {start: 2026-01-01, end: 2026-12-31}", f"period: {{start: {year}-01-01, end: {year}-12-31}}")


class Browser:
    """An httpx client that behaves like a browser on our pages: keeps cookies, sends the CSRF field."""

    def __init__(self, url: str) -> None:
        self.c = httpx.Client(base_url=url, timeout=60, follow_redirects=True)
        self.csrf = ""

    def get(self, path: str, **kw) -> httpx.Response:
        r = self.c.get(path, **kw)
        m = re.search(r'name="csrf" value="([^"]+)"', r.text)
        if m:
            self.csrf = m.group(1)
        return r

    def post(self, path: str, data: dict | None = None, **kw) -> httpx.Response:
        if not self.csrf:
            self.get("/login")
        r = self.c.post(path, data={**(data or {}), "csrf": self.csrf}, **kw)
        m = re.search(r'name="csrf" value="([^"]+)"', r.text)
        if m:
            self.csrf = m.group(1)
        return r

    def login(self, username: str) -> Browser:
        self.get("/login")
        r = self.post("/login", {"username": username, "password": PASSWORD})
        assert r.status_code == 200 and "/logout" in r.text, r.text[-500:]
        return self

    def close(self) -> None:
        self.c.close()


def ok(r: httpx.Response, status: int = 200) -> dict:
    assert r.status_code == status, f"{r.request.method} {r.request.url}: {r.status_code} {r.text}"
    return r.json()


def fire_lifecycle(c: httpx.Client, trigger: str) -> dict:
    lc = ok(c.get(f"{P}/lifecycle"))
    return ok(c.post(f"{P}/instances/{lc['id']}/fire", json={"trigger": trigger, "expected_version": lc["version"]}))


def community(api, eng, *, shift_hours_ago: int = 1) -> dict:
    """The community example at recruitment, with a project, a post without required courses and a
    shift that started ``shift_hours_ago`` hours ago; accounts root, coord1 (coordinator), leader1
    (team leader) and zhangwei (volunteer). Returns ids."""
    with eng.session() as s:
        eng.auth.create_user(s, "root", PASSWORD, superuser=True)
        eng.auth.create_user(s, "coord1", PASSWORD, display_name="陈协调员")
        eng.auth.create_user(s, "leader1", PASSWORD, display_name="林组长")
        eng.auth.create_user(s, "zhangwei", PASSWORD, display_name="张伟")
    root = api.as_("root")
    ok(root.post("/programmes", json={"yaml": programme_text(), "filename": "community.yaml"}), 201)
    for user, role in (("coord1", "coordinator"), ("leader1", "team_leader"), ("zhangwei", "volunteer")):
        ok(root.post(f"{P}/members", json={"username": user, "role": role}), 201)
    c = api.as_("coord1")
    need = ok(c.post(f"{P}/needs", json={
        "title": "独居老人探访", "beneficiary_group": "空巢老人", "category": "生活照料", "source": "home_visit",
        "frequency": 3, "urgency": 4, "people_affected": 30, "node": "g1"}), 201)
    fire_lifecycle(c, "start_design")
    project = ok(c.post(f"{P}/projects", json={"name": "情暖夕阳", "kind": "daily", "node": "g1",
                                               "need_ids": [need["id"]]}), 201)
    post = ok(c.post(f"{P}/projects/{project['id']}/posts", json={
        "name": "探访陪伴", "capacity": 4, "category": "elderly_care", "skills": ["陪伴聊天"]}), 201)
    now = now_local()
    start = now - dt.timedelta(hours=shift_hours_ago)
    shift = ok(c.post(f"{P}/posts/{post['id']}/shifts", json={
        "starts_at": start.isoformat(timespec="minutes"), "ends_at": (now + dt.timedelta(hours=2)).isoformat(
            timespec="minutes"), "capacity": 4, "place": "海滨一路 1 栋"}), 201)
    fire_lifecycle(c, "open_recruitment")
    return {"project": project["id"], "post": post["id"], "shift": shift["id"], "code": shift["checkin_code"],
            "coord": c, "root": root}
