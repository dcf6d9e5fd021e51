"""Recruitment over HTTP: a unit liaison registers a batch (quota, eligibility of seed 004, all or
nothing); open applicants are screened, scored by two interviewers, offered at the places, the rest
waitlisted in score order and called in order; agreements."""

from __future__ import annotations

import datetime as dt

from event_helpers import person
from tests_support import bring_to, make_users


def test_unit_registration_and_funnel(eng, prog, api) -> None:  # type: ignore[no-untyped-def]
    bring_to(eng, prog.id, "recruitment")
    make_users(eng, prog.id, {"admin": "admin1", "coordinator": "coord1", "unit_liaison": "liaison-gov",
                              "interviewer": "iv1", "volunteer": "vol1"})
    with eng.session() as s:
        u = eng.auth.create_user(s, "iv2", "secret-pass-1", display_name="iv2")
        eng.auth.grant(s, u, prog.id, "interviewer", known_roles=set(eng.programme(prog.id, s).config.roles))
        s.commit()
    base = f"/programmes/{prog.id}/event"
    liaison, coord = api.as_("liaison-gov"), api.as_("coord1")
    # the liaison registers the unit's people; another unit is not theirs
    r = liaison.post(base + "/units/gov/registrations", json={"people": [person("王一"), person("王二")]})
    assert r.status_code == 201, r.text
    assert liaison.post(base + "/units/sanitation/registrations",
                        json={"people": [person("赵三")]}).status_code == 403
    # a bad batch writes nothing: row 2 is 66 on 2010-05-01 (seed 004: 18–65), row 3 not resident long enough
    bad = [person("李一"), person("李二", dt.date(1944, 4, 30)),
           person("李三", local_household=False, resident_months=5)]
    r = liaison.post(base + "/units/gov/registrations", json={"people": bad})
    assert r.status_code == 422
    msg = r.text
    assert "row 2" in msg and "above eligibility.max_age 65" in msg and "row 3" in msg and "residence" in msg
    assert "row 1" not in msg
    r = liaison.post(base + "/units/gov/registrations", json={"people": [person("李五", dt.date(1945, 5, 1)),
                                                                          person("李六", local_household=False,
                                                                                 resident_months=6)]})
    assert r.status_code == 201, r.text  # exactly 65 on the day, and exactly six months' residence pass
    funnel = coord.get(base + "/funnel").json()
    assert funnel["units"][0] == {"code": "gov", "name": "镇党政机关及事业单位", "quota": 229, "directed": True,
                                  "registered": 4, "remaining": 225}
    # open recruitment: three applicants, screened, scored by two interviewers, one place
    ids = [coord.post(base + "/applications", json=person(n)).json()["candidate_id"] for n in ("周一", "周二", "周三")]
    for cid in ids:
        assert coord.post(base + f"/candidates/{cid}/screen", json={"passed": True}).status_code == 200
    iv1, iv2 = api.as_("iv1"), api.as_("iv2", "secret-pass-1")
    for cid, (a, b) in zip(ids, [(70, 80), (90, 95), (85, 60)], strict=True):
        assert iv1.post(base + f"/candidates/{cid}/scores", json={"score": a}).status_code == 201
        assert iv2.post(base + f"/candidates/{cid}/scores", json={"score": b}).status_code == 201
    assert iv1.post(base + f"/candidates/{ids[0]}/scores", json={"score": 1}).status_code == 409  # once each
    r = coord.post(base + "/offers", json={"places": 1})
    assert r.json()["offered"] == [ids[1]] and r.json()["waitlisted"] == [ids[0], ids[2]]  # 75 before 72.5
    assert r.json()["interviews_needed"] == 2  # 1 place × 1.2, rounded up
    assert coord.post(base + "/waitlist/next").json()["candidate_id"] == ids[0]
    assert coord.post(base + f"/candidates/{ids[1]}/agree").json()["stage"] == "agreed"
    assert coord.post(base + f"/candidates/{ids[2]}/agree").status_code == 409  # still waitlisted
    assert api.as_("vol1").get(base + "/funnel").status_code == 403
