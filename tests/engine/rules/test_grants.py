"""Matching grants with Microsoft's figures ($25 an hour, $15,000 per employee and calendar year, the
10-hour minimum the programme started with) at the edges: the minimum reached exactly, the claim
window's last day, the cap hit mid-claim, the year boundary, whole hours, team grants."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from engine.rules.grants import GrantPolicy, Service, assess, team_grant

MS = GrantPolicy.model_validate({"currency": "USD", "rate_per_hour": 25, "min_hours": 10, "whole_hours": True,
                                 "cap_per_employee_year": 15000, "claim_window_days": 90,
                                 "team": {"min_members": 5, "min_hours_each": 2, "amount": 500,
                                          "max_per_team_year": 2}})


def s(ref: str, on: str, hours: str, org: str = "food-bank") -> Service:
    return Service(ref, dt.date.fromisoformat(on), D(hours), org)


def test_minimum_reached_exactly_grants_every_hour() -> None:
    a = assess(MS, [s("a", "2026-03-01", "6"), s("b", "2026-03-08", "4")], claimed_on=dt.date(2026, 3, 9))
    assert a.amount == D("250.00") and a.lines[0].hours == D(10) and a.refused is None


def test_below_the_minimum_waits_and_counts_later() -> None:
    a = assess(MS, [s("a", "2026-03-01", "9.5")], claimed_on=dt.date(2026, 3, 2))
    assert a.amount == 0 and a.lines[0].status == "below_minimum" and "rules.grants.min_hours" in a.lines[0].note
    b = assess(MS, [s("b", "2026-03-08", "0.5")], claimed_on=dt.date(2026, 3, 9),
               prior_raw={("food-bank", 2026): D("9.5")})
    assert b.lines[0].hours == D(10) and b.amount == D("250.00")


def test_minimum_is_per_organisation() -> None:
    a = assess(MS, [s("a", "2026-03-01", "6"), s("b", "2026-03-02", "6", "library")], claimed_on=dt.date(2026, 3, 3))
    assert a.amount == 0 and {ln.status for ln in a.lines} == {"below_minimum"}


def test_whole_hours_only() -> None:
    a = assess(MS, [s("a", "2026-03-01", "12.75")], claimed_on=dt.date(2026, 3, 2))
    assert a.lines[0].hours == D(12) and a.amount == D("300.00")
    later = assess(MS, [s("b", "2026-03-05", "0.25")], claimed_on=dt.date(2026, 3, 6),
                   prior_raw={("food-bank", 2026): D("12.75")}, prior_granted={("food-bank", 2026): D(12)})
    assert later.lines[0].hours == D(1) and later.amount == D("25.00")


def test_claim_window_last_day_is_in_and_the_day_after_is_out() -> None:
    served = "2026-01-10"  # + 90 days = 10 April
    ok = assess(MS, [s("a", served, "10")], claimed_on=dt.date(2026, 4, 10))
    assert ok.amount == D("250.00")
    late = assess(MS, [s("a", served, "10")], claimed_on=dt.date(2026, 4, 11))
    assert late.amount == 0 and "2026-04-10" in late.excluded[0][1] and "claim_window_days" in late.refused


def test_cap_hit_mid_claim_pays_up_to_the_cap() -> None:
    a = assess(MS, [s("a", "2026-06-01", "40"), s("b", "2026-06-02", "40", "library")],
               claimed_on=dt.date(2026, 6, 3), prior_paid={2026: D(14000)})
    assert [ln.amount for ln in a.lines] == [D("1000.00"), D("0.00")]
    assert a.capped and a.amount == D("1000.00") and "15000" in a.lines[1].note


def test_year_boundary_counts_each_year_on_its_own() -> None:
    a = assess(MS, [s("dec", "2026-12-31", "10"), s("jan", "2027-01-01", "10")], claimed_on=dt.date(2027, 1, 2),
               prior_paid={2026: D(15000)})
    by_year = {ln.year: ln.amount for ln in a.lines}
    assert by_year == {2026: D("0.00"), 2027: D("250.00")}
    split = assess(MS, [s("dec", "2026-12-31", "5"), s("jan", "2027-01-01", "5")], claimed_on=dt.date(2027, 1, 2))
    assert split.amount == 0  # 5 h in each year: neither reaches the minimum


def test_team_grant() -> None:
    five = {f"e{i}": D(2) for i in range(5)}
    assert team_grant(MS, five) == (D("500.00"), None)
    four = {**{f"e{i}": D(2) for i in range(4)}, "e4": D("1.5")}
    assert "min_members" in team_grant(MS, four)[1]
    assert "max_per_team_year" in team_grant(MS, five, grants_this_year=2)[1]
