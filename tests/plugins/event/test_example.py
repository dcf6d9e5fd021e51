"""The example programme (seed 004) loads with its pack, organisation and nine units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def test_example_loads_with_the_expo_pack(prog) -> None:  # type: ignore[no-untyped-def]
    assert prog.plan_type_id == "event"
    shifts = prog.rules_policy.shifts
    assert shifts is not None and shifts.max_hours_per_day == Decimal(8) and shifts.min_rest_hours == Decimal(11)
    assert shifts.duty_window.bounds() == (dt.date(2010, 5, 1), dt.date(2010, 10, 31))
    assert [u.quota for u in prog.rules.units] == [229, 349, 1205, 2289, 650, 140, 70, 317, 1000]
    assert sum(u.quota for u in prog.rules.units) == 6249  # seed 004: 共计约6249人
    assert [g.code for g in prog.rules.organisation.groups] == ["coordination", "patrol", "stations", "publicity"]
