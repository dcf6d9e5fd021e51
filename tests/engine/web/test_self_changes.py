"""A volunteer takes themselves off a shift, or swaps it for another shift of the same post, from
"My shifts" — only where the programme allows it and only until its cut-off before the start."""

from __future__ import annotations

import datetime as dt

from web_support import ID_NUMBER, PID, Browser, P, community, fire_lifecycle, now_local, ok, programme_text


def _agreed_volunteer(api, ids) -> int:
    v, c = api.as_("zhangwei"), ids["coord"]
    vid = ok(v.post(f"{P}/volunteers/me", json={"name": "张伟", "id_number": ID_NUMBER, "phone": "13800138000",
                                                "skills": ["陪伴聊天"]}), 201)["volunteer"]["id"]
    aid = ok(v.post(f"{P}/applications", json={"post_id": ids["post"]}), 201)["id"]
    for trigger in ("screen", "offer"):
        ok(c.post(f"{P}/applications/{aid}/fire", json={"trigger": trigger}))
    ok(c.post(f"{P}/agreements", json={"application_id": aid, "signed_on": dt.date.today().isoformat()}), 201)
    ok(v.post(f"{P}/applications/{aid}/fire", json={"trigger": "agree"}))
    ok(c.post(f"{P}/applications/{aid}/fire", json={"trigger": "activate"}))
    return vid


def _shift(c, post: int, hours_from_now: int) -> int:
    start = now_local() + dt.timedelta(hours=hours_from_now)
    return ok(c.post(f"{P}/posts/{post}/shifts", json={
        "starts_at": start.isoformat(timespec="minutes"),
        "ends_at": (start + dt.timedelta(hours=2)).isoformat(timespec="minutes"), "capacity": 4,
        "place": f"海滨一路 {hours_from_now} 号"}), 201)["id"]


def test_volunteer_cancels_and_swaps_until_the_cut_off(api, eng) -> None:
    ids = community(api, eng)
    c = ids["coord"]
    vid = _agreed_volunteer(api, ids)
    fire_lifecycle(c, "start_training")
    soon, later, latest = (_shift(c, ids["post"], h) for h in (1, 26, 50))
    seats = {sid: ok(c.post(f"{P}/assignments", json={"shift_id": sid, "volunteer_id": vid}), 201)["id"]
             for sid in (soon, later)}
    v = Browser(api.url).login("zhangwei")
    try:
        # the example programme does not let volunteers change the roster: no buttons, and the API says why
        page = v.get(f"/p/{PID}/me/shifts")
        assert "/cancel" not in page.text
        r = v.post(f"/p/{PID}/me/shifts/{seats[later]}/cancel")
        assert r.status_code == 422 and "self_cancel_minutes_before" in r.text
        # the programme allows it until two hours before the start
        text = programme_text().replace("timezone: Asia/Shanghai", "timezone: Asia/Shanghai\n"
                                        "service: {self_cancel_minutes_before: 120}")
        ok(ids["root"].post("/programmes", json={"yaml": text, "filename": "community.yaml"}), 201)
        page = v.get(f"/p/{PID}/me/shifts")
        assert f"/me/shifts/{seats[later]}/cancel" in page.text  # a day ahead: changeable
        assert f"/me/shifts/{seats[soon]}/cancel" not in page.text  # starts within the hour: past the cut-off
        r = v.post(f"/p/{PID}/me/shifts/{seats[soon]}/cancel")
        assert r.status_code == 422 and "120" in r.text
        # swap to another shift of the same post: the old seat is freed, the new one taken
        r = v.post(f"/p/{PID}/me/shifts/{seats[later]}/swap", {"shift_id": str(latest)})
        assert r.status_code == 200 and "/me/shifts" in str(r.url), r.text[-600:]
        mine = {a["shift_id"]: a["status"] for a in ok(c.get(f"{P}/assignments", params={"volunteer_id": vid}))}
        assert mine == {soon: "assigned", later: "cancelled", latest: "assigned"}
        # a refused swap (onto the shift inside the cut-off) changes nothing and says why
        new_seat = next(a["id"] for a in ok(c.get(f"{P}/assignments", params={"volunteer_id": vid}))
                        if a["shift_id"] == latest)
        r = v.post(f"/p/{PID}/me/shifts/{new_seat}/swap", {"shift_id": str(soon)})
        assert r.status_code == 422 and 'role="alert"' in r.text
        # and taking themselves off the new one
        r = v.post(f"/p/{PID}/me/shifts/{new_seat}/cancel")
        assert r.status_code == 200
        mine = {a["shift_id"]: a["status"] for a in ok(c.get(f"{P}/assignments", params={"volunteer_id": vid}))}
        assert mine == {soon: "assigned", later: "cancelled", latest: "cancelled"}
        # nobody else's seat: another volunteer's assignment is refused
        other = Browser(api.url).login("leader1")
        assert other.post(f"/p/{PID}/me/shifts/{seats[soon]}/cancel").status_code in (403, 422)
        other.close()
    finally:
        v.close()
