"""The coordinator's pages over real HTTP: screen an application, roster (refusals by the field,
warnings on the board), the live board and its fragment, verify, correct, report with charts and
exports; needs, design, incidents, import, and the operator's administration."""

from __future__ import annotations

import datetime as dt
import re

from web_support import ID_NUMBER, PID, Browser, P, community, fire_lifecycle, now_local, ok


def _volunteer_applied(api, ids) -> tuple[int, int]:
    v = api.as_("zhangwei")
    me = ok(v.post(f"{P}/volunteers/me", json={"name": "张伟", "id_number": ID_NUMBER, "phone": "13800138000",
                                                         "skills": ["陪伴聊天"]}), 201)
    app = ok(v.post(f"{P}/applications", json={"post_id": ids["post"]}), 201)
    return me["volunteer"]["id"], app["id"]


def test_coordinator_screens_rosters_watches_verifies_and_reports(api, eng) -> None:
    ids = community(api, eng)
    vid, aid = _volunteer_applied(api, ids)
    b = Browser(api.url).login("coord1")
    try:
        dash = b.get(f"/p/{PID}")
        assert re.search(r"<b>1</b>[^<]*待审核|<b>1</b>[^<]*Applied|<b>1</b>", dash.text)  # the queue counts it
        page = b.get(f"/p/{PID}/applications", params={"state": "applied"})
        assert "张伟" in page.text
        for trigger in ("screen", "offer"):
            r = b.post(f"/p/{PID}/me/applications/{aid}/fire", {"trigger": trigger})
            assert r.status_code == 200, r.text[-800:]
        r = b.post(f"/p/{PID}/applications/{aid}/agreement", {"signed_on": dt.date.today().isoformat()})
        assert r.status_code == 200
        ok(api.as_("zhangwei").post(f"{P}/applications/{aid}/fire", json={"trigger": "agree"}))
        assert b.post(f"/p/{PID}/me/applications/{aid}/fire", {"trigger": "activate"}).status_code == 200
        fire_lifecycle(ids["coord"], "start_training")
        # roster: assigned once; twice is refused with the reason beside the volunteer field
        roster = b.get(f"/p/{PID}/roster")
        assert "海滨一路 1 栋" in roster.text and "空缺 4 人" in roster.text
        assert b.post(f"/p/{PID}/roster/assign", {"shift_id": ids["shift"], "volunteer_id": vid}).status_code == 200
        again = b.post(f"/p/{PID}/roster/assign", {"shift_id": ids["shift"], "volunteer_id": vid})
        assert again.status_code == 422 and 'id="err-volunteer_id"' in again.text
        # an overlapping shift rostered through the API shows as a warning on the board
        post2 = ok(ids["coord"].post(f"{P}/projects/{ids['project']}/posts", json={"name": "助餐", "capacity": 2}), 201)
        n = now_local()
        s2 = ok(ids["coord"].post(f"{P}/posts/{post2['id']}/shifts", json={
            "starts_at": (n + dt.timedelta(hours=1)).isoformat(timespec="minutes"),
            "ends_at": (n + dt.timedelta(hours=3)).isoformat(timespec="minutes")}), 201)
        r = b.post(f"/p/{PID}/roster/assign", {"shift_id": s2["id"], "volunteer_id": vid})
        assert r.status_code == 422 and 'id="err-volunteer_id"' in r.text  # no accepted application for that post
        _rostered_before_the_rule(eng, s2["id"], vid)  # e.g. by an import that did not check timing
        board = b.get(f"/p/{PID}/roster")
        assert "overlaps shift" in board.text and "2 条提醒" in board.text  # each side of the overlap
        # the live board and the fragment htmx polls
        fire_lifecycle(ids["coord"], "start_service")
        live = b.get(f"/p/{PID}/live")
        assert "张伟" in live.text and 'hx-trigger="every 5s"' in live.text
        frag = b.get(f"/p/{PID}/live/board", headers={"HX-Request": "true"})
        assert "<html" not in frag.text and "张伟" in frag.text
        aid_roster = int(re.search(rf"/p/{PID}/live/(\d+)/in", frag.text).group(1))
        r = b.c.post(f"/p/{PID}/live/{aid_roster}/in", headers={"HX-Request": "true", "X-CSRF-Token": b.csrf})
        assert r.status_code == 200 and f"/live/{aid_roster}/out" in r.text  # swapped in place: now checked in
        _ninety_minutes_pass(eng)
        r = b.c.post(f"/p/{PID}/live/{aid_roster}/out", headers={"HX-Request": "true", "X-CSRF-Token": b.csrf})
        assert r.status_code == 200
        # verify from the records page, then correct
        records = b.get(f"/p/{PID}/records")
        rec_id = int(re.search(r'name="ids" value="(\d+)"', records.text).group(1))
        r = b.post(f"/p/{PID}/records/verify", {"ids": str(rec_id)})
        assert r.status_code == 200 and ok(ids["coord"].get(f"{P}/records/{rec_id}"))["verified_by"] == "coord1"
        bad = b.post(f"/p/{PID}/records/{rec_id}/correct", {"reason": "x"})
        assert bad.status_code == 422  # too short a reason: refused, nothing written
        assert b.post(f"/p/{PID}/records/{rec_id}/correct", {"reason": "签到表核对：多记 30 分钟", "minutes": "60"}).status_code == 200
        rep = b.get(f"/p/{PID}/reports")
        assert rep.status_code == 200 and "<svg" in rep.text and 'role="img"' in rep.text
        xlsx = b.get(f"/p/{PID}/reports/export.xlsx")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        csv = b.get(f"/p/{PID}/reports/export.csv")
        assert "情暖夕阳" in csv.text
        sign = b.get(f"/p/{PID}/design/shifts/{ids['shift']}")
        assert ids["code"] in sign.text and "<svg" in sign.text
    finally:
        b.close()


def _rostered_before_the_rule(eng, shift_id: int, volunteer_id: int) -> None:
    from engine.stages.service.models import Assignment

    with eng.session() as s:
        s.add(Assignment(programme_id=PID, shift_id=shift_id, volunteer_id=volunteer_id, assigned_by="coord1"))


def _ninety_minutes_pass(eng) -> None:
    from sqlalchemy import select

    from engine.stages.service.models import Checkin

    with eng.session() as s:
        for ci in s.scalars(select(Checkin)):
            ci.checked_in_at = ci.checked_in_at - dt.timedelta(minutes=90)


def test_needs_design_incidents_import_and_admin_pages(api, eng) -> None:
    ids = community(api, eng)
    b = Browser(api.url).login("coord1")
    try:
        r = b.post(f"/p/{PID}/needs", {"title": "楼道卫生", "beneficiary_group": "全体居民", "category": "环境卫生",
                                       "source": "survey", "frequency": "9", "urgency": "2", "people_affected": "20"})
        assert r.status_code == 422 and 'id="err-frequency"' in r.text and 'value="楼道卫生"' in r.text
        r = b.post(f"/p/{PID}/needs", {"title": "楼道卫生", "beneficiary_group": "全体居民", "category": "环境卫生",
                                       "source": "survey", "frequency": "2", "urgency": "2", "people_affected": "20"})
        assert r.status_code == 200 and "楼道卫生" in r.text
        r = b.post(f"/p/{PID}/design/project", {"name": "洁净社区", "kind": "periodic"})
        assert r.status_code == 200 and "洁净社区" in r.text
        r = b.post(f"/p/{PID}/design/series", {"post_id": ids["post"], "weekdays": "sat", "start_time": "09:00",
                                               "end_time": "08:00", "start_date": "2026-01-01", "end_date": "2026-01-31"})
        assert r.status_code == 422  # ends before it starts: said at the field, nothing made
        r = b.post(f"/p/{PID}/incidents", {"category": "medical", "description": "老人头晕，已送医"})
        assert r.status_code == 200 and "老人头晕" in r.text
        inc = int(re.search(r"/incidents/(\d+)/escalate", r.text).group(1))
        assert b.post(f"/p/{PID}/incidents/{inc}/escalate", {"note": "通知社区医生"}).status_code == 200
        assert b.post(f"/p/{PID}/incidents/{inc}/resolve", {"note": "已处理完毕"}).status_code == 200
        sheet = "姓名,身份证号,手机号\n李娜,110101199001011237,13900139000\n王强,123,13700137000\n".encode()
        r = b.c.post(f"/p/{PID}/import", data={"unit": "海滨中学", "mode": "all_or_nothing", "csrf": b.csrf},
                     files={"file": ("unit.csv", sheet, "text/csv")})
        assert r.status_code == 422 and "<td>3</td>" in r.text  # row 3's problem, by row and column
        assert b.get("/admin").status_code == 403  # operators only
    finally:
        b.close()
    root = Browser(api.url).login("root")
    try:
        r = root.post("/admin/user", {"username": "newbie", "password": "short"})
        assert r.status_code == 422 and 'id="err-password"' in r.text and 'value="newbie"' in r.text
        assert root.post("/admin/user", {"username": "newbie", "password": "long-enough-1"}).status_code == 200
        r = root.post("/admin/role", {"programme_id": PID, "username": "newbie", "role": "no_such_role"})
        assert r.status_code == 422 and "no_such_role" in r.text
        r = root.post("/admin/role", {"programme_id": PID, "username": "newbie", "role": "volunteer"})
        assert r.status_code == 200 and "newbie" in r.text
    finally:
        root.close()
