"""The work-time allowance (VTO) mechanism with real schemes' figures: Salesforce's 7 days (56 h) a
year and seed 000 篇4's 8 hours a month, at their edges (what is left exactly, beyond it, the year
boundary, carry-over caps, eligibility)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from pydantic import ValidationError

from engine.rules.allowance import AllowancePolicy, Employee, balances, decide, forfeited, left_on, period_of

SALESFORCE = AllowancePolicy.model_validate({"hours": 56, "per": "year", "period_end": "reset", "step_hours": 1,
                                             "eligibility": {"employment_types": ["full_time", "part_time"]}})
SEED = AllowancePolicy.model_validate({"hours": 8, "per": "month", "period_end": "no_carry_over", "step_hours": "0.5",
                                       "eligibility": {"employment_types": ["full_time"], "min_tenure_days": 90,
                                                       "exclusions": ["performance_plan"]}})
ANNA = Employee("full_time", dt.date(2020, 3, 1))


def test_request_within_what_is_left_is_approved_in_full() -> None:
    d = decide(SALESFORCE, ANNA, {"2026": D(48)}, dt.date(2026, 11, 3), D(8))
    assert (d.approved, d.refused, d.reason, d.left_after) == (D(8), None, None, D(0))


def test_request_beyond_what_is_left_is_approved_for_what_is_left_with_the_reason() -> None:
    d = decide(SALESFORCE, ANNA, {"2026": D(50)}, dt.date(2026, 11, 3), D(8))
    assert d.approved == D(6) and d.refused is None
    assert "approved for the 6 h left" in d.reason and "按剩余 6 小时批准" in d.reason


def test_nothing_left_is_refused_naming_the_rule_and_the_new_year_opens_afresh() -> None:
    d = decide(SALESFORCE, ANNA, {"2026": D(56)}, dt.date(2026, 12, 31), D(4))
    assert d.approved == 0 and "rules.allowance.hours" in d.refused
    nxt = decide(SALESFORCE, ANNA, {"2026": D(56)}, dt.date(2027, 1, 1), D(4))
    assert nxt.approved == D(4) and nxt.left_after == D(52)


def test_reset_forfeits_what_is_left_at_the_year_end() -> None:
    rows = forfeited(SALESFORCE, ANNA, {"2025": D(16), "2026": D(56)}, dt.date(2027, 1, 1), since_year=2025)
    assert [(r.period, r.forfeited) for r in rows] == [("2025", D(40))]


def test_eligibility_type_tenure_and_exclusions() -> None:
    contractor = Employee("contractor", dt.date(2020, 1, 1))
    assert "employment_types" in decide(SALESFORCE, contractor, {}, dt.date(2026, 5, 1), D(1)).refused
    new = Employee("full_time", dt.date(2026, 3, 1))
    # 90 days after 1 March is 30 May: the 29th is refused, the 30th allowed
    assert "2026-05-30" in decide(SEED, new, {}, dt.date(2026, 5, 29), D(1)).refused
    assert decide(SEED, new, {}, dt.date(2026, 5, 30), D(1)).approved == D(1)
    pip = Employee("full_time", dt.date(2020, 1, 1), frozenset({"performance_plan"}))
    assert "exclusions" in decide(SEED, pip, {}, dt.date(2026, 5, 1), D(1)).refused


def test_monthly_no_carry_over_rolls_within_the_year_and_lapses_at_its_end() -> None:
    used = {"2026-01": D(2), "2026-12": D(0)}
    assert period_of(SEED, dt.date(2026, 2, 10)) == "2026-02"
    assert left_on(SEED, ANNA, used, dt.date(2026, 2, 10)) == D(14)  # 6 rolled from January + 8
    december = left_on(SEED, ANNA, used, dt.date(2026, 12, 31))
    assert december == D(8) * 12 - 2
    assert left_on(SEED, ANNA, used, dt.date(2027, 1, 1)) == D(8)
    lapsed = [r for r in balances(SEED, ANNA, used, dt.date(2027, 1, 1), since_year=2026) if r.forfeited]
    assert [(r.period, r.forfeited) for r in lapsed] == [("2026-12", D(94))]


def test_capped_carry_over_keeps_up_to_the_cap_and_reports_the_rest() -> None:
    pol = SALESFORCE.model_copy(update={"period_end": "capped_carry_over", "carry_over_cap_hours": D(16)})
    rows = balances(pol, ANNA, {"2026": D(20)}, dt.date(2027, 6, 1), since_year=2026)
    assert [(r.period, r.carried_in, r.left, r.forfeited) for r in rows] == [
        ("2026", D(0), D(36), D(20)), ("2027", D(16), D(72), D(0))]


def test_steps_and_contradictions_are_refused() -> None:
    assert "step" in decide(SALESFORCE, ANNA, {}, dt.date(2026, 5, 1), D("1.5")).refused
    with pytest.raises(ValidationError, match="carry_over_cap_hours"):
        AllowancePolicy.model_validate({"hours": 8, "period_end": "capped_carry_over"})
    with pytest.raises(ValidationError, match="only read"):
        AllowancePolicy.model_validate({"hours": 8, "carry_over_cap_hours": 4})
