"""Safety guards before an activity starts (plugins/youth/safety.py): each names what is missing."""

from __future__ import annotations

import datetime as dt

import pytest
from youth_helpers import School, local

from engine.errors import Forbidden
from engine.testing import create_users
from plugins.youth import people, safety_file
from plugins.youth.rules import YouthRules
from plugins.youth.safety import required_adults

DAY = local(2025, 10, 20, 15)


def ready(school: School, post: int, *, teachers: int = 1) -> int:
    """A shift with briefing, an approved risk assessment and ``teachers`` instructors."""
    users = {f"t{i}": "instructor" for i in range(teachers)} | {"coord1": "coordinator", "lead": "league_teacher"}
    create_users(school.eng, school.pid, users)
    sid = school.shift(post, DAY)
    with school.eng.session() as s:
        ctx = school.ctx(s)
        for i in range(teachers):
            people.add_teacher(ctx, username=f"t{i}", name=f"教师{i}", school="示例中学")
            safety_file.add_instructor(ctx, sid, f"t{i}")
        safety_file.record_briefing(ctx, sid, "交通安全、防溺水 / traffic and water safety")
        safety_file.submit_risk(ctx, sid, "低风险 / low risk", dangerous=False)
        safety_file.approve_risk(school.ctx(s, "lead", ("league_teacher",)), sid)
    return sid


def start(school: School, sid: int) -> tuple[bool, list[str]]:
    with school.eng.session() as s:
        fired = safety_file.start_activity(school.ctx(s), sid)
        return fired.ok, list(fired.reasons)


def kids(school: School, n: int, birth: dt.date, *, consent: bool = True) -> list[int]:
    return [school.student(f"学生{birth.year}-{i}", birth, paper_consent_by="家长" if consent else None)
            for i in range(n)]


def test_the_default_ratios_and_their_source() -> None:
    rules = YouthRules()
    assert [(b.max_age, b.minors_per_adult) for b in rules.ratio] == [(8, 8), (14, 10), (17, 12)]
    assert "American Camp Association" in rules.ratio_source
    assert required_adults(rules, [8] * 8)[0] == 1           # exactly met
    assert required_adults(rules, [8] * 9)[0] == 2
    assert required_adults(rules, [12] * 10 + [16] * 12)[0] == 2
    assert required_adults(rules, [12] * 5 + [16] * 6)[0] == 1  # ½ + ½


def test_a_ratio_exactly_met_starts_and_one_more_child_does_not(school: School) -> None:
    post = school.post()
    sid = ready(school, post)
    eight = kids(school, 8, dt.date(2017, 1, 1))  # 8 on the activity's date
    school.seat(sid, *eight)
    with school.eng.session() as s:
        assert safety_file.checklist(school.ctx(s), sid)["missing"] == []
    extra = kids(school, 1, dt.date(2017, 2, 2))
    school.seat(sid, *extra)
    ok, reasons = start(school, sid)
    assert not ok and any("needs at least 2 adults for 9 minors, has 1" in r for r in reasons), reasons
    helper = school.adult("志愿者家长")
    school.seat(sid, helper)
    assert start(school, sid) == (True, [])


def test_each_missing_safety_step_is_named(school: School) -> None:
    post = school.post("河道清理 River clean-up", "water")  # a dangerous category: insurance needed
    create_users(school.eng, school.pid, {"coord1": "coordinator"})
    sid = school.shift(post, DAY)
    school.seat(sid, *kids(school, 3, dt.date(2012, 3, 3)))
    ok, reasons = start(school, sid)
    text = " | ".join(reasons)
    assert not ok
    for expected in ("no safety briefing recorded", "no risk assessment submitted", "志愿服务条例 第十七条第二款",
                     "no instructor teacher", "needs at least 1 adults for 3 minors, has 0"):
        assert expected in text, (expected, reasons)


def test_risk_assessment_needs_a_second_person_and_insurance_must_cover_the_day(school: School) -> None:
    post = school.post()
    sid = ready(school, post)
    with school.eng.session() as s:
        ctx = school.ctx(s)
        safety_file.submit_risk(ctx, sid, "涉水 / near water", dangerous=True)   # withdraws the approval
        with pytest.raises(Forbidden):
            safety_file.approve_risk(ctx, sid)
        safety_file.approve_risk(school.ctx(s, "lead", ("league_teacher",)), sid)
        safety_file.record_insurance(ctx, sid, "某保险公司", "P-2025-001", dt.date(2025, 10, 19))
    ok, reasons = start(school, sid)
    assert not ok and any("ends 2025-10-19, before the activity on 2025-10-20" in r for r in reasons), reasons
    with school.eng.session() as s:
        safety_file.record_insurance(school.ctx(s), sid, "某保险公司", "P-2025-002", dt.date(2025, 12, 31))
    assert start(school, sid) == (True, [])


def test_a_minor_without_consent_needs_a_guardian_present_at_this_activity(school: School) -> None:
    post = school.post()
    sid = ready(school, post)
    [vid] = kids(school, 1, dt.date(2013, 5, 5), consent=False)
    school.seat(sid, vid)
    ok, reasons = start(school, sid)
    assert not ok and any("consent is requested" in r for r in reasons), reasons
    with school.eng.session() as s:
        safety_file.record_presence(school.ctx(s), sid, vid, "学生母亲 张女士")
    assert start(school, sid) == (True, [])


def test_consent_withdrawn_after_rostering_takes_the_student_off_and_the_activity_starts_without_them(school: School) -> None:
    post = school.post()
    sid = ready(school, post)
    [vid] = kids(school, 1, dt.date(2013, 5, 5))
    school.seat(sid, vid)
    with school.eng.session() as s:
        ctx = school.ctx(s)
        ctx.record_consent(vid, "withdrawn", via="paper", guardian_name="家长")
    with school.eng.session() as s:
        assert safety_file.checklist(school.ctx(s), sid)["team"] == 0  # taken off the future activity
    assert start(school, sid) == (True, [])
