"""Fixtures for the community plan type tests (helpers live in community_helpers.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from community_helpers import Town, load

from engine.core import VolunteerEngine


@pytest.fixture
def prog(eng: VolunteerEngine) -> Any:
    return load(eng)


@pytest.fixture
def town(eng: VolunteerEngine, prog: Any) -> Town:
    return Town(eng, prog)
