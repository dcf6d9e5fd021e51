"""Elastic reallocation on the day over HTTP (seed 000 篇3 现场运行与调度).

1 May 2010, gate 1 (post A) has 甲 and 乙 on 08:00–16:00 and 丙 and 丁 on 12:00–16:00; gate 3 (post B)
takes nobody older than 50, and 丁 is 55. 甲, 丙 and 丁 are checked in. A crowd builds at gate 3:
the group head moves one from gate 1 for 13:00–15:00 — 丙 (checked in, 4 h that day, fewer than
甲's 8 h; 丁 would be refused by B's age limit). Moving 甲 for 15:00–18:00 would make a 10 h day: refused
naming the pack's shifts.max_hours_per_day (8 h). Three more cannot be found: refused, nothing written.
The board shows the move while it runs, and gate 1 whole again after it. A second move (甲, 15:00–
15:50) is ended at 15:20 when gate 3 clears: 甲 counts at gate 1 again from then, the log keeps the
planned end; a move ended before it begins is cancelled and frees the volunteer for another move.
"""

from __future__ import annotations

import datetime as dt

from day_helpers import agreed_people, place, post_with_shifts, project
from event_helpers import grant_permit, person
from tests_support import bring_to, make_users

from engine.testing import frozen_clock


def test_reallocation_by_crowd_flow(eng, prog, api) -> None:  # type: ignore[no-untyped-def]
    pid = prog.id
    base, ev = f"/programmes/{pid}", f"/programmes/{pid}/event"
    with frozen_clock("2010-04-20T10:00:00+08:00") as clock:
        bring_to(eng, pid, "recruitment")
        make_users(eng, pid, {"admin": "admin1", "coordinator": "coord1", "unit_liaison": "liaison-gov",
                              "team_leader": "leader1", "group_head": "gh1", "hq": "hq1"})
        cids = agreed_people(api, pid, ["甲", "乙", "丙"])
        r = api.as_("liaison-gov").post(ev + "/units/gov/registrations",
                                        json={"people": [person("丁", dt.date(1955, 3, 1))]})
        cids.append(r.json()["candidate_ids"][0])
        api.as_("coord1").post(ev + f"/candidates/{cids[3]}/agree")
        gates = project(api, pid, "入口疏导 Gates", node="patrol-north")
        a, (a1, a2) = post_with_shifts(api, pid, gates, "1号门 Gate 1", [
            ("2010-05-01T08:00", "2010-05-01T16:00"), ("2010-05-01T12:00", "2010-05-01T16:00")], capacity=2)
        b, _ = post_with_shifts(api, pid, gates, "3号门 Gate 3", [], max_age=50)
        jia, yi, bing, ding = (place(api, pid, c, a) for c in cids)
        coord = api.as_("coord1")
        assign = {}
        for sid, vid in ((a1, jia), (a1, yi), (a2, bing), (a2, ding)):
            r = coord.post(base + "/assignments", json={"shift_id": sid, "volunteer_id": vid})
            assert r.status_code == 201, r.text
            assign[vid] = r.json()["id"]
        grant_permit(eng, pid)
        bring_to(eng, pid, "service")

        clock.set("2010-05-01T08:05:00+08:00")
        assert api.as_("leader1").post(base + f"/assignments/{assign[jia]}/checkin", json={}).status_code == 201
        clock.set("2010-05-01T12:05:00+08:00")
        leader = api.as_("leader1")
        for vid in (bing, ding):
            assert leader.post(base + f"/assignments/{assign[vid]}/checkin", json={}).status_code == 201

        clock.set("2010-05-01T12:30:00+08:00")
        gh, hq, leader = api.as_("gh1"), api.as_("hq1"), api.as_("leader1")
        move = {"from_post_id": a, "to_post_id": b, "count": 1, "starts_at": "2010-05-01T13:00",
                "ends_at": "2010-05-01T15:00", "reason": "3号门人流激增 / crowd at gate 3"}
        assert leader.post(ev + "/reallocations", json=move).status_code == 403
        r = gh.post(ev + "/reallocations", json=move)
        assert r.status_code == 201, r.text
        [moved] = r.json()["moved"]
        assert (moved["volunteer_id"], moved["minutes_that_day"]) == (bing, 240)

        # a move the shift rules forbid, and one the post's age rule forbids: refused naming the rule
        r = hq.post(ev + "/reallocations", json={**move, "starts_at": "2010-05-01T15:00",
                                                 "ends_at": "2010-05-01T18:00", "volunteer_ids": [jia]})
        assert r.status_code == 422 and "shifts.max_hours_per_day" in r.text, r.text
        r = hq.post(ev + "/reallocations", json={**move, "volunteer_ids": [ding]})
        assert r.status_code == 422 and "needs age ≤ 50, is 55" in r.text
        r = hq.post(ev + "/reallocations", json={**move, "count": 3})  # 甲 and 乙 movable, 丁 not, 丙 already moved
        assert r.status_code == 422 and "2 of 3" in r.text
        assert hq.post(ev + "/reallocations", json={**move, "to_post_id": a}).status_code == 422
        assert hq.post(ev + "/reallocations", json={**move, "ends_at": "2010-05-01T12:00"}).status_code == 422
        assert hq.post(ev + "/reallocations", json={**move, "to_post_id": 999999}).status_code == 404
        log = leader.get(ev + "/reallocations", params={"day": "2010-05-01"}).json()["moves"]
        assert [(m["volunteer_id"], m["moved_by"], m["reason"]) for m in log] == [(bing, "gh1", move["reason"])]

        clock.set("2010-05-01T13:30:00+08:00")
        posts = {p["post_id"]: p for p in api.as_("gh1").get(ev + "/board", params={"day": "2010-05-01"})
                 .json()["posts"]}
        assert (posts[a]["on_post_now"], posts[a]["moved_out_now"]) == (2, 1)  # 甲 and 丁; 丙 is at gate 3
        assert (posts[b]["on_post_now"], posts[b]["moved_in_now"]) == (1, 1)
        assert posts[b]["moved_in"][0]["reason"] == move["reason"]
        clock.set("2010-05-01T15:10:00+08:00")
        posts = {p["post_id"]: p for p in api.as_("gh1").get(ev + "/board", params={"day": "2010-05-01"})
                 .json()["posts"]}
        assert (posts[a]["on_post_now"], posts[a]["moved_out_now"], posts[b]["on_post_now"]) == (3, 0, 0)

        # 甲 to gate 3 for 15:00–15:50; the crowd clears and the group head ends it at 15:20
        second = {**move, "starts_at": "2010-05-01T15:00", "ends_at": "2010-05-01T15:50", "volunteer_ids": [jia]}
        r = gh.post(ev + "/reallocations", json=second)
        assert r.status_code == 201, r.text
        mid = r.json()["moved"][0]["id"]
        clock.set("2010-05-01T15:20:00+08:00")
        posts = {p["post_id"]: p for p in gh.get(ev + "/board", params={"day": "2010-05-01"}).json()["posts"]}
        assert (posts[a]["on_post_now"], posts[b]["on_post_now"]) == (2, 1)
        stop = {"reason": "3号门人流恢复 / gate 3 back to normal"}
        assert leader.post(ev + f"/reallocations/{mid}/end", json=stop).status_code == 403
        assert gh.post(ev + f"/reallocations/{mid}/end", json={**stop, "at": "2010-05-01T16:00"}).status_code == 422
        assert gh.post(ev + "/reallocations/999999/end", json=stop).status_code == 404
        r = gh.post(ev + f"/reallocations/{mid}/end", json=stop)
        assert r.status_code == 200, r.text
        ended = r.json()
        assert (ended["ends_at"], ended["planned_ends_at"], ended["ended_by"], ended["cancelled"]) == (
            "2010-05-01T15:20:00+08:00", "2010-05-01T15:50:00+08:00", "gh1", False)
        r = hq.post(ev + f"/reallocations/{mid}/end", json=stop)
        assert r.status_code == 409 and "15:20" in r.text
        posts = {p["post_id"]: p for p in gh.get(ev + "/board", params={"day": "2010-05-01"}).json()["posts"]}
        assert (posts[a]["on_post_now"], posts[b]["on_post_now"], posts[b]["moved_in_now"]) == (3, 0, 0)

        # a move for later, cancelled before it begins: 乙 is free to be moved again for that window
        later = {**move, "starts_at": "2010-05-01T15:30", "ends_at": "2010-05-01T15:45", "volunteer_ids": [yi]}
        r = hq.post(ev + "/reallocations", json=later)
        assert r.status_code == 201, r.text
        r = hq.post(ev + f"/reallocations/{r.json()['moved'][0]['id']}/end", json=stop)
        assert r.status_code == 200 and r.json()["cancelled"] is True, r.text
        assert hq.post(ev + "/reallocations", json=later).status_code == 201
        log = leader.get(ev + "/reallocations", params={"day": "2010-05-01"}).json()["moves"]
        assert [m["ended_early"] for m in log] == [False, True, True, False]
