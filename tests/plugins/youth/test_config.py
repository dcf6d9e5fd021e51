"""The youth programme's configuration: bad rules are refused at load with the key named."""

from __future__ import annotations

import pytest
from youth_helpers import programme_text

from engine.errors import ConfigError
from engine.plugins import PluginError


def test_the_example_loads_with_the_school_and_region_packs(eng) -> None:  # type: ignore[no-untyped-def]
    prog = eng.load(programme_text())
    assert prog.config.recruitment.guardian_consent == "workflow" and prog.config.recruitment.minors_allowed
    assert prog.rules_policy.minors.min_age == 8 and set(prog.rules_policy.credits) == {"practice", "moral"}


def test_a_credit_scheme_that_is_not_there_is_named(eng) -> None:  # type: ignore[no-untyped-def]
    text = programme_text().replace("credit_scheme: practice", "credit_scheme: volunteering")
    with pytest.raises(PluginError) as err:  # the plan type's load hook refuses, naming the key
        eng.load(text)
    assert "rules.credit_scheme 'volunteering'" in str(err.value) and "(practice, moral)" in str(err.value)


def test_ratio_bands_must_run_from_young_to_old_and_reach_17(eng) -> None:  # type: ignore[no-untyped-def]
    text = programme_text().replace("    - {max_age: 17, minors_per_adult: 12}\n", "")
    with pytest.raises(ConfigError) as err:
        eng.load(text)
    assert "age 17" in str(err.value)


def test_a_school_overrides_a_pack_figure_and_a_typo_is_refused_at_its_line(eng) -> None:  # type: ignore[no-untyped-def]
    over = programme_text().replace("  credit_scheme: practice\n",
                                    "  credit_scheme: practice\n  credits:\n    practice:\n      hours_per_credit: 12\n")
    prog = eng.load(over)
    assert prog.rules_policy.credits["practice"].hours_per_credit == 12
    bad = programme_text(pid="typo-2025").replace(
        "  credit_scheme: practice\n", "  credit_scheme: practice\n  credits:\n    practice:\n      hours_per_credits: 12\n")
    with pytest.raises(ConfigError) as err:
        eng.load(bad)
    assert "hours_per_credits" in str(err.value)
