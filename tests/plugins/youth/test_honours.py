"""Multi-level honours (engine/rules/honours.py) with the example school's figures: class 20 h / 20 %,
grade 40 h / 10 %, school 60 h / 5 %."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from youth_helpers import School, local

from engine.rules.honours import Candidate, HonourLevel, HonoursPolicy, decide


def test_threshold_quota_and_a_tie_at_the_edge() -> None:
    policy = HonoursPolicy(title="t", levels=[HonourLevel(name="班级", scope="class", min_hours=Decimal(20),
                                                          quota_percent=Decimal(20))])
    hours = [30, 25, 25, 19, 10, 5, 5, 5, 5, 5]            # ten in the class: quota 2
    people = [Candidate(i, Decimal(h), {"class": "初二3班"}) for i, h in enumerate(hours, 1)]
    got = [(d.person_id, d.status) for d in decide(policy, people)]
    assert got == [(1, "honoured"), (2, "honoured"), (3, "tied")]
    exactly = [Candidate(1, Decimal(20), {"class": "A"}), Candidate(2, Decimal("19.99"), {"class": "A"})]
    assert [(d.person_id, d.status) for d in decide(policy, exactly)] == [(1, "honoured")]  # min_quota 1


def test_the_school_years_honours_from_verified_hours(school: School) -> None:
    from plugins.youth.honours import honours

    a = school.student("甲", dt.date(2011, 1, 1), paper_consent_by="家长")
    b = school.student("乙", dt.date(2011, 2, 2), paper_consent_by="家长", class_name="4班")
    post = school.post()
    with school.eng.session() as s:
        ctx = school.ctx(s)
        for d in range(1, 6):   # 甲: 5 × 5 h = 25 h; 乙: 5 × 3 h = 15 h
            ctx.record_service(a, local(2025, 9, d, 8), local(2025, 9, d, 13), post_id=post, verified=True)
            ctx.record_service(b, local(2025, 9, d, 8), local(2025, 9, d, 11), post_id=post, verified=True)
        got = honours(ctx)
    assert got["title"].startswith("优秀志愿者")
    assert [(x["name"], x["level"], x["status"]) for x in got["decisions"]] == [("甲", "班级优秀志愿者 Class", "honoured")]
