"""Credit conversion (engine/rules/credits.py) with the schemes shipped as packs: the school's
(school-example-hz-2025) and the national high-school one (cn-high-school-2017), and their edges."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from youth_helpers import School, local

from engine.rules.credits import CreditInput, convert, term_of
from engine.rules.registry import load_packs
from engine.testing import make_host

ALL = {"preparation", "action", "reflection"}


@pytest.fixture(scope="module")
def packs():  # type: ignore[no-untyped-def]
    return load_packs(make_host(builtin=("youth",)))


def rec(rid: int, day: dt.date, hours: float, category: str = "tutoring", project: int | None = 1,
        captured: str = "coordinator") -> CreditInput:
    return CreditInput(rid, day, category, int(hours * 60), captured, project, f"P{project}")


def practice(packs):  # type: ignore[no-untyped-def]
    return packs["school-example-hz-2025"].policy().credits["practice"]


def test_ten_hours_a_credit_rounded_down_to_half_credits(packs) -> None:  # type: ignore[no-untyped-def]
    s = practice(packs)
    day = dt.date(2025, 10, 10)
    r14 = convert("practice", s, [rec(i, day, 3.5, project=i) for i in range(1, 5)], components={i: ALL for i in range(1, 5)})
    assert (r14.hours_counted, r14.total) == (Decimal(14), Decimal("1.0"))
    r15 = convert("practice", s, [rec(i, day, 3.75, project=i) for i in range(1, 5)], components={i: ALL for i in range(1, 5)})
    assert r15.total == Decimal("1.5")


def test_one_activity_counts_at_most_four_hours(packs) -> None:  # type: ignore[no-untyped-def]
    r = convert("practice", practice(packs), [rec(1, dt.date(2025, 10, 10), 6)], components={1: ALL})
    assert r.hours_counted == Decimal(4)
    assert any("cap of 4 h" in line for line in r.lines)


def test_a_project_gives_at_most_two_credits_and_a_term_at_most_three(packs) -> None:  # type: ignore[no-untyped-def]
    s = practice(packs)
    days = [dt.date(2025, 10, d) for d in range(1, 31)]
    one_project = [rec(i, d, 4) for i, d in enumerate(days[:8], 1)]                    # 32 h on project 1
    r = convert("practice", s, one_project, components={1: ALL})
    assert r.total == Decimal(2)                                                        # not 3.2
    many = [rec(i, d, 4, project=i) for i, d in enumerate(days[:10], 1)]                # 40 h on ten projects
    r = convert("practice", s, many, components={i: ALL for i in range(1, 11)})
    assert r.by_term == {"2025–2026 第一学期 autumn": Decimal(3)}


def test_the_community_category_is_capped_over_all_years(packs) -> None:  # type: ignore[no-untyped-def]
    s = practice(packs)
    recs = [rec(i, dt.date(2025 + i // 10, 3 if i % 2 else 10, 1 + i % 20), 4, "community", project=i)
            for i in range(1, 21)]
    r = convert("practice", s, recs, components={i: ALL for i in range(1, 21)})
    assert r.by_category["community"] == Decimal(2)


def test_uncounted_categories_and_self_reported_hours_say_why(packs) -> None:  # type: ignore[no-untyped-def]
    r = convert("practice", practice(packs), [rec(1, dt.date(2025, 10, 1), 3, "fundraising"),
                                             rec(2, dt.date(2025, 10, 2), 3, captured="self_reported")],
                components={1: ALL})
    assert r.total == 0 and [rid for rid, _ in r.not_counted] == [1, 2]


def test_service_learning_needs_every_component(packs) -> None:  # type: ignore[no-untyped-def]
    recs = [rec(1, dt.date(2025, 10, 1), 4), rec(2, dt.date(2025, 10, 8), 4), rec(3, dt.date(2025, 10, 9), 4)]
    r = convert("practice", practice(packs), recs, components={1: {"preparation", "action"}})
    assert r.total == 0 and "reflection" in r.not_counted[0][1]
    r = convert("practice", practice(packs), recs, components={1: ALL})
    assert r.total == Decimal("1")  # 12 h → 1.2 → 1.0


def test_terms_run_over_new_year_and_the_first_of_february_starts_spring(packs) -> None:  # type: ignore[no-untyped-def]
    s = practice(packs)
    assert term_of(s, dt.date(2026, 1, 31))[2] == "2025–2026 第一学期 autumn"
    assert term_of(s, dt.date(2026, 2, 1))[2] == "2025–2026 第二学期 spring"
    assert term_of(s, dt.date(2026, 7, 20))[2] == "2025–2026 假期 holiday"
    assert term_of(s, dt.date(2026, 9, 1))[2] == "2026–2027 第一学期 autumn"


def test_graduation_lists_what_is_missing(packs) -> None:  # type: ignore[no-untyped-def]
    s = practice(packs)
    recs = [rec(i, dt.date(2025, 10, i), 4, "museum_guide", project=i) for i in range(1, 6)]  # 20 h → 2 credits
    r = convert("practice", s, recs, components={i: ALL for i in range(1, 6)}, school_years=[2025, 2026, 2027])
    assert r.total == Decimal(2) and r.graduation_met is False
    text = " ".join(r.missing)
    assert "4 credits still missing" in text
    assert "category 'tutoring': 1 credits missing" in text
    assert "school year 2026–2027" in text and "school year 2025–2026" not in text


def test_the_national_high_school_scheme_40_hours_is_2_credits(packs) -> None:  # type: ignore[no-untyped-def]
    s = packs["cn-high-school-2017"].policy().credits["volunteering"]
    forty = [rec(i, dt.date(2025, 10, i), 4, project=i) for i in range(1, 11)]
    r = convert("volunteering", s, forty)
    assert (r.total, r.graduation_met) == (Decimal(2), True)
    r = convert("volunteering", s, [*forty[:-1], rec(10, dt.date(2025, 10, 10), 3)])
    assert r.total == Decimal(1) and r.graduation_met is False
    assert any("1 counted hours missing" in m for m in r.missing)


def test_credits_accumulate_over_the_schools_yearly_programmes(eng, clock) -> None:  # type: ignore[no-untyped-def]
    """Two school years, two programmes of one organisation: the second year's report counts both."""
    from youth_helpers import programme_text

    y1 = School(eng)
    text2 = programme_text(pid="shiyan-2026").replace("period: {start: 2025-09-01, end: 2026-08-31}",
                                                      "period: {start: 2026-09-01, end: 2027-08-31}")
    y2 = School(eng, text2, pid="shiyan-2026")
    vid = y1.student("林一", dt.date(2011, 3, 3), paper_consent_by="林父")
    with eng.session() as s:
        y2.ctx(s).enrol_volunteer(vid, source="youth")
    p1, p2 = y1.post(), y2.post()
    with eng.session() as s:
        c1 = y1.ctx(s)
        for d in (1, 2, 3):
            c1.record_service(vid, local(2025, 10, d, 15), local(2025, 10, d, 19), post_id=p1, verified=True)
    clock.set("2026-11-02T09:00:00+08:00")
    with eng.session() as s:
        c2 = y2.ctx(s)
        for d in (1, 2):
            c2.record_service(vid, local(2026, 10, d, 15), local(2026, 10, d, 20), post_id=p2, verified=True)
    from plugins.youth.credits import credit_summary, record_component
    from plugins.youth.models import Reflection

    proj1, proj2 = y1.project_of(p1), y2.project_of(p2)
    with eng.session() as s:
        c2 = y2.ctx(s)
        for pid, prog_ctx in ((proj1, y1.ctx(s)), (proj2, c2)):
            record_component(prog_ctx, vid, pid, "preparation")
            s.add(Reflection(programme_id=prog_ctx.programme.id, volunteer_id=vid, project_id=pid,
                             text="我学会了耐心 / I learned patience", written_by="lin1"))
        s.flush()
        summary = {x["scheme"]: x for x in credit_summary(c2, vid)}
    practice_ = summary["practice"]
    assert practice_["hours_counted"] == Decimal(20)       # 3 × 4 h + 2 × 4 h (5 h capped at 4)
    assert practice_["by_year"] == {"2025": Decimal("1"), "2026": Decimal("0.5")}
    assert practice_["total"] == Decimal("1.5")
