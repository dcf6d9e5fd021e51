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


def test_eligibility_packs(eng) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from engine.errors import ConfigError
    from plugins.event.eligibility import reasons
    from tests.plugins.event.conftest import EXAMPLE

    prog = eng.load(EXAMPLE)
    e = prog.rules.eligibility
    assert (e.min_age, e.max_age, e.residence.min_months, e.age_on) == (18, 65, 6, dt.date(2010, 5, 1))
    text = EXAMPLE.read_text(encoding="utf-8").replace("expo-security-2010", "bj2022").replace(
        "eligibility_pack: seed004-expo-security", "eligibility_pack: beijing-2022-games").replace(
        "    age_on: 2010-05-01\n", "    min_available_days: 2\n")
    bj = eng.load(text, filename="bj2022.yaml").rules.eligibility
    assert (bj.born_on_or_before, bj.max_age, bj.residence, bj.min_available_days) == (dt.date(2004, 1, 1), None,
                                                                                       None, 2)
    on = dt.date(2022, 2, 4)
    assert reasons(bj, birth_date=dt.date(2004, 1, 1), on=on, available_days=2, resident_months=None,
                   local_household=False) == []
    assert reasons(bj, birth_date=dt.date(2004, 1, 2), on=on, available_days=1, resident_months=None,
                   local_household=False) == [
        "2022-01-01 时年龄 17 岁，低于 18 岁 / aged 17 on 2022-01-01, below eligibility.min_age 18",
        "须于 2004-01-01 及以前出生 / must be born on or before 2004-01-01 (eligibility.born_on_or_before)",
        "可服务 1 天，少于 2 天 / 1 days available, fewer than eligibility.min_available_days 2"]
    with pytest.raises(ConfigError, match="unknown eligibility_pack 'nope'"):
        eng.load(text.replace("beijing-2022-games", "nope"), filename="bad.yaml")
