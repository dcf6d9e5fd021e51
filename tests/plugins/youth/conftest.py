"""Fixtures for the youth plan type tests (helpers live in youth_helpers.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from youth_helpers import School, programme_text

from engine.core import VolunteerEngine
from engine.testing import frozen_clock, temp_engine


@pytest.fixture
def eng(tmp_path: Path) -> Iterator[VolunteerEngine]:
    """A real store with the youth plan type only."""
    with temp_engine(tmp_path, builtin=("youth",)) as e:
        yield e


@pytest.fixture
def clock() -> Iterator[object]:
    with frozen_clock("2025-10-08T09:00:00+08:00") as c:
        yield c


@pytest.fixture
def school(eng: VolunteerEngine, clock: object) -> School:
    return School(eng)


@pytest.fixture
def national(eng: VolunteerEngine, clock: object) -> School:
    """A school year under the national minors' rules only (no guardian's presence instead of consent)."""
    return School(eng, programme_text("  pack: minors-national\n", pid="national-2025"), pid="national-2025")
