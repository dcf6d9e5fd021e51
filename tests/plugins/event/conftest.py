"""Fixtures for the event plan type's tests: a real store (SQLite file, or PostgreSQL when
VOLUNTEER_DATABASE_URL says so) with the event plan type loaded, and the example programme."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.testing import temp_engine

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "event.yaml"


@pytest.fixture
def eng(tmp_path: Path) -> Iterator[object]:
    with temp_engine(tmp_path, builtin=("event",)) as e:
        yield e


@pytest.fixture
def prog(eng):  # type: ignore[no-untyped-def]
    return eng.load(EXAMPLE)
