"""Shared fixtures: a programme whose hardship line is 1.5 × a 低保 of 1,000 yuan = 1,500 yuan a person."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from plugins.legal_aid.law import LegalAidRules

HARDSHIP_LINE_YAML: dict[str, Any] = {
    "basis": "dibao_multiple",
    "region": "测试市",
    "source": "测试市法律援助经济困难标准",
    "monthly_dibao_per_person": 1000,
    "multiple": 1.5,
}


@pytest.fixture
def make_rules() -> Callable[..., LegalAidRules]:
    """Build rules as a programme's YAML would give them, with sections overridden by keyword."""

    def make(**sections: Any) -> LegalAidRules:
        return LegalAidRules.model_validate({"hardship_line": HARDSHIP_LINE_YAML, **sections})

    return make


@pytest.fixture
def rules(make_rules: Callable[..., LegalAidRules]) -> LegalAidRules:
    return make_rules()
