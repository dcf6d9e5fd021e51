"""Appeals on ledger entries in the pages: the volunteer files one from their ledger (refused without
a reason, the reason kept), the coordinator's dashboard counts it, the queue decides it — upheld
reverses the entry, dismissed keeps it — and the volunteer reads the decision on their ledger."""

from __future__ import annotations

import re

from web_support import ID_NUMBER, PID, Browser, P, community, ok


def test_volunteer_appeals_and_coordinator_decides(api, eng) -> None:
    ids = community(api, eng)
    c = ids["coord"]
    vid = ok(api.as_("zhangwei").post(f"{P}/volunteers/me", json={
        "name": "张伟", "id_number": ID_NUMBER, "phone": "13800138000"}), 201)["volunteer"]["id"]
    first = ok(c.post(f"{P}/ledger", json={"volunteer_id": vid, "amount": "20", "reason": "迟到扣分后补记"}), 201)
    second = ok(c.post(f"{P}/ledger", json={"volunteer_id": vid, "amount": "5", "reason": "带新人"}), 201)
    v, b = Browser(api.url).login("zhangwei"), Browser(api.url).login("coord1")
    try:
        page = v.get(f"/p/{PID}/rewards/ledger")
        assert f"/rewards/ledger/{first['id']}/appeal" in page.text
        r = v.post(f"/p/{PID}/rewards/ledger/{first['id']}/appeal", {"reason": "短"})
        assert r.status_code == 422 and f'id="err-reason-{first["id"]}"' in r.text and ">短</textarea>" in r.text
        reason = "那天公交晚点，已提前告知组长"
        assert v.post(f"/p/{PID}/rewards/ledger/{first['id']}/appeal", {"reason": reason}).status_code == 200
        assert v.post(f"/p/{PID}/rewards/ledger/{second['id']}/appeal", {"reason": "金额应为 10 分"}).status_code == 200
        again = v.post(f"/p/{PID}/rewards/ledger/{first['id']}/appeal", {"reason": reason})
        assert again.status_code == 422  # once per entry
        assert v.get(f"/p/{PID}/appeals").status_code == 403  # volunteers do not decide
        dash = b.get(f"/p/{PID}")
        assert re.search(r"<b>2</b>[^<]*(待处理的申诉|Appeals to decide)", dash.text) or f"/p/{PID}/appeals" in dash.text
        queue = b.get(f"/p/{PID}/appeals")
        assert reason in queue.text and "迟到扣分后补记" in queue.text
        appeal_ids = [int(x) for x in re.findall(rf"/p/{PID}/appeals/(\d+)/decide", queue.text)]
        assert len(appeal_ids) == 2
        r = b.post(f"/p/{PID}/appeals/{appeal_ids[-1]}/decide", {"decision": "uphold", "note": ""})
        assert r.status_code == 422  # the volunteer is owed a reason
        assert b.post(f"/p/{PID}/appeals/{appeal_ids[-1]}/decide", {"decision": "uphold", "note": "已核实晚点"}).status_code == 200
        assert b.post(f"/p/{PID}/appeals/{appeal_ids[0]}/decide", {"decision": "dismiss", "note": "金额按规则"}).status_code == 200
        ledger = ok(c.get(f"{P}/ledger", params={"volunteer_id": vid}))
        assert sorted(float(e["amount"]) for e in ledger) == [-20, 5, 20]  # the upheld one reversed, the other kept
        mine = v.get(f"/p/{PID}/rewards/ledger").text
        assert "已核实晚点" in mine and "金额按规则" in mine
        assert ok(api.as_("zhangwei").get(f"{P}/appeals"))[0]["volunteer_id"] == vid
    finally:
        v.close()
        b.close()
