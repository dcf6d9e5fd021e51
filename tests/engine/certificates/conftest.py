"""Fixtures for certificates and transfers: two organisations' programmes on one real store."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "stages" / "service"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cert_helpers import NOW
from svc_helpers import Site, load_service_programme

from engine import timeutil


@pytest.fixture(autouse=True)
def roomy_lookup_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests share one client address; only the rate-limit test sets a tight limit."""
    monkeypatch.setenv("VOLUNTEER_VERIFY_RATE", "1000/minute")


@pytest.fixture(autouse=True)
def frozen_clock() -> Any:
    timeutil.set_clock(lambda: NOW)
    yield NOW
    timeutil.set_clock(None)


@pytest.fixture
def prog(eng: Any) -> Any:
    return load_service_programme(eng)


@pytest.fixture
def site(eng: Any, prog: Any) -> Site:
    return Site(eng, prog)
