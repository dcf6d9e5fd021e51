"""Fixtures for the corporate plan-type tests: an engine with the corporate plan type, the example
programme (examples/corporate.yaml) on a real store, accounts for every role and a live API server."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corp_helpers import World

from engine.core import VolunteerEngine
from engine.testing import temp_engine


@pytest.fixture
def eng(tmp_path: Path) -> Iterator[VolunteerEngine]:
    with temp_engine(tmp_path, builtin=("corporate",)) as e:
        yield e


@pytest.fixture
def world(eng: VolunteerEngine, api) -> World:  # type: ignore[no-untyped-def]
    return World(eng, api)
