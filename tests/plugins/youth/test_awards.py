"""Awards by age band over a service year (engine/rules/age_awards.py) with the PVSA pack's figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from youth_helpers import School, local

from engine.sdk import age_awards_policy, award_for, group_award
from engine.testing import make_host


@pytest.fixture(scope="module")
def pvsa():  # type: ignore[no-untyped-def]
    return age_awards_policy("pvsa", make_host(builtin=("youth",)))


def test_teen_band_levels_and_their_edges(pvsa) -> None:  # type: ignore[no-untyped-def]
    born = dt.date(2012, 6, 1)  # 13 on 2025-12-31
    year = dt.date(2025, 1, 1)
    assert award_for(pvsa, born, year, Decimal("49.99"))["level"] is None
    got = award_for(pvsa, born, year, Decimal(50))
    assert (got["band"], got["level"]) == ("青少年 Teens (11–15)", "铜 Bronze")
    assert got["next"] == {"level": "银 Silver", "hours_missing": Decimal(25)}
    assert award_for(pvsa, born, year, Decimal(100))["level"] == "金 Gold"


def test_the_band_is_decided_by_age_at_the_end_of_the_service_year(pvsa) -> None:  # type: ignore[no-untyped-def]
    born = dt.date(2009, 12, 31)  # 15 on 2024-12-30, 16 on 2025-12-31
    got = award_for(pvsa, born, dt.date(2025, 3, 1), Decimal(100))
    assert (got["age"], got["band"], got["level"]) == (16, "青年 Young adults (16–25)", "铜 Bronze")


def test_families_and_groups_sum_their_hours(pvsa) -> None:  # type: ignore[no-untyped-def]
    assert group_award(pvsa, [Decimal(150), Decimal(50)]) == "铜 Bronze"
    assert group_award(pvsa, [Decimal(999)]) is None          # one person is not a group
    assert group_award(pvsa, [Decimal(600), Decimal(400)]) == "金 Gold"


def test_a_students_awards_by_service_year(school: School) -> None:
    from plugins.youth.awards import awards

    vid = school.student("何佳", dt.date(2012, 6, 1), paper_consent_by="何母")
    post = school.post()
    with school.eng.session() as s:
        ctx = school.ctx(s)
        for d in range(1, 8):  # 7 × 8 h = 56 h in 2025
            ctx.record_service(vid, local(2025, 9, d, 8), local(2025, 9, d, 16), post_id=post, verified=True)
        rows = awards(ctx, vid)
    assert [(r["band"], r["hours"], r["level"]) for r in rows] == [("青少年 Teens (11–15)", Decimal("56.00"), "铜 Bronze")]
