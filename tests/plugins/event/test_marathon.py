"""A stranger's programme: a city marathon (examples/event-marathon.yaml, 郑开 2018's call) over HTTP —
`check` clean; the universities' liaison registers a batch, one open applicant; refusals that name
the rule (born after the call's cut-off, a minor where minors are not admitted, the duty window
T−2 … T+0, 10 h rest); the auto-roster of race day; the permit (> 5,000: city police); check-in,
the board, an incident climbing after 3 minutes; the report. Then the same file admitting 16-year-olds
with a guardian's paper consent (the funnel's `guardian_name`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from day_helpers import post_with_shifts, project
from event_helpers import person
from tests_support import bring_to, make_users

from engine.testing import frozen_clock, tick

ROOT = Path(__file__).resolve().parents[3]
FILE = ROOT / "examples" / "event-marathon.yaml"
ROLES = {"admin": "admin1", "coordinator": "coord1", "unit_liaison": "liaison-uni", "interviewer": "iv1",
         "team_leader": "leader1", "volunteer": "vol1"}


def test_marathon_file_checks_clean(eng) -> None:  # type: ignore[no-untyped-def]
    from engine.config import check_files

    assert check_files([FILE], eng.host) == {str(FILE): []}
    prog = eng.load(FILE)
    s = prog.rules_policy.shifts
    assert s.duty_window.bounds() == (dt.date(2018, 3, 23), dt.date(2018, 3, 25))
    assert (s.min_rest_hours, s.max_hours_per_day, s.max_consecutive_days, s.max_shifts_per_day) == (10, 8, 2, 1)


def test_marathon_from_registration_to_report(eng, api) -> None:  # type: ignore[no-untyped-def]
    pid = eng.load(FILE).id
    base, ev = f"/programmes/{pid}", f"/programmes/{pid}/event"
    with frozen_clock("2018-03-01T10:00:00+08:00") as clock:
        bring_to(eng, pid, "recruitment")
        make_users(eng, pid, ROLES)
        coord, liaison, admin = api.as_("coord1"), api.as_("liaison-uni"), api.as_("admin1")
        # eligibility: born the day after the cut-off, and a 17-year-old (minors not admitted) — both named
        r = liaison.post(ev + "/units/universities/registrations", json={"people": [
            person("甲", dt.date(1998, 5, 1)), person("乙", dt.date(2000, 3, 26)), person("丙", dt.date(2001, 6, 1))]})
        assert r.status_code == 422
        assert "row 2" in r.text and "eligibility.born_on_or_before" in r.text
        assert "row 3" in r.text and "recruitment.minors_allowed" in r.text and "row 1" not in r.text
        names = ["甲", "乙", "丙", "丁", "戊", "己"]
        r = liaison.post(ev + "/units/universities/registrations",
                         json={"people": [person(n, dt.date(1999, 1, 1 + i)) for i, n in enumerate(names)]})
        assert r.status_code == 201, r.text
        cids = r.json()["candidate_ids"]
        cid = coord.post(ev + "/applications", json=person("庚", dt.date(2000, 2, 25))).json()["candidate_id"]
        coord.post(ev + f"/candidates/{cid}/screen", json={"passed": True})
        api.as_("iv1").post(ev + f"/candidates/{cid}/scores", json={"score": 80})   # one interviewer suffices here
        assert coord.post(ev + "/offers", json={"places": 1}).json()["offered"] == [cid]
        cids.append(cid)
        for c in cids:
            assert coord.post(ev + f"/candidates/{c}/agree").status_code == 200

        # posts: a water station (every 2.5 km; one shown) and packet pick-up at the expo
        water, [race] = post_with_shifts(api, pid, project(api, pid, "5 km 服务站", node="water"), "5 km 服务站",
                                         [("2018-03-25T06:00", "2018-03-25T13:00")], capacity=4)
        expo, [early, eve] = post_with_shifts(api, pid, project(api, pid, "领物", node="expo"), "领物服务",
                                              [("2018-03-22T10:00", "2018-03-22T18:00"),
                                               ("2018-03-24T13:00", "2018-03-24T21:00")], capacity=2)
        vids = []
        for i, c in enumerate(cids):
            r = coord.post(ev + f"/candidates/{c}/place", json={"post_id": water if i < 5 else expo,
                                                                   "signed_on": "2018-03-01"})
            assert r.status_code == 201, r.text
            vids.append(r.json()["volunteer_id"])
        r = coord.post(ev + "/auto-roster", json={"shift_ids": [race], "time_limit": 5})
        assert r.status_code == 200, r.text
        assert (r.json()["needed"], r.json()["filled"], r.json()["unfilled"]) == (4, 4, [])
        # shift rules, each refusal naming its rule: T−3 is outside the duty window; expo until 21:00
        # leaves 9 h before a 06:00 race-day start, under min_rest_hours 10
        r = coord.post(base + "/assignments", json={"shift_id": early, "volunteer_id": vids[5]})
        assert r.status_code in (409, 422) and "shifts.duty_window" in r.text
        rostered = {a["volunteer_id"] for a in coord.get(base + "/assignments", params={"shift_id": race}).json()}
        r = coord.post(base + "/assignments", json={"shift_id": eve, "volunteer_id": sorted(rostered)[0]})
        assert r.status_code in (409, 422) and "shifts.min_rest_hours" in r.text
        # one shift a day: the same volunteer again on race day, at the finish in the evening
        _, [late] = post_with_shifts(api, pid, project(api, pid, "终点 Finish", node="water"), "终点",
                                     [("2018-03-25T20:00", "2018-03-25T21:00")], capacity=2)
        r = coord.post(base + "/assignments", json={"shift_id": late, "volunteer_id": sorted(rostered)[0]})
        assert r.status_code in (409, 422) and "shifts.max_shifts_per_day = 1" in r.text, r.text

        # the permit: 30,000 expected → the city-level police, 20 days ahead
        need = admin.get(ev + "/permit").json()
        assert "市" in str(need) and "2018-03-05" in str(need), need
        r = admin.put(ev + "/permit", json={"filed_on": "2018-03-01", "accepted_on": "2018-03-02",
                                            "decided_on": "2018-03-08", "decision": "granted"})
        assert r.status_code == 200, r.text
        bring_to(eng, pid, "service")

        # race day: two checked in, the board, a collapsed runner nobody acknowledges for 3 minutes
        clock.set("2018-03-25T06:10:00+08:00")
        coord, leader = api.as_("coord1"), api.as_("leader1")
        rows = coord.get(base + "/assignments", params={"shift_id": race}).json()
        for a in rows[:2]:
            assert leader.post(base + f"/assignments/{a['id']}/checkin", json={}).status_code == 201
        board = coord.get(ev + "/board", params={"day": "2018-03-25"}).json()
        shift = next(p for p in board["posts"] if p["post_id"] == water)["shifts"][0]
        assert (shift["rostered"], shift["checked_in"], shift["missing"]) == (4, 2, 2)
        r = api.as_("vol1").post(ev + "/incidents", json={"category": "medical", "description": "跑者倒地 / runner down",
                                                          "gov_grade": "general", "warning_colour": "blue"})
        assert r.status_code == 201, r.text
        clock.advance(minutes=3)
        tick(eng, programme_ids=[pid], deliver=False)
        assert coord.get(base + "/incidents").json()[0]["level"] == "team_leader"   # ack_minutes.ordinary: 3

        report = api.as_("admin1").get(base + "/report").json()
        f = next(s for s in report["sections"] if s.get("source") == "event")["figures"]
        assert f["签约 Agreed"] == 7 and f["事件 Incidents"] == 1 and f["排班时长（小时）Rostered hours"] == 28.0


def test_sixteen_year_olds_with_a_guardians_paper_consent(eng, api) -> None:  # type: ignore[no-untyped-def]
    register_minor(eng, api)


def register_minor(eng, api):  # type: ignore[no-untyped-def]
    """The same race admitting 16 and 17-year-olds (a general mechanism, not this call's rule):
    eligibility.min_age 16 and recruitment {minors_allowed, min_age: 16, guardian_consent: workflow};
    the liaison gives the signer (`guardian_name`) and the consent is recorded as given on paper."""
    text = FILE.read_text(encoding="utf-8").replace("    min_age: 18\n", "    min_age: 16\n").replace(
        "    born_on_or_before: 2000-03-25   # the call: 2000年3月25日（含）前出生\n", "").replace(
        "timezone: Asia/Shanghai\n",
        "timezone: Asia/Shanghai\nrecruitment: {minors_allowed: true, min_age: 16, guardian_consent: workflow}\n")
    pid = eng.load(text, filename="marathon-16.yaml").id
    ev = f"/programmes/{pid}/event"
    with frozen_clock("2018-03-01T10:00:00+08:00"):
        bring_to(eng, pid, "recruitment")
        make_users(eng, pid, ROLES)
        liaison, coord = api.as_("liaison-uni"), api.as_("coord1")
        r = liaison.post(ev + "/units/universities/registrations", json={"people": [
            person("少一", dt.date(2001, 6, 1)), person("少二", dt.date(2002, 6, 1))]})
        assert r.status_code == 422 and "row 1" in r.text and "guardian_name" in r.text
        assert "eligibility.min_age 16" in r.text and "row 2" in r.text   # 15 on race day
        r = liaison.post(ev + "/units/universities/registrations", json={"people": [
            person("少一", dt.date(2001, 6, 1), guardian_name="少父")]})
        assert r.status_code == 201, r.text
        [cid] = r.json()["candidate_ids"]
        from engine.stages.recruitment import consent
        from plugins.event.models import Candidate

        with eng.session() as s:
            row = consent.current(s, pid, s.get(Candidate, cid).volunteer_id)
            assert (row.status, row.via, row.guardian_name) == ("given", "paper", "少父")
        assert coord.post(ev + f"/candidates/{cid}/agree").status_code == 200
    return pid, cid


def test_a_sixteen_year_old_is_placed(eng, api) -> None:  # type: ignore[no-untyped-def]
    pid, cid = register_minor(eng, api)
    with frozen_clock("2018-03-01T10:00:00+08:00"):
        post, _ = post_with_shifts(api, pid, project(api, pid, "啦啦队", node="course"), "啦啦队",
                                   [("2018-03-25T07:00", "2018-03-25T11:00")], min_age=16)
        r = api.as_("coord1").post(f"/programmes/{pid}/event/candidates/{cid}/place",
                                   json={"post_id": post, "signed_on": "2018-03-01"})
        assert r.status_code == 201, r.text



def test_eighteen_on_race_day_is_placed_before_the_birthday(eng, api) -> None:  # type: ignore[no-untyped-def]
    """郑开 2018: born on 2000-03-25 qualifies (18 on race day), but on 1 March they are 17."""
    pid = eng.load(FILE).id
    ev = f"/programmes/{pid}/event"
    with frozen_clock("2018-03-01T10:00:00+08:00"):
        bring_to(eng, pid, "recruitment")
        make_users(eng, pid, ROLES)
        r = api.as_("liaison-uni").post(ev + "/units/universities/registrations",
                                        json={"people": [person("庚", dt.date(2000, 3, 25))]})
        assert r.status_code == 201, r.text   # the call's rule: eligible
        [cid] = r.json()["candidate_ids"]
        coord = api.as_("coord1")
        post, _ = post_with_shifts(api, pid, project(api, pid, "5 km", node="water"), "5 km 服务站",
                                   [("2018-03-25T06:00", "2018-03-25T13:00")])
        assert coord.post(ev + f"/candidates/{cid}/agree").status_code == 200
        # 17 when the agreement is signed: the guardian signs it (003 附件4 第二条), though 18 on race day
        r = coord.post(ev + f"/candidates/{cid}/place", json={"post_id": post, "signed_on": "2018-03-01"})
        assert r.status_code == 422 and r.json()["detail"]["field"] == "guardian_name", r.text
        r = coord.post(ev + f"/candidates/{cid}/place",
                       json={"post_id": post, "signed_on": "2018-03-01", "guardian_name": "庚父"})
        assert r.status_code == 201, r.text
