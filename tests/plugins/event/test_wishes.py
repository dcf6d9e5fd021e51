"""Volunteers' stored preferences and unavailability over HTTP, and the auto-roster using them.

Two agreed volunteers 甲 and 乙 on the patrol post (shifts 1 May 09–13, 2 May 09–13 and 14–18) and
on the south-gate post (3 May 09–13); the pack's 11 h rest keeps anyone off both shifts of 2 May.
甲 is not free on 1 May (a whole day) and wishes for the patrol team first, the south gate second; 乙
is not free from 08:00 to 10:00 on 2 May (a window) and wishes for the south gate first. The only full
roster that respects both is 1 May 乙, 2 May morning 甲, afternoon 乙; 3 May goes to 乙 because a first
choice outweighs a second — with wishes counted alike, fairness would give it to 甲, who has less.
"""

from __future__ import annotations

from day_helpers import agreed_people, link, place, post_with_shifts, project
from tests_support import bring_to, make_users

from engine.testing import frozen_clock


def test_stored_wishes_drive_the_auto_roster(eng, prog, api) -> None:  # type: ignore[no-untyped-def]
    pid = prog.id
    with frozen_clock("2010-04-20T10:00:00+08:00"):
        bring_to(eng, pid, "recruitment")
        make_users(eng, pid, {"admin": "admin1", "coordinator": "coord1", "unit_liaison": "liaison-gov",
                              "volunteer": "vol1", "group_head": "gh1"})
        with eng.session() as s:
            u = eng.auth.create_user(s, "vol2", "secret-pass-2", display_name="vol2")
            eng.auth.grant(s, u, pid, "volunteer", known_roles=set(eng.programme(pid, s).config.roles))
            s.commit()
        ev = f"/programmes/{pid}/event"
        coord, vol1, vol2 = api.as_("coord1"), api.as_("vol1"), api.as_("vol2", "secret-pass-2")
        assert vol1.get(ev + "/me/wishes").status_code == 403  # not linked to a volunteer yet
        jia, yi = agreed_people(api, pid, ["甲", "乙"])
        patrol = project(api, pid, "北片巡防 Patrol", node="patrol-north")
        gates = project(api, pid, "南门守护 South gate", node="patrol-south")
        a, (s1, s2, s3) = post_with_shifts(api, pid, patrol, "巡防员", [
            ("2010-05-01T09:00", "2010-05-01T13:00"), ("2010-05-02T09:00", "2010-05-02T13:00"),
            ("2010-05-02T14:00", "2010-05-02T18:00")])
        b, (s4,) = post_with_shifts(api, pid, gates, "南门守护员", [("2010-05-03T09:00", "2010-05-03T13:00")])
        v_jia, v_yi = place(api, pid, jia, a), place(api, pid, yi, a)
        place(api, pid, jia, b), place(api, pid, yi, b)
        link(eng, "vol1", v_jia)
        link(eng, "vol2", v_yi)

        # each gives their own; bad input is refused naming the field, nothing stored
        r = vol1.put(ev + "/me/wishes", json={"unavailable_days": ["2010-05-01"], "preferences": [
            {"kind": "group", "ref": "patrol-north"}, {"kind": "post", "ref": str(b)}]})
        assert r.status_code == 200, r.text
        assert r.json()["unavailable_days"] == ["2010-05-01"] and r.json()["preferences"][0]["rank"] == 1
        bad = vol2.put(ev + "/me/wishes", json={"preferences": [{"kind": "post", "ref": "99999"}]})
        assert bad.status_code == 422 and "preferences[0]" in bad.text
        bad = vol2.put(ev + "/me/wishes", json={"unavailable_windows": [
            {"starts_at": "2010-05-02T10:00", "ends_at": "2010-05-02T08:00"}]})
        assert bad.status_code == 422 and "ends_at" in bad.text
        r = vol2.put(ev + "/me/wishes", json={
            "preferences": [{"kind": "post", "ref": str(b)}, {"kind": "group", "ref": "patrol-north"}],
            "unavailable_windows": [{"starts_at": "2010-05-02T08:00", "ends_at": "2010-05-02T10:00",
                                     "note": "送孩子 / school run"}]})
        assert r.status_code == 200, r.text
        assert r.json()["unavailable_windows"][0]["starts_at"] == "2010-05-02T08:00:00+08:00"

        # their own only; a coordinator reads anyone's in the programme; a group head may not
        assert vol1.get(ev + f"/volunteers/{v_yi}/wishes").status_code == 403
        assert vol1.get(ev + f"/volunteers/{v_jia}/wishes").status_code == 200
        assert api.as_("gh1").get(ev + f"/volunteers/{v_yi}/wishes").status_code == 403
        seen = coord.get(ev + f"/volunteers/{v_yi}/wishes").json()
        assert [p["ref"] for p in seen["preferences"]] == [str(b), "patrol-north"]
        assert coord.get(ev + "/volunteers/999999/wishes").status_code == 404

        # the auto-roster, passed neither, uses the stored ones
        r = coord.post(ev + "/auto-roster", json={"time_limit": 3})
        assert r.status_code == 200, r.text
        assert (r.json()["needed"], r.json()["filled"]) == (4, 4)
        who = {sid: [row["volunteer_id"] for row in coord.get(f"/programmes/{pid}/assignments",
                                                                params={"shift_id": sid}).json()]
               for sid in (s1, s2, s3, s4)}
        assert who == {s1: [v_yi], s2: [v_jia], s3: [v_yi], s4: [v_yi]}

        # passed explicitly, the caller's input wins: everyone free, no wishes → fairness gives 3 May to 甲
        r = coord.post(ev + "/auto-roster", json={"time_limit": 3, "write": False, "availability": {
            str(v_jia): ["2010-05-01", "2010-05-02", "2010-05-03"],
            str(v_yi): ["2010-05-01", "2010-05-02", "2010-05-03"]},
            "preferences": [{"volunteer_id": v_jia, "shift_id": s4}]})
        assert r.status_code == 200 and r.json()["filled"] == 4
