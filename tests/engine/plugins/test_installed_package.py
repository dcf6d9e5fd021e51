"""A plan type shipped as its own package: installed with pip, found by its entry point, runs a programme."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAMMES = Path(__file__).parents[2] / "programmes"


@pytest.fixture
def installed(demo_site: Path) -> Path:
    assert (demo_site / "volunteer_plan_demo-0.3.0.dist-info" / "entry_points.txt").is_file()
    return demo_site


def _cli(installed: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(installed), "VOLUNTEER_DATABASE_URL": f"sqlite:///{tmp_path / 'v.db'}"}
    env.pop("VOLUNTEER_DISABLE_PLUGINS", None)
    return subprocess.run([sys.executable, "-m", "engine.cli.main", *args], env=env, capture_output=True,
                          text=True, cwd=tmp_path)


def test_installed_plan_type_is_discovered_and_runs(installed: Path, tmp_path: Path) -> None:
    listing = _cli(installed, tmp_path, "plugins")
    assert listing.returncode == 0, listing.stderr
    assert "demo" in listing.stdout and "volunteer-plan-demo" in listing.stdout and "0.3.0" in listing.stdout
    assert "register_guards" in listing.stdout

    prog = PROGRAMMES / "demo.yaml"
    assert _cli(installed, tmp_path, "check", str(prog)).returncode == 0
    loaded = _cli(installed, tmp_path, "load", str(prog))
    assert loaded.returncode == 0, loaded.stderr
    step = _cli(installed, tmp_path, "advance", "demo-programme", "start_design", "--role", "coordinator")
    assert step.returncode == 0, step.stderr
    assert "design" in step.stdout


def test_without_the_package_the_plan_type_is_unknown(tmp_path: Path) -> None:
    env = {**os.environ, "VOLUNTEER_DATABASE_URL": f"sqlite:///{tmp_path / 'v.db'}"}
    r = subprocess.run([sys.executable, "-m", "engine.cli.main", "check", str(PROGRAMMES / "demo.yaml")],
                       env=env, capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 1
    assert "unknown plan type 'demo'" in r.stdout
