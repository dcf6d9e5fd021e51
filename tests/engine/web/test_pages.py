"""The page basics: logging in and out, CSRF, who may see what, the anonymous start page, the
lifecycle on the coordinator's dashboard (the guards' own words) and firing from it."""

from __future__ import annotations

from pathlib import Path

import httpx
from tests_support import PASSWORD, make_users
from web_support import Browser

PROGRAMME = Path(__file__).parents[2] / "programmes" / "demo_full.yaml"


def test_coordinator_sees_reasons_and_fires_from_the_page(api, eng) -> None:
    eng.load(PROGRAMME)
    make_users(eng, "demo-full")
    c = Browser(api.url).login("coord1")
    try:
        page = c.get("/p/demo-full")
        assert page.status_code == 200
        assert "已记录 0 条需求，至少需要 1 条" in page.text  # the guard's own words
        assert 'aria-current="step">采集需求 Needs' in page.text
        from engine.stages.needs.models import Need

        with eng.session() as s:
            s.add(Need(programme_id="demo-full", title="独居老人助餐", beneficiary_group="空巢老人", category="助餐",
                       source="home_visit", frequency=5, urgency=4, people_affected=30, created_by="coord1"))
        r = c.post("/p/demo-full/fire", {"trigger": "start_design", "version": 1, "note": "需求已排序"})
        assert r.status_code == 200 and "设计项目 Project design" in r.text
        assert 'aria-current="step">设计项目 Project design' in r.text
        # a stale button (someone moved on meanwhile) is refused with the reason; nothing moves
        r = c.post("/p/demo-full/fire", {"trigger": "start_design", "version": 1})
        assert r.status_code == 422 and 'role="alert"' in r.text
        assert 'aria-current="step">设计项目 Project design' in r.text
    finally:
        c.close()


def test_pages_need_login_membership_and_csrf(api, eng) -> None:
    eng.load(PROGRAMME)
    make_users(eng, "demo-full")
    with httpx.Client(base_url=api.url, timeout=60) as anon:
        r = anon.get("/p/demo-full")
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        home = anon.get("/?message=hacked&error=%3Cscript%3E")  # nothing from the address is shown
        assert home.status_code == 200
        assert "demo-full" not in home.text and "hacked" not in home.text and "<script>" not in home.text
        # a form without its CSRF token is refused and nobody is logged in
        r = anon.post("/login", data={"username": "coord1", "password": PASSWORD})
        assert r.status_code == 403 and "ve_token" not in r.cookies
    b = Browser(api.url)
    bad = b.post("/login", {"username": "coord1", "password": "nope-nope"})
    assert bad.status_code == 401 and 'id="err-password"' in bad.text and 'value="coord1"' in bad.text
    b.login("outsider")
    assert b.get("/p/demo-full").status_code == 403
    # a post from another site is refused even with a token
    r = b.c.post("/logout", data={"csrf": b.csrf}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    b.post("/logout")
    assert b.get("/p/demo-full").url.path == "/login"
    b.close()


def test_bearer_tokens_still_work_and_cookies_do_not_open_the_api(api, eng) -> None:
    eng.load(PROGRAMME)
    make_users(eng, "demo-full")
    assert api.as_("coord1").get("/programmes/demo-full/lifecycle").status_code == 200
    b = Browser(api.url).login("coord1")
    assert b.c.get("/api/v1/programmes/demo-full/lifecycle").status_code == 401  # the API wants a bearer token
    b.close()


def test_language_switch(api, eng) -> None:
    eng.load(PROGRAMME)
    make_users(eng, "demo-full")
    b = Browser(api.url).login("coord1")
    zh = b.get("/p/demo-full")
    assert 'lang="zh-CN"' in zh.text and "退出" in zh.text
    en = b.post("/lang", {"lang": "en", "next": "/p/demo-full"})
    assert en.url.path == "/p/demo-full" and 'lang="en"' in en.text and "Log out" in en.text
    b.close()
