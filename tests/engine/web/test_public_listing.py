"""The anonymous start page lists the open shifts of programmes that chose ``recruitment.public``
— post, time, place, free places — and nothing of any other programme, and no person."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import httpx
from tests_support import PASSWORD, bring_to, make_users

DEMO = Path(__file__).resolve().parents[2] / "programmes" / "demo_full.yaml"


def _variant(pid: str, name: str, public: bool) -> str:
    text = DEMO.read_text(encoding="utf-8").replace("id: demo-full", f"id: {pid}", 1)
    text = text.replace("name: 演示项目（完整）Demo programme with all guards", f"name: {name}", 1)
    return text + f"\nrecruitment: {{public: {'true' if public else 'false'}}}\n"


def _shift(api: Any, pid: str, post: str, place: str, capacity: int = 3) -> None:
    coord = api.as_("coord1")
    base = f"/programmes/{pid}"
    project = coord.post(f"{base}/projects", json={"name": "社区服务"}).json()["id"]
    post_id = coord.post(f"{base}/projects/{project}/posts", json={"name": post}).json()["id"]
    day = dt.date.today() + dt.timedelta(days=3)
    r = coord.post(f"{base}/posts/{post_id}/shifts", json={"starts_at": f"{day}T09:00", "ends_at": f"{day}T11:00",
                                                           "place": place, "capacity": capacity})
    assert r.status_code == 201, r.text


def test_only_public_programmes_show_their_open_shifts(api: Any, eng: Any) -> None:
    eng.load(_variant("open-prog", "公开的项目", True), filename="open.yaml")
    eng.load(_variant("closed-prog", "内部项目", False), filename="closed.yaml")
    for pid in ("open-prog", "closed-prog"):
        bring_to(eng, pid, "service")  # shifts are designed and rostered from the service stage (docs/stages.md)
    with eng.session() as s:
        known = set(eng.programme("open-prog", s).config.roles)
        u = eng.auth.create_user(s, "coord1", PASSWORD)
        for pid in ("open-prog", "closed-prog"):
            eng.auth.grant(s, u, pid, "coordinator", known_roles=known)
    _shift(api, "open-prog", "图书整理员", "海滨图书馆")
    _shift(api, "closed-prog", "机密岗位", "内部会议室")
    coord = api.as_("coord1")
    r = coord.post("/programmes/open-prog/volunteers", json={"name": "李秘密", "id_number": "440803199003151230",
                                                              "phone": "13800138000"})
    assert r.status_code == 201
    with httpx.Client(base_url=api.url, timeout=60) as anon:
        home = anon.get("/").text
    assert "公开的项目" in home and "图书整理员" in home and "海滨图书馆" in home
    assert "内部项目" not in home and "机密岗位" not in home and "closed-prog" not in home
    assert "李秘密" not in home and "13800138000" not in home


def test_nothing_is_listed_when_no_programme_is_public(api: Any, eng: Any, demo: Any) -> None:
    make_users(eng, demo.id)
    bring_to(eng, demo.id, "service")
    _shift(api, demo.id, "送餐员", "老年食堂")
    with httpx.Client(base_url=api.url, timeout=60) as anon:
        home = anon.get("/").text
    assert "送餐员" not in home and "demo-full" not in home and "老年食堂" not in home
