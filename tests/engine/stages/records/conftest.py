"""Fixtures for the records-stage tests; the row helpers are shared with the service tests."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "service"))

from svc_helpers import Site, load_service_programme


@pytest.fixture
def prog(eng: Any) -> Any:
    return load_service_programme(eng)


@pytest.fixture
def site(eng: Any, prog: Any) -> Site:
    return Site(eng, prog)
