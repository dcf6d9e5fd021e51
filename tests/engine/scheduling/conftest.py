"""Fixtures for the scheduled path: a plan type whose scheduled hook records every call in a real
table (``probe_calls``), programmes of it, and engines that share one database like workers do."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import probe_plugin

from engine.core import VolunteerEngine
from engine.testing import make_host, temp_engine


@pytest.fixture
def peng(tmp_path: Path) -> Iterator[VolunteerEngine]:
    """An engine with the probe plan type, three probe programmes and one demo programme."""
    with temp_engine(tmp_path, plugins=probe_plugin.plugins()) as eng:
        probe_plugin.create_table(eng)
        for pid in probe_plugin.PROGRAMMES:
            eng.load(probe_plugin.programme_yaml(pid), filename=f"{pid}.yaml")
        eng.load(probe_plugin.programme_yaml("other-1", plan_type="demo"), filename="other-1.yaml")
        yield eng


@pytest.fixture
def second_worker(peng: VolunteerEngine) -> Iterator[Any]:
    """Another engine on the same database, with its own connections and plugin host (a second worker)."""
    def make() -> VolunteerEngine:
        return VolunteerEngine(peng.db.url, host=make_host(probe_plugin.plugins()), upgrade=False)

    made: list[VolunteerEngine] = []

    def factory() -> VolunteerEngine:
        made.append(make())
        return made[-1]

    yield factory
    for e in made:
        e.db.dispose()
