"""Fixtures for the training tests; people are registered with the recruitment tests' helpers. The
demo programme is in 招募注册, where training opens (docs/stages.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from tests_support import bring_to

from engine.core import VolunteerEngine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "recruitment"))


@pytest.fixture
def demo(eng: VolunteerEngine) -> Any:
    """The demo programme with every engine guard on, moved to recruitment by its real triggers."""
    prog = eng.load(Path(__file__).resolve().parents[3] / "programmes" / "demo_full.yaml")
    bring_to(eng, prog.id, "recruitment")
    return prog
