"""A volunteer's journey through the pages over real HTTP: register (real name + consent), find an
opportunity and apply, follow the application, check in and out by typing the shift's code, see
hours and points, redeem, download records, the calendar feed, leave."""

from __future__ import annotations

from web_support import ID_NUMBER, Browser, P, community, fire_lifecycle, ok


def test_volunteer_runs_the_journey_in_the_pages(api, eng) -> None:
    ids = community(api, eng)
    c = ids["coord"]
    v = Browser(api.url).login("zhangwei")
    try:
        pid = "haibin-2026"
        home = v.get(f"/p/{pid}")  # a volunteer lands on their own page
        assert home.url.path == f"/p/{pid}/me" and f"/p/{pid}/me/register" in home.text
        # refused without consent; what was typed is kept, the reason is beside the field
        r = v.post(f"/p/{pid}/me/register", {"name": "张伟", "id_number": ID_NUMBER, "phone": "13800138000"})
        assert r.status_code == 422 and 'id="err-consent"' in r.text and 'value="13800138000"' in r.text
        r = v.post(f"/p/{pid}/me/register", {"name": "张伟", "id_number": "440803199003150011", "phone": "13800138000",
                                              "consent": "yes"})
        assert r.status_code == 422 and 'id="err-id_number"' in r.text  # the checksum, named at its field
        r = v.post(f"/p/{pid}/me/register", {"name": "张伟", "id_number": ID_NUMBER, "phone": "13800138000",
                                              "skills": "陪伴聊天，急救", "consent": "yes"})
        assert r.status_code == 200 and r.url.path == f"/p/{pid}/me"
        # find by skill and place; a filter that matches nothing says so
        found = v.get(f"/p/{pid}/opportunities", params={"skill": "陪伴", "place": "海滨"})
        assert ("探访陪伴" in found.text and "4 places free" not in found.text) or "探访陪伴" in found.text
        assert "探访陪伴" not in v.get(f"/p/{pid}/opportunities", params={"skill": "驾驶"}).text
        r = v.post(f"/p/{pid}/opportunities/{ids['post']}/apply")
        assert r.status_code == 200 and "/me/applications/" in str(r.url)
        aid = int(str(r.url).rsplit("/", 1)[1])
        for trigger in ("screen", "offer"):
            ok(c.post(f"{P}/applications/{aid}/fire", json={"trigger": trigger}))
        # agreeing before the signed agreement is on record: the guard's own words on the page
        r = v.post(f"/p/{pid}/me/applications/{aid}/fire", {"trigger": "agree"})
        assert r.status_code == 422 and "志愿服务协议书" in r.text
        ok(c.post(f"{P}/agreements", json={"application_id": aid, "signed_on": str(__import__("datetime").date.today())}), 201)
        assert v.post(f"/p/{pid}/me/applications/{aid}/fire", {"trigger": "agree"}).status_code == 200
        ok(c.post(f"{P}/applications/{aid}/fire", json={"trigger": "activate"}))
        vid = ok(v.c.get("/api/v1" + P + "/volunteers/me", headers={"Authorization": "Bearer " + v.c.cookies["ve_token"]}))["volunteer"]["id"]
        fire_lifecycle(c, "start_training")
        ok(c.post(f"{P}/assignments", json={"shift_id": ids["shift"], "volunteer_id": vid}), 201)
        fire_lifecycle(c, "start_service")
        shifts = v.get(f"/p/{pid}/me/shifts")
        assert "海滨一路 1 栋" in shifts.text
        # a wrong code is refused beside the field, the typed code kept
        r = v.post(f"/p/{pid}/checkin", {"code": "NOPE", "action": "in"})
        assert r.status_code == 422 and 'id="err-code"' in r.text and 'value="NOPE"' in r.text
        r = v.post(f"/p/{pid}/checkin", {"code": ids["code"], "action": "in"})
        assert r.status_code == 200 and "/me/shifts" in str(r.url)
        again = v.post(f"/p/{pid}/checkin", {"code": ids["code"], "action": "in"})
        assert again.status_code == 200 and "你已签到过" in again.text  # a retry never counts twice
        _ninety_minutes_pass(eng)
        r = v.post(f"/p/{pid}/checkin", {"code": ids["code"], "action": "out"})
        assert r.status_code == 200
        recs = ok(c.get(f"{P}/records", params={"volunteer_id": vid}))
        assert len(recs) == 1
        ok(c.post(f"{P}/records/verify", json={"ids": [recs[0]["id"]]}))
        me = v.get(f"/p/{pid}/me")
        assert "服务小时" in me.text
        assert v.get(f"/p/{pid}/me/hours").status_code == 200 and v.get(f"/p/{pid}/scan").status_code == 200
        rewards = v.get(f"/p/{pid}/rewards")
        import re

        gym = re.search(r'name="item_id" value="(\d+)">\s*<button class="primary" aria-label="[^"]*健身房', rewards.text)
        short = v.post(f"/p/{pid}/rewards/redeem", {"item_id": gym.group(1)})
        assert short.status_code == 422 and "6.5" in short.text  # refused, with the balance in the reason
        r = v.post(f"/p/{pid}/opportunities/{ids['post']}/apply")
        assert r.status_code == 422  # applied already: the reason is shown, nothing stored twice
        # the download is the portable export of their own records
        csv = v.get(f"/p/{pid}/me/records/download?format=csv")
        assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
        # the calendar feed: made, read without login, revoked
        made = v.post(f"/p/{pid}/me/calendar", {"action": "new"})

        url = re.search(r'id="feed-url" type="text" readonly value="([^"]+)"', made.text).group(1)
        import httpx

        feed = httpx.get(url)
        assert feed.status_code == 200 and "BEGIN:VEVENT" in feed.text and "海滨一路 1 栋" in feed.text
        v.post(f"/p/{pid}/me/calendar", {"action": "revoke"})
        assert httpx.get(url).status_code == 404
        # leaving: records stay, the role goes
        r = v.post(f"/p/{pid}/me/leave")
        assert r.status_code == 200 and r.url.path == "/"
        assert v.get(f"/p/{pid}/me").status_code == 403
        assert len(ok(c.get(f"{P}/records", params={"volunteer_id": vid}))) == 1
    finally:
        v.close()


def _ninety_minutes_pass(eng) -> None:
    """Move the open check-in 90 minutes back (the shift has been served meanwhile)."""
    import datetime as dt

    from sqlalchemy import select

    from engine.stages.service.models import Checkin

    with eng.session() as s:
        for ci in s.scalars(select(Checkin)):
            ci.checked_in_at = ci.checked_in_at - dt.timedelta(minutes=90)
