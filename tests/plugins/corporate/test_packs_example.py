"""The corporate packs load with their sources and figures, the example programme loads with one, and
contradictions in a programme's allowance or grants are reported at their line."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from corp_helpers import EXAMPLE

from engine.core import VolunteerEngine
from engine.errors import ConfigError


def test_packs_are_installed_with_sources(eng: VolunteerEngine) -> None:
    from engine.rules.registry import load_packs

    packs = load_packs(eng.host)
    sf, seed, ms = packs["salesforce-vto"], packs["seed-000-monthly-8h"], packs["microsoft-volunteer-match"]
    assert sf.policy().allowance.hours == D(56) and sf.policy().allowance.per == "year"
    assert seed.policy().allowance.hours == D(8) and seed.policy().allowance.period_end == "no_carry_over"
    g = ms.policy().grants
    assert (g.rate_per_hour, g.cap_per_employee_year, g.currency) == (D(25), D(15000), "USD")
    assert all(p.meta.sources and p.meta.sources[0].cites for p in (sf, seed, ms))


def test_example_loads_with_the_pack_and_its_own_grants(eng: VolunteerEngine) -> None:
    prog = eng.load(EXAMPLE.read_text(encoding="utf-8"), filename="corporate.yaml")
    pol = prog.rules_policy
    assert pol.allowance.hours == D(8) and pol.grants.rate_per_hour == D(100)
    assert len(prog.rules.departments) == 4 and len(prog.rules.partners) == 2
    assert "data_protection" in prog.rules.taxonomy()


def test_bad_policy_is_reported_at_its_line(eng: VolunteerEngine) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "  pack: seed-000-monthly-8h\n",
        "  allowance:\n    hours: 8\n    period_end: capped_carry_over\n")
    with pytest.raises(ConfigError) as exc:
        eng.load(text, filename="bad.yaml")
    msg = str(exc.value)
    assert "carry_over_cap_hours" in msg and "bad.yaml" in msg
