"""A stranger's programme: multi-venue games (examples/event-asian-games.yaml, the Hangzhou Asian Games'
supplementary call) over HTTP — `check` clean and the beijing-2022-games pack under the call's own
cut-off; refusals naming the rule (born after 2005-08-31, fewer than 10 days available, the duty
window T−7 … T+3, 8 h a day, 11 h rest, 40 h a week, 6 days in a row, a language post); a small
auto-roster over two venues; check-in, the board, an incident climbing to HQ, the report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from day_helpers import post_with_shifts, project
from event_helpers import id_number, person
from tests_support import bring_to, make_users

from engine.testing import frozen_clock, tick

ROOT = Path(__file__).resolve().parents[3]
FILE = ROOT / "examples" / "event-asian-games.yaml"
EN = ["en"]
WEEK = [dt.date(2023, 9, 18) + dt.timedelta(days=i) for i in range(7)]   # Monday … Sunday


def test_games_file_checks_clean_with_the_pack_overridden(eng) -> None:  # type: ignore[no-untyped-def]
    from engine.config import check_files

    assert check_files([FILE], eng.host) == {str(FILE): []}
    prog = eng.load(FILE)
    e, s = prog.rules.eligibility, prog.rules_policy.shifts
    assert (e.min_age, e.max_age, e.born_on_or_before, e.age_on, e.min_available_days, e.residence) == (
        18, None, dt.date(2005, 8, 31), dt.date(2023, 9, 23), 10, None)
    assert s.duty_window.bounds() == (dt.date(2023, 9, 16), dt.date(2023, 10, 11))
    assert (s.max_hours_per_day, s.min_rest_hours, s.max_hours_per_week, s.max_consecutive_days) == (8, 11, 40, 6)


def test_games_from_registration_to_report(eng, api) -> None:  # type: ignore[no-untyped-def]
    pid = eng.load(FILE).id
    base, ev = f"/programmes/{pid}", f"/programmes/{pid}/event"
    with frozen_clock("2023-08-01T10:00:00+08:00") as clock:
        bring_to(eng, pid, "recruitment")
        make_users(eng, pid, {"admin": "admin1", "coordinator": "coord1", "unit_liaison": "liaison-zju",
                              "interviewer": "iv1", "team_leader": "leader1", "hq": "hq1", "volunteer": "vol1"})
        with eng.session() as s:
            u = eng.auth.create_user(s, "iv2", "secret-pass-1", display_name="iv2")
            eng.auth.grant(s, u, pid, "interviewer", known_roles=set(eng.programme(pid, s).config.roles))
            s.commit()
        coord, liaison = api.as_("coord1"), api.as_("liaison-zju")
        # the call's conditions, each refusal naming its key
        r = liaison.post(ev + "/units/zju/registrations", json={"people": [
            person("甲", dt.date(2005, 8, 31), available_days=10, languages=EN),
            person("乙", dt.date(2005, 9, 1), available_days=10, languages=EN),
            person("丙", dt.date(2003, 1, 1), available_days=9, languages=EN),
            person("丁", dt.date(2003, 1, 2), available_days=10, languages=["ja"])]})
        assert r.status_code == 422
        assert "row 2" in r.text and "eligibility.born_on_or_before" in r.text
        assert "row 3" in r.text and "eligibility.min_available_days 10" in r.text and "row 1" not in r.text
        assert "row 4" in r.text and "eligibility.languages_any: en (declared: ja)" in r.text  # 能够使用英语进行交流
        # two Japanese speakers: the unit's rows declare their languages, which the registry keeps
        # (one already registered with English only gains Japanese; nothing is removed)
        ja = [id_number(dt.date(2002, 2, 2 + i)) for i in range(2)]
        r = coord.post(base + "/volunteers", json={"name": "日语0", "id_number": ja[0], "phone": "13800000000",
                                                   "languages": ["en"], "skills": ["急救"], "consent": True})
        assert r.status_code == 201, r.text
        people = [person(f"学生{i}", dt.date(2001, 1, 1 + i), available_days=12, languages=EN) for i in range(20)]
        people += [{**person(f"日语{i}", available_days=12, languages=["en", "ja"]), "id_number": idn}
                   for i, idn in enumerate(ja)]
        r = liaison.post(ev + "/units/zju/registrations", json={"people": people})
        assert r.status_code == 201, r.text
        cids = r.json()["candidate_ids"]
        # open recruitment: two interviewers, pass score 70
        opens = [coord.post(ev + "/applications", json=person(n, available_days=15, languages=EN)).json()["candidate_id"]
                 for n in ("社会一", "社会二")]
        for cid, (a, b) in zip(opens, [(90, 80), (70, 60)], strict=True):
            coord.post(ev + f"/candidates/{cid}/screen", json={"passed": True})
            api.as_("iv1").post(ev + f"/candidates/{cid}/scores", json={"score": a})
            api.as_("iv2", "secret-pass-1").post(ev + f"/candidates/{cid}/scores", json={"score": b})
        offers = coord.post(ev + "/offers", json={"places": 2}).json()
        assert offers["offered"] == [opens[0]] and offers["waitlisted"] == []     # 65 is below pass_score 70
        cids.append(opens[0])
        for c in cids:
            assert coord.post(ev + f"/candidates/{c}/agree").status_code == 200

        # two venues: spectator services at the stadium (4 h a day all week), sport operations at the
        # gymnasium (8 h, Monday–Saturday), a Japanese protocol post
        def times(a: str, b: str, days: list[dt.date]) -> list[tuple[str, str]]:
            return [(f"{d}T{a}", f"{d}T{b}") for d in days]

        stadium, st_shifts = post_with_shifts(api, pid, project(api, pid, "体育场观众服务", node="oc-spectators"),
                                              "观众引导", times("14:00", "18:00", WEEK), capacity=2)
        gym, gym_shifts = post_with_shifts(api, pid, project(api, pid, "体育馆竞赛运行", node="gym-competition"),
                                           "竞赛运行助理", times("08:00", "16:00", WEEK[:6]), capacity=2)
        protocol, [ja_shift] = post_with_shifts(api, pid, project(api, pid, "礼宾", node="oc-language"), "日语礼宾",
                                                times("09:00", "13:00", WEEK[5:6]), languages=["ja"])
        _, [t8, long_shift] = post_with_shifts(api, pid, project(api, pid, "场馆运行", node="gymnasium"), "场馆运行",
                                               [("2023-09-15T09:00", "2023-09-15T13:00"),
                                                ("2023-09-20T08:00", "2023-09-20T17:00")])
        vids = []
        for i, c in enumerate(cids):
            post = protocol if i in (20, 21) else stadium if i % 2 else gym
            r = coord.post(ev + f"/candidates/{c}/place", json={"post_id": post, "signed_on": "2023-08-01"})
            assert r.status_code == 201, r.text
            vids.append(r.json()["volunteer_id"])
        # a language post refuses someone without the language, naming it
        r = coord.post(ev + f"/candidates/{cids[0]}/place", json={"post_id": protocol, "signed_on": "2023-08-01"})
        assert r.status_code == 422 and "languages" in r.text and "ja" in r.text

        # shift rules, each refusal naming its rule (coordinator's assignments are checked like the roster's)
        def assign(shift: int, vid: int) -> object:
            return coord.post(base + "/assignments", json={"shift_id": shift, "volunteer_id": vid})

        gym_vid, st_vid = vids[0], vids[1]
        for sh in gym_shifts[:5]:                                     # Monday–Friday: 5 × 8 h = 40 h
            assert assign(sh, gym_vid).status_code == 201
        r = assign(gym_shifts[5], gym_vid)
        assert r.status_code in (409, 422) and "shifts.max_hours_per_week" in r.text
        for sh in st_shifts[:6]:                                      # six afternoons in a row
            assert assign(sh, st_vid).status_code == 201
        r = assign(st_shifts[6], st_vid)
        assert r.status_code in (409, 422) and "shifts.max_consecutive_days" in r.text
        r = assign(t8, vids[3])                                        # 15 September: before T−7
        assert r.status_code in (409, 422) and "shifts.duty_window" in r.text

        # the auto-roster on the rest (coordinators' 11 assignments kept): 2 venues, 14 + 2×6 + 1 − 11 places
        r = coord.post(ev + "/auto-roster", json={"shift_ids": [*st_shifts, *gym_shifts, ja_shift], "time_limit": 5})
        assert r.status_code == 200, r.text
        out = r.json()
        assert (out["needed"], out["filled"], out["unfilled"]) == (16, 16, []), out
        ja_rows = coord.get(base + "/assignments", params={"shift_id": ja_shift}).json()
        assert {a["volunteer_id"] for a in ja_rows} <= {vids[20], vids[21]}
        # nobody is given a 9-hour day, nor a Sunday evening shift 9 h before Monday's 08:00
        r = assign(long_shift, vids[5])
        assert r.status_code in (409, 422) and "shifts.max_hours_per_day" in r.text
        r = coord.post(base + f"/posts/{gym}/shifts", json={"starts_at": "2023-09-17T20:00", "ends_at": "2023-09-17T23:00"})
        r = assign(r.json()["id"], gym_vid)
        assert r.status_code in (409, 422) and "shifts.min_rest_hours" in r.text

        need = api.as_("admin1").get(ev + "/permit").json()
        assert "市" in str(need), need
        api.as_("admin1").put(ev + "/permit", json={"filed_on": "2023-08-01", "accepted_on": "2023-08-02",
                                                     "decided_on": "2023-08-08", "decision": "granted"})
        bring_to(eng, pid, "service")

        clock.set("2023-09-18T08:20:00+08:00")
        coord, leader = api.as_("coord1"), api.as_("leader1")
        rows = coord.get(base + "/assignments", params={"shift_id": gym_shifts[0]}).json()
        assert leader.post(base + f"/assignments/{rows[0]['id']}/checkin", json={}).status_code == 201
        board = coord.get(ev + "/board", params={"day": "2023-09-18"}).json()
        sh = next(p for p in board["posts"] if p["post_id"] == gym)["shifts"][0]
        assert (sh["rostered"], sh["checked_in"], sh["missing"]) == (2, 1, 1)
        r = api.as_("vol1").post(ev + "/incidents", json={"category": "weather", "description": "雷雨 / thunderstorm",
                                                          "gov_grade": "general", "warning_colour": "yellow"})
        assert r.status_code == 201, r.text
        clock.advance(minutes=5 + 10 + 15)
        tick(eng, programme_ids=[pid], deliver=False)
        assert coord.get(base + "/incidents").json()[0]["level"] == "hq"

        report = api.as_("admin1").get(base + "/report").json()
        section = next(s for s in report["sections"] if s.get("source") == "event")
        f = section["figures"]
        assert f["签约 Agreed"] == 23 and f["事件 Incidents"] == 1
        assert ["zju", 22, 2000] in section["rows"]


def test_open_recruitment_counts_against_its_unit(eng, api) -> None:  # type: ignore[no-untyped-def]
    """rules.units[] with directed: false (社会招募, 400 places): an open application names it and its
    quota counts; a directed unit is refused there; the open applicant still needs an offer to agree."""
    text = FILE.read_text(encoding="utf-8").replace("quota: 400, directed: false", "quota: 1, directed: false")
    pid = eng.load(text, filename="hz.yaml").id
    ev = f"/programmes/{pid}/event"
    with frozen_clock("2023-08-01T10:00:00+08:00"):
        bring_to(eng, pid, "recruitment")
        make_users(eng, pid, {"coordinator": "coord1"})
        coord = api.as_("coord1")
        r = coord.post(ev + "/applications", json={**person("社会一", available_days=12, languages=EN), "unit": "public"})
        assert r.status_code == 201, r.text
        cid = r.json()["candidate_id"]
        r = coord.post(ev + "/applications", json={**person("社会二", available_days=12, languages=EN), "unit": "public"})
        assert r.status_code == 422 and "quota of 1" in r.text
        r = coord.post(ev + "/applications", json={**person("社会三", available_days=12, languages=EN), "unit": "zju"})
        assert r.status_code == 422 and "directed" in r.text and '"unit"' in r.text
        assert [u["registered"] for u in coord.get(ev + "/funnel").json()["units"]] == [0, 0, 1]
        assert coord.post(ev + f"/candidates/{cid}/screen", json={"passed": True}).status_code == 200
        assert coord.post(ev + f"/candidates/{cid}/agree").status_code == 409   # no offer yet
