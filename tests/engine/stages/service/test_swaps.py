"""换班 A swap between two volunteers over HTTP: 张伟 asks 李娜 to swap shifts, 李娜 accepts, the team
leader approves, and both seats change at once. Only the colleague asked may answer, no party may
approve, nobody outside sees the request; a swap the rostering rules forbid (张伟 has no agreement
for the other post) is refused on acceptance naming him and the rule, and changes nothing."""

from __future__ import annotations

import datetime as dt

from web_support import ID_NUMBER, PASSWORD, PID, TZ, Browser, P, community, fire_lifecycle, now_local, ok

from engine.people.idcard import check_character

W = f"/p/{PID}"
LI_ID = "44080319920708002" + check_character("44080319920708002")


def _agreed(api, c, user: str, name: str, id_number: str, post: int) -> int:
    v = api.as_(user)
    vid = ok(v.post(f"{P}/volunteers/me", json={"name": name, "id_number": id_number, "phone": "13800138000",
                                                "skills": ["陪伴聊天"]}), 201)["volunteer"]["id"]
    agree(api, c, user, post)
    return vid


def agree(api, c, user: str, post: int) -> None:
    aid = ok(api.as_(user).post(f"{P}/applications", json={"post_id": post}), 201)["id"]
    for trigger in ("screen", "offer"):
        ok(c.post(f"{P}/applications/{aid}/fire", json={"trigger": trigger}))
    ok(c.post(f"{P}/agreements", json={"application_id": aid, "signed_on": dt.date.today().isoformat()}), 201)
    ok(api.as_(user).post(f"{P}/applications/{aid}/fire", json={"trigger": "agree"}))


def _shift(c, post: int, hours_from_now: int) -> int:
    start = now_local() + dt.timedelta(hours=hours_from_now)
    return ok(c.post(f"{P}/posts/{post}/shifts", json={
        "starts_at": start.isoformat(timespec="minutes"),
        "ends_at": (start + dt.timedelta(hours=2)).isoformat(timespec="minutes"), "capacity": 4}), 201)["id"]


def _seats(c, vid: int) -> dict[int, str]:
    return {a["shift_id"]: a["status"] for a in ok(c.get(f"{P}/assignments", params={"volunteer_id": vid}))}


def _messages(eng) -> list[tuple[str, int, str]]:
    from sqlalchemy import select

    from engine.notify.models import Notification

    with eng.session() as s:
        rows = s.scalars(select(Notification).where(Notification.template.like("swap.%")).order_by(Notification.id))
        return [(n.template, n.to_volunteer_id, n.data.get("state", "")) for n in rows]


def _two_on_shifts(api, eng) -> tuple:
    """张伟 rostered tomorrow and 李娜 the day after on the same post; 王芳 a volunteer outside it all."""
    ids = community(api, eng)
    c, root = ids["coord"], ids["root"]
    with eng.session() as s:
        eng.auth.create_user(s, "lina", PASSWORD, display_name="李娜")
        eng.auth.create_user(s, "wangfang", PASSWORD, display_name="王芳")
    for user in ("lina", "wangfang"):
        ok(root.post(f"{P}/members", json={"username": user, "role": "volunteer"}), 201)
    zhang = _agreed(api, c, "zhangwei", "张伟", ID_NUMBER, ids["post"])
    li = _agreed(api, c, "lina", "李娜", LI_ID, ids["post"])
    fire_lifecycle(c, "start_training")
    tomorrow, later = _shift(c, ids["post"], 26), _shift(c, ids["post"], 50)
    seat_z = ok(c.post(f"{P}/assignments", json={"shift_id": tomorrow, "volunteer_id": zhang}), 201)["id"]
    seat_l = ok(c.post(f"{P}/assignments", json={"shift_id": later, "volunteer_id": li}), 201)["id"]
    return ids, zhang, li, tomorrow, later, seat_z, seat_l


def test_swap_between_volunteers_with_approval(api, eng) -> None:
    ids, zhang, li, tomorrow, later, seat_z, seat_l = _two_on_shifts(api, eng)
    c = ids["coord"]
    z, lina, leader, wang = (api.as_(u) for u in ("zhangwei", "lina", "leader1", "wangfang"))

    ask = {"shift_id": later, "with_volunteer_id": li, "note": "家中有事 / family matter"}
    assert z.post(f"{P}/me/assignments/{seat_l}/swap-requests", json=ask).status_code == 403  # not his seat
    r = z.post(f"{P}/me/assignments/{seat_z}/swap-requests", json={**ask, "shift_id": tomorrow})
    assert r.status_code == 404 and "with_volunteer_id" in r.text  # 李娜 is not on that shift
    r = z.post(f"{P}/me/assignments/{seat_z}/swap-requests", json=ask)
    assert r.status_code == 201, r.text
    swap = r.json()
    assert (swap["state"], swap["counterparty_id"], swap["other_shift_id"]) == ("proposed", li, later)
    assert z.post(f"{P}/me/assignments/{seat_z}/swap-requests", json=ask).status_code == 409  # one open at a time
    url = f"{P}/swap-requests/{swap['id']}"

    # only the colleague asked answers; outsiders do not see it; nobody approves before she accepts
    r = z.post(url + "/fire", json={"trigger": "accept"})
    assert r.status_code == 422 and f"only volunteer {li}" in r.text
    assert wang.get(url).status_code == 404 and wang.get(f"{P}/swap-requests").json() == []
    assert leader.post(url + "/fire", json={"trigger": "approve"}).status_code == 409
    assert [x["id"] for x in lina.get(f"{P}/swap-requests").json()] == [swap["id"]]
    assert ok(lina.post(url + "/fire", json={"trigger": "accept"}))["state"] == "accepted"
    assert _seats(c, zhang) == {tomorrow: "assigned"}  # nothing changes before approval
    assert z.post(url + "/fire", json={"trigger": "approve"}).status_code == 403  # a volunteer is not staff
    done = ok(leader.post(url + "/fire", json={"trigger": "approve"}))
    assert done["state"] == "approved" and done["swapped_to"] and done["swapped_to_other"]
    assert _seats(c, zhang) == {tomorrow: "cancelled", later: "assigned"}
    assert _seats(c, li) == {later: "cancelled", tomorrow: "assigned"}
    assert [x["state"] for x in leader.get(f"{P}/swap-requests", params={"state": "approved"}).json()] == ["approved"]
    # the colleague was asked by a message, and both hear the outcome (李娜 not of her own acceptance)
    assert _messages(eng) == [("swap.requested", li, ""), ("swap.update", zhang, "待审批 Awaiting approval"),
                              ("swap.update", zhang, "已换班 Approved and swapped"),
                              ("swap.update", li, "已换班 Approved and swapped")]

    # 李娜 also serves another post; 张伟 has no agreement there: her acceptance is refused, naming him
    other = ok(c.post(f"{P}/projects/{ids['project']}/posts", json={"name": "助餐配送", "capacity": 4}), 201)["id"]
    agree(api, c, "lina", other)
    third = _shift(c, other, 74)
    ok(c.post(f"{P}/assignments", json={"shift_id": third, "volunteer_id": li}), 201)
    new_z = next(a["id"] for a in ok(c.get(f"{P}/assignments", params={"volunteer_id": zhang}))
                 if a["shift_id"] == later)
    second = ok(z.post(f"{P}/me/assignments/{new_z}/swap-requests",
                       json={"shift_id": third, "with_volunteer_id": li}), 201)
    r = lina.post(f"{P}/swap-requests/{second['id']}/fire", json={"trigger": "accept"})
    assert r.status_code == 422 and f"volunteer {zhang} onto shift {third}" in r.text and "agreed" in r.text, r.text
    assert _seats(c, zhang) == {tomorrow: "cancelled", later: "assigned"}
    assert ok(lina.get(f"{P}/swap-requests/{second['id']}"))["state"] == "proposed"
    # the proposer withdraws it; the colleague cannot
    assert lina.post(f"{P}/swap-requests/{second['id']}/fire", json={"trigger": "withdraw"}).status_code == 422
    assert ok(z.post(f"{P}/swap-requests/{second['id']}/fire", json={"trigger": "withdraw"}))["state"] == "withdrawn"


def test_swap_on_the_pages(api, eng) -> None:
    """The same on phones: 张伟 asks from "My shifts", 李娜 accepts there, the team leader approves on
    the roster; a wrong volunteer number is shown on the page, nothing asked."""
    ids, zhang, li, tomorrow, later, seat_z, _seat_l = _two_on_shifts(api, eng)
    z, lina, leader = (Browser(api.url).login(u) for u in ("zhangwei", "lina", "leader1"))
    try:
        page = z.get(f"{W}/me/shifts").text
        assert f"/me/shifts/{seat_z}/swap-request" in page and "请同伴换班" in page
        r = z.post(f"{W}/me/shifts/{seat_z}/swap-request", {"with_volunteer_id": str(li + 1000), "shift_id": str(later)})
        assert r.status_code == 422 and f"volunteer {li + 1000} is not rostered on shift {later}" in r.text
        r = z.post(f"{W}/me/shifts/{seat_z}/swap-request", {"with_volunteer_id": str(li), "shift_id": str(later),
                                                          "note": "出差"})
        assert r.status_code == 200 and "换班申请已发出" in r.text, r.text[-800:]
        page = lina.get(f"{W}/me/shifts").text
        swap_id = ok(api.as_("lina").get(f"{P}/swap-requests"))[0]["id"]
        assert f"/me/swaps/{swap_id}/accept" in page and "张伟" in page and "出差" in page
        assert "/accept" not in z.get(f"{W}/me/shifts").text  # the proposer withdraws, never accepts
        assert lina.post(f"{W}/me/swaps/{swap_id}/accept").status_code == 200
        roster = leader.get(f"{W}/roster").text
        assert "待审批的换班" in roster and f"/roster/swaps/{swap_id}/approve" in roster
        r = leader.post(f"{W}/roster/swaps/{swap_id}/approve")
        assert r.status_code == 200 and "已批准换班" in r.text, r.text[-800:]
        assert _seats(ids["coord"], zhang) == {tomorrow: "cancelled", later: "assigned"}
        assert "已换班 Approved and swapped" in z.get(f"{W}/me/shifts").text
    finally:
        for b in (z, lina, leader):
            b.close()


def test_a_request_nobody_settled_expires_when_its_shift_begins(api, eng) -> None:
    """张伟's request is still awaiting approval when his shift begins: the next tick closes it as
    expired and tells both; a second request whose seat the coordinator took away expires at once."""
    from engine.scheduling.runner import tick
    from engine.testing import frozen_clock

    ids, zhang, li, tomorrow, later, seat_z, seat_l = _two_on_shifts(api, eng)
    c, z, lina = ids["coord"], api.as_("zhangwei"), api.as_("lina")
    swap = ok(z.post(f"{P}/me/assignments/{seat_z}/swap-requests", json={"shift_id": later, "with_volunteer_id": li}),
              201)
    ok(lina.post(f"{P}/swap-requests/{swap['id']}/fire", json={"trigger": "accept"}))
    pid = PID
    with frozen_clock((now_local() + dt.timedelta(hours=25)).replace(tzinfo=TZ)):  # an hour before his shift: still open
        tick(eng, programme_ids=[pid], deliver=False)
    assert ok(z.get(f"{P}/swap-requests/{swap['id']}"))["state"] == "accepted"
    with frozen_clock((now_local() + dt.timedelta(hours=26, minutes=1)).replace(tzinfo=TZ)):  # his shift has begun
        report = tick(eng, programme_ids=[pid], deliver=False)
    assert any(r.result and r.result.get("swaps_expired") == [swap["id"]] for r in report.runs), report.runs
    assert ok(z.get(f"{P}/swap-requests/{swap['id']}"))["state"] == "expired"
    assert _seats(c, zhang) == {tomorrow: "assigned"} and _seats(c, li) == {later: "assigned"}  # nothing swapped
    expired = "已过期 Expired (a shift began or a seat changed first)"
    assert _messages(eng)[-2:] == [("swap.update", zhang, expired), ("swap.update", li, expired)]
    r = api.as_("leader1").post(f"{P}/swap-requests/{swap['id']}/fire", json={"trigger": "approve"})
    assert r.status_code == 409  # a closed request cannot be approved

    # 李娜 asks 张伟 about her later shift; the coordinator then takes her off it: the request is moot
    later_z = _shift(c, ids["post"], 98)
    seat_z2 = ok(c.post(f"{P}/assignments", json={"shift_id": later_z, "volunteer_id": zhang}), 201)["id"]
    second = ok(lina.post(f"{P}/me/assignments/{seat_l}/swap-requests",
                          json={"shift_id": later_z, "with_volunteer_id": zhang}), 201)
    ok(c.delete(f"{P}/assignments/{seat_l}"))
    tick(eng, programme_ids=[pid], deliver=False)
    assert ok(lina.get(f"{P}/swap-requests/{second['id']}"))["state"] == "expired"
    assert _seats(c, zhang)[later_z] == "assigned" and seat_z2
