"""A volunteer's and a coordinator's journeys in a real browser on a phone-sized screen:

* volunteer: log in → register → find the opportunity and apply → check in by typing the code →
  see hours and points → redeem;
* coordinator: screen → roster → live board (updates by itself) → verify → report.

The coordinator's decisions in the volunteer's journey (and the volunteer's in the
coordinator's) go through the API, so each journey stays about one person.
"""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect
from tests_support import PASSWORD
from web_support import ID_NUMBER, PID, P, community, fire_lifecycle, ok


def _login(page, url: str, username: str, checker=None) -> None:
    page.goto(url + "/login")
    if checker:
        checker.check(page, "login")
    page.fill("#f-username", username)
    page.fill("#f-password", PASSWORD)
    page.click("button.primary")
    expect(page.locator("form[action='/logout']")).to_be_visible()


def _accept(c, aid: int) -> None:
    for trigger in ("screen", "offer"):
        ok(c.post(f"{P}/applications/{aid}/fire", json={"trigger": trigger}))
    ok(c.post(f"{P}/agreements", json={"application_id": aid, "signed_on": dt.date.today().isoformat()}), 201)


def _served_ninety_minutes(eng) -> None:
    from sqlalchemy import select

    from engine.stages.service.models import Checkin

    with eng.session() as s:
        for ci in s.scalars(select(Checkin)):
            ci.checked_in_at = ci.checked_in_at - dt.timedelta(minutes=90)


def test_volunteer(page, eng, api, checker) -> None:
    ids = community(api, eng)
    c = ids["coord"]
    ok(c.post(f"{P}/catalogue", json={"code": "tea", "title": "茶歇券 / Tea voucher", "cost": "5"}), 201)
    url = api.url
    page.goto(url + "/")
    checker.check(page, "start")
    _login(page, url, "zhangwei", checker)
    checker.check(page, "home logged in")
    page.goto(f"{url}/p/{PID}")
    checker.check(page, "my page before registering")
    page.goto(f"{url}/p/{PID}/me/register")
    page.fill("#f-name", "张伟")
    page.fill("#f-id_number", ID_NUMBER)
    page.fill("#f-phone", "13800138000")
    page.fill("#f-skills", "陪伴聊天，急救")
    page.click("button.primary")  # no consent ticked: refused, kept, said by the box
    expect(page.locator("#err-consent")).to_be_visible()
    expect(page.locator("#f-phone")).to_have_value("13800138000")
    checker.check(page, "register refused")
    page.check("#f-consent")
    page.click("button.primary")
    expect(page.locator(".notice.ok")).to_contain_text("登记成功")
    checker.check(page, "my page registered")
    page.goto(f"{url}/p/{PID}/opportunities")
    page.fill("#q-skill", "陪伴")
    page.click("form[role=search] button")
    expect(page.locator("article h2")).to_have_text("探访陪伴")
    checker.check(page, "opportunities")
    page.click("article form button.primary")
    expect(page.locator("h1")).to_contain_text("探访陪伴")
    checker.check(page, "application sent")
    aid = int(page.url.rsplit("/", 1)[1])
    _accept(c, aid)
    page.reload()
    page.click("button:has-text('签订志愿服务协议')")
    ok(c.post(f"{P}/applications/{aid}/fire", json={"trigger": "activate"}))
    vid = ok(c.get(f"{P}/volunteers", params={"q": "张伟"}))["items"][0]["id"]
    fire_lifecycle(c, "start_training")
    ok(c.post(f"{P}/assignments", json={"shift_id": ids["shift"], "volunteer_id": vid}), 201)
    fire_lifecycle(c, "start_service")
    page.goto(f"{url}/p/{PID}/me/shifts")
    checker.check(page, "my shifts")
    page.click("a.button.primary")  # check in or out
    page.fill("#f-code", "WRONG1")
    page.click("button[value=in]")
    expect(page.locator("#err-code")).to_be_visible()
    checker.check(page, "check-in refused")
    page.fill("#f-code", ids["code"])
    page.click("button[value=in]")
    expect(page.locator(".notice.ok")).to_contain_text("签到成功")
    page.goto(f"{url}/p/{PID}/scan")
    checker.check(page, "scan page")
    _served_ninety_minutes(eng)
    page.goto(f"{url}/p/{PID}/checkin")
    page.fill("#f-code", ids["code"])
    page.click("button[value=out]")
    expect(page.locator(".notice.ok")).to_contain_text("90")
    rec = ok(c.get(f"{P}/records", params={"volunteer_id": vid}))[0]
    ok(c.post(f"{P}/records/verify", json={"ids": [rec["id"]]}))
    page.goto(f"{url}/p/{PID}/me")
    expect(page.locator(".figures")).to_contain_text("1.5")  # hours served
    expect(page.locator(".figures")).to_contain_text("6.5")  # points: 1.5 h × 1 + first service 5
    checker.check(page, "my page with points")
    page.goto(f"{url}/p/{PID}/rewards")
    checker.check(page, "rewards")
    page.click("button[aria-label*='茶歇券']")
    expect(page.locator(".notice.ok")).to_contain_text("茶歇券")
    expect(page.locator(".figures")).to_contain_text("1.5")  # 6.5 − 5
    checker.check(page, "redeemed")
    page.goto(f"{url}/p/{PID}/rewards/ledger")
    checker.check(page, "ledger")
    page.locator("details summary").first.click()  # appeal an entry
    page.locator("details textarea").first.fill("首次服务奖励应按两次计算")
    page.locator("details button").first.click()
    expect(page.locator(".notice.ok")).to_contain_text("申诉已提交")
    checker.check(page, "ledger appealed")
    for path, name in (("/me/hours", "report hours"), ("/me/records", "records"), ("/me/leave", "leave")):
        page.goto(f"{url}/p/{PID}{path}")
        checker.check(page, name)


def test_coordinator(page, eng, api, checker) -> None:
    ids = community(api, eng)
    v = api.as_("zhangwei")
    vid = ok(v.post(f"{P}/volunteers/me", json={"name": "张伟", "id_number": ID_NUMBER, "phone": "13800138000",
                                               "skills": ["陪伴聊天"]}), 201)["volunteer"]["id"]
    aid = ok(v.post(f"{P}/applications", json={"post_id": ids["post"]}), 201)["id"]
    url = api.url
    _login(page, url, "coord1")
    page.goto(f"{url}/p/{PID}")
    checker.check(page, "dashboard")
    page.goto(f"{url}/p/{PID}/applications")
    checker.check(page, "applications")
    page.click("button:has-text('资质审核通过')")
    page.click("button:has-text('录用')")
    page.click("button:has-text('登记协议')")
    ok(v.post(f"{P}/applications/{aid}/fire", json={"trigger": "agree"}))
    page.goto(f"{url}/p/{PID}/applications")
    page.click("button:has-text('上岗')")
    expect(page.locator(".notice.ok")).to_be_visible()
    fire_lifecycle(ids["coord"], "start_training")
    page.goto(f"{url}/p/{PID}/roster")
    page.select_option("#f-shift_id", str(ids["shift"]))
    page.select_option("#f-volunteer_id", str(vid))
    page.click("form[action$='/roster/assign'] button.primary")
    expect(page.locator(".notice.ok")).to_be_visible()
    checker.check(page, "roster")
    fire_lifecycle(ids["coord"], "start_service")
    page.goto(f"{url}/p/{PID}/live")
    expect(page.locator("#live-board")).to_contain_text("张伟")
    checker.check(page, "live board before")
    ok(v.post(f"{P}/checkin", json={"code": ids["code"]}), 201)  # the volunteer checks in on their phone
    checkout = page.locator("#live-board button[aria-label='签退: 张伟']")
    expect(checkout).to_be_visible(timeout=15000)  # the board updated by itself (htmx polling)
    checker.check(page, "live board after")
    _served_ninety_minutes(eng)
    checkout.click()
    expect(page.locator("#live-board")).to_contain_text("已签退: 1")
    page.goto(f"{url}/p/{PID}/records")
    checker.check(page, "records to verify")
    page.check("input[name=ids]")
    page.click("button:has-text('核实勾选的记录')")
    expect(page.locator(".notice.ok")).to_contain_text("已核实 1 条")
    page.goto(f"{url}/p/{PID}/reports")
    expect(page.locator("svg.chart").first).to_be_visible()
    checker.check(page, "reports")
    for path, name in (("/needs", "needs"), ("/design", "design"), (f"/design/shifts/{ids['shift']}", "shift sign"),
                       ("/incidents", "incidents"), ("/import", "import"), ("/appeals", "appeals")):
        page.goto(f"{url}/p/{PID}{path}")
        checker.check(page, name)
    page.goto(f"{url}/logout")
    _login(page, url, "root")
    page.goto(f"{url}/admin")
    checker.check(page, "admin")


