"""Fixtures for the recruitment tests (helpers live in recruitment_helpers.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from recruitment_helpers import add_post


@pytest.fixture
def post_id(eng: Any, demo: Any) -> int:
    """A post (no requirements) in the demo programme."""
    return add_post(eng, demo.id)
