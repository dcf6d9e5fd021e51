"""The coordinator's pages: log in, see the stage and what blocks the next step, press the button."""

from __future__ import annotations

from pathlib import Path

import httpx
from tests_support import PASSWORD, make_users

PROGRAMME = Path(__file__).parents[2] / "programmes" / "demo_full.yaml"


def _login(api, username: str) -> httpx.Client:
    c = httpx.Client(base_url=api.url, timeout=60, follow_redirects=True)
    r = c.post("/login", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200 and "退出 Log out" in r.text
    return c


def test_coordinator_sees_reasons_and_fires_from_the_page(api, eng) -> None:
    eng.load(PROGRAMME)
    make_users(eng, "demo-full")
    c = _login(api, "coord1")
    try:
        page = c.get("/p/demo-full")
        assert page.status_code == 200
        assert "已记录 0 条需求，至少需要 1 条" in page.text  # the guard's own words
        assert 'class="current">采集需求 Needs' in page.text
        # record a need through the service, then the button works
        from engine.stages.needs.models import Need

        with eng.session() as s:
            s.add(Need(programme_id="demo-full", title="独居老人助餐", beneficiary_group="空巢老人", category="助餐",
                       source="home_visit", frequency=5, urgency=4, people_affected=30, created_by="coord1"))
        r = c.post("/p/demo-full/fire", data={"trigger": "start_design", "version": 1, "note": "需求已排序"})
        assert r.status_code == 200 and "已进入 设计项目 Project design" in r.text
        assert 'class="current">设计项目 Project design' in r.text
        # a stale button (the page was open before someone else moved on) is refused, nothing moves
        r = c.post("/p/demo-full/fire", data={"trigger": "start_design", "version": 1})
        assert "class=\"err\"" in r.text and 'class="current">设计项目 Project design' in r.text
    finally:
        c.close()


def test_pages_need_login_and_membership(api, eng) -> None:
    eng.load(PROGRAMME)
    make_users(eng, "demo-full")
    with httpx.Client(base_url=api.url, timeout=60) as anon:
        assert anon.get("/p/demo-full").status_code == 303
        home = anon.get("/")  # nothing about what the server runs: no programmes, no plan types
        assert home.status_code == 200 and "demo-full" not in home.text and "demo" not in home.text
        bad = anon.post("/login", data={"username": "coord1", "password": "nope-nope"})
        assert bad.status_code == 401 and "用户名或密码错误" in bad.text and "error=" not in bad.headers.get("location", "")
    c = _login(api, "outsider")
    assert c.get("/p/demo-full").status_code == 403
    assert "demo-full" not in c.get("/").text  # a logged-in person sees only their own programmes
    c.close()
