"""Fixtures for the legal_aid plan-type tests (helpers live in la_helpers.py).

``world``: the example programme (examples/legal_aid.yaml) loaded on a real store, a live API server,
accounts for every role, and registered volunteers: two senior lawyers at one firm, a junior lawyer,
a lawyer with an expired licence, a lawyer who has not signed the duties, a law student, a law teacher.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from la_helpers import World

from engine.core import VolunteerEngine


@pytest.fixture
def world(eng: VolunteerEngine, api) -> World:  # type: ignore[no-untyped-def]
    return World(eng, api)
