"""Fixtures for the service-stage tests (helpers live in svc_helpers.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from svc_helpers import Site, load_service_programme


@pytest.fixture
def prog(eng: Any) -> Any:
    return load_service_programme(eng)


@pytest.fixture
def site(eng: Any, prog: Any) -> Site:
    return Site(eng, prog)
