"""Seed 004's programme over HTTP, from unit registration to the post-event report.

The lifecycle is moved by its real triggers (``bring_to``: it records a need and a project as an admin
would); everything else is an HTTP call with the role that would make it: the unit liaison registers
the unit's people, interviewers score open applicants, the coordinator offers, places and runs the
CP-SAT auto-roster (shift rules of the pack event-expo2010-security: 11 h rest, 8 h a day), the
admin records the permit, team leaders check people in and acknowledge incidents, the scheduled
path escalates an unacknowledged one, logistics issue and take back equipment, and the report
shows it all.
"""

from __future__ import annotations

import datetime as dt

from event_helpers import person
from tests_support import bring_to, make_users

from engine.testing import frozen_clock, tick


def test_seed_004_end_to_end(eng, prog, api) -> None:  # type: ignore[no-untyped-def]
    pid = prog.id
    with frozen_clock("2010-04-20T10:00:00+08:00") as clock:
        bring_to(eng, pid, "recruitment")
        make_users(eng, pid, {"admin": "admin1", "coordinator": "coord1", "unit_liaison": "liaison-gov",
                              "interviewer": "iv1", "team_leader": "leader1", "volunteer": "vol1"})
        with eng.session() as s:
            u = eng.auth.create_user(s, "iv2", "secret-pass-1", display_name="iv2")
            eng.auth.grant(s, u, pid, "interviewer", known_roles=set(eng.programme(pid, s).config.roles))
            s.commit()
        base = f"/programmes/{pid}"
        ev = base + "/event"
        admin, coord, liaison = api.as_("admin1"), api.as_("coord1"), api.as_("liaison-gov")
        iv1, iv2, leader = api.as_("iv1"), api.as_("iv2", "secret-pass-1"), api.as_("leader1")

        # recruitment: the 镇党政机关 unit registers three; two open applicants, one offered, one waitlisted
        r = liaison.post(ev + "/units/gov/registrations", json={"people": [person(n) for n in ("甲", "乙", "丙")]})
        assert r.status_code == 201, r.text
        unit_ids = r.json()["candidate_ids"]
        open_ids = [coord.post(ev + "/applications", json=person(n)).json()["candidate_id"] for n in ("丁", "戊")]
        for cid, (a, b) in zip(open_ids, [(88, 92), (70, 66)], strict=True):
            coord.post(ev + f"/candidates/{cid}/screen", json={"passed": True})
            iv1.post(ev + f"/candidates/{cid}/scores", json={"score": a})
            iv2.post(ev + f"/candidates/{cid}/scores", json={"score": b})
        offers = coord.post(ev + "/offers", json={"places": 1}).json()
        assert offers["offered"] == [open_ids[0]] and offers["waitlisted"] == [open_ids[1]]
        agreed = [*unit_ids, open_ids[0]]
        for cid in agreed:
            assert coord.post(ev + f"/candidates/{cid}/agree").status_code == 200

        # design: one patrol post, three shifts (the pack allows 2010-05-01 … 10-31)
        project = coord.post(base + "/projects", json={"name": "社区治安巡防 Patrol", "kind": "periodic"}).json()
        post = coord.post(base + f"/projects/{project['id']}/posts", json={"name": "北片巡防员", "capacity": 2}).json()
        times = [("2010-05-01T09:00", "2010-05-01T13:00"), ("2010-05-01T19:00", "2010-05-01T23:00"),
                 ("2010-05-02T09:00", "2010-05-02T13:00")]
        shifts = [coord.post(base + f"/posts/{post['id']}/shifts", json={"starts_at": a, "ends_at": b}).json()["id"]
                  for a, b in times]
        vids = []
        for cid in agreed:
            r = coord.post(ev + f"/candidates/{cid}/place", json={"post_id": post["id"], "signed_on": "2010-04-20"})
            assert r.status_code == 201, r.text
            vids.append(r.json()["volunteer_id"])

        # the auto-roster: 6 places; 11 h rest means nobody does both shifts of 1 May, or evening + next morning
        r = coord.post(ev + "/auto-roster", json={"time_limit": 3})
        assert r.status_code == 200, r.text
        roster = r.json()
        assert (roster["needed"], roster["filled"], roster["bound"], roster["unfilled"]) == (6, 6, 6, [])
        # a coordinator's manual assignment that breaks the rest rule is refused with the rule named
        rows = coord.get(base + "/assignments", params={"shift_id": shifts[1]}).json()
        evening_vol = rows[0]["volunteer_id"]
        r = coord.post(base + "/assignments", json={"shift_id": shifts[2], "volunteer_id": evening_vol})
        assert r.status_code in (409, 422) and "shifts.min_rest_hours" in r.text

        # the permit, then service (start_service is guarded by event.permit_granted)
        r = admin.put(ev + "/permit", json={"filed_on": "2010-04-05", "accepted_on": "2010-04-06",
                                            "decided_on": "2010-04-12", "decision": "granted"})
        assert r.status_code == 200
        bring_to(eng, pid, "service")

        # the day: check two of the morning in... one of them only
        clock.set("2010-05-01T09:20:00+08:00")
        admin, coord, leader = api.as_("admin1"), api.as_("coord1"), api.as_("leader1")  # tokens of 20 April expired
        morning = coord.get(base + "/assignments", params={"shift_id": shifts[0]}).json()
        assert leader.post(base + f"/assignments/{morning[0]['id']}/checkin", json={}).status_code == 201
        board = coord.get(ev + "/board", params={"day": "2010-05-01"}).json()
        first = board["posts"][0]["shifts"][0]
        assert (first["rostered"], first["checked_in"], first["missing"]) == (2, 1, 1)

        # an incident nobody acknowledges climbs: 5 min at ordinary, then the team leader's 10 min
        r = api.as_("vol1").post(ev + "/incidents", json={"category": "medical", "description": "中暑 / heatstroke",
                                                          "gov_grade": "general", "warning_colour": "yellow"})
        iid = r.json()["id"]
        clock.advance(minutes=5)
        tick(eng, programme_ids=[pid], deliver=False)
        r = leader.post(ev + f"/incidents/{iid}/acknowledge")
        assert r.json()["level"] == "team_leader" and r.json()["acknowledged_by"] == "leader1"
        clock.advance(minutes=60)
        tick(eng, programme_ids=[pid], deliver=False)
        assert coord.get(base + "/incidents").json()[0]["level"] == "team_leader"  # acknowledged: stays

        # equipment: vest and radio out, the vest back
        vest = coord.post(ev + "/equipment", json={"volunteer_id": vids[0], "item": "vest", "code": "V-001"}).json()
        coord.post(ev + "/equipment", json={"volunteer_id": vids[0], "item": "radio", "code": "R-07"})
        assert coord.post(ev + "/equipment", json={"volunteer_id": vids[1], "item": "vest",
                                                   "code": "V-001"}).status_code == 409
        coord.post(ev + f"/equipment/{vest['id']}/return")
        assert coord.get(ev + "/equipment/outstanding").json()["by_item"] == {"radio": 1}

        # the post-event report
        report = admin.get(base + "/report").json()
        section = next(s for s in report["sections"] if s.get("source") == "event")
        f = section["figures"]
        assert f["签约 Agreed"] == 4 and f["班次满员 Shifts fully covered"] == "3/3"
        assert f["排班时长（小时）Rostered hours"] == 24.0 and f["事件 Incidents"] == 1
        assert f["未归还装备 Equipment still out"] == 1
        assert section["rows"][0] == ["gov", 3, 229]
        assert dt.date  # the clock was frozen throughout
