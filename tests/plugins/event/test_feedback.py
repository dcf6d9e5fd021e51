"""满意度调查 (seed 000 篇3 总结评估): HQ enters visitors' and exhibitors' answers as a batch (a bad row
refuses the batch, naming it); a rostered volunteer rates the event once; a volunteer who never
served cannot; the summary and the report give each group's average and count, never who answered."""

from __future__ import annotations

from day_helpers import agreed_people, link, place, post_with_shifts, project
from tests_support import PASSWORD, bring_to, make_users

from engine.testing import frozen_clock


def test_satisfaction_survey(eng, prog, api) -> None:  # type: ignore[no-untyped-def]
    pid = prog.id
    ev = f"/programmes/{pid}/event"
    with frozen_clock("2010-04-20T10:00:00+08:00"):
        bring_to(eng, pid, "recruitment")
        make_users(eng, pid, {"admin": "admin1", "coordinator": "coord1", "unit_liaison": "liaison-gov",
                              "hq": "hq1", "volunteer": "vol1"})
        cids = agreed_people(api, pid, ["甲", "乙"])
        gate, [shift] = post_with_shifts(api, pid, project(api, pid, "入口 Gates", node="patrol-north"), "1号门",
                                         [("2010-05-01T08:00", "2010-05-01T12:00")], capacity=2)
        jia, yi = (place(api, pid, c, gate) for c in cids)
        coord, hq = api.as_("coord1"), api.as_("hq1")
        assert coord.post(f"/programmes/{pid}/assignments", json={"shift_id": shift, "volunteer_id": jia}).status_code == 201
        with eng.session() as s:
            u = eng.auth.create_user(s, "vol2", PASSWORD, display_name="vol2")
            eng.auth.grant(s, u, pid, "volunteer", known_roles=set(prog.config.roles))
            s.commit()
        link(eng, "vol2", yi)                                    # 乙 was never rostered
        assert api.as_("vol2").post(ev + "/feedback/me", json={"rating": 5}).status_code == 403
        link(eng, "vol1", jia)
        vol = api.as_("vol1")
        assert vol.post(ev + "/feedback/me", json={"rating": 4, "post_id": gate, "comment": "补水点太远"}).status_code == 201
        assert vol.post(ev + "/feedback/me", json={"rating": 5}).status_code == 409   # once

        answers = [{"respondent": "visitor", "rating": 5, "post_id": gate, "comment": "引导很清楚 / clear directions"},
                   {"respondent": "visitor", "rating": 4}, {"respondent": "exhibitor", "rating": 3}]
        assert vol.post(ev + "/feedback", json={"responses": answers}).status_code == 403
        r = hq.post(ev + "/feedback", json={"responses": [*answers, {"respondent": "visitor", "rating": 5, "post_id": 999999}]})
        assert r.status_code == 422 and "responses[3]" in r.text
        r = hq.post(ev + "/feedback", json={"responses": [{"respondent": "visitor", "rating": 6}]})
        assert r.status_code == 422
        assert hq.post(ev + "/feedback", json={"responses": answers}).json() == {"recorded": 3}

        s = coord.get(ev + "/feedback").json()
        assert {k: (g["count"], g["average"]) for k, g in s["by_respondent"].items()} == {
            "exhibitor": (1, 3.0), "visitor": (2, 4.5), "volunteer": (1, 4.0)}
        assert s["by_respondent"]["visitor"]["spread"] == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1}
        assert s["by_post"] == [{"post_id": gate, "post": "1号门", "count": 2, "average": 4.5}]
        assert "vol1" not in str(s) and str(jia) not in str([c for c in s["comments"]])
        report = api.as_("admin1").get(f"/programmes/{pid}/report").json()
        event = next(sec for sec in report["sections"] if sec["title"] == "大型活动 Event")
        assert event["figures"]["满意度（1–5）Satisfaction"] == (
            "参展方 exhibitors 3.00 (n=1); 观众 visitors 4.50 (n=2); 志愿者 volunteers 4.00 (n=1)")
