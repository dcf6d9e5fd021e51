"""A programme driven through every lifecycle stage to `closed` with the CLI, one process per step
(so the state must survive each restart), and the transition log telling the whole story."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAMME = Path(__file__).parents[1] / "programmes" / "demo.yaml"
STEPS = ["start_design", "open_recruitment", "start_training", "start_service", "finish_service", "grant_rewards"]


@pytest.fixture
def cli(demo_site: Path, tmp_path: Path):
    from engine.testing import database_url_for_tests

    url, cleanup = database_url_for_tests(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(demo_site), "VOLUNTEER_DATABASE_URL": url}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "engine.cli.main", *args], env=env, capture_output=True,
                              text=True, cwd=tmp_path, timeout=120)

    yield run
    cleanup()


def test_cli_drives_the_lifecycle_to_closed(cli, tmp_path: Path) -> None:
    r = cli("load", str(PROGRAMME))
    assert r.returncode == 0, r.stderr
    r = cli("status", "demo-programme")
    assert "needs" in r.stdout and "✓ start_design" in r.stdout

    r = cli("advance", "demo-programme", "start_design", "--role", "volunteer")
    assert r.returncode == 1 and "may not fire 'start_design'" in r.stderr

    for step in STEPS:
        r = cli("advance", "demo-programme", step, "--role", "coordinator")
        assert r.returncode == 0, (step, r.stdout, r.stderr)

    r = cli("advance", "demo-programme", "close")
    assert r.returncode == 1 and "a note is required" in r.stderr
    r = cli("advance", "demo-programme", "close", "--payload", '{"note": "年度总结已归档"}')
    assert r.returncode == 0 and "closed" in r.stdout

    r = cli("advance", "demo-programme", "close")
    assert r.returncode == 1 and "from state 'closed'" in r.stderr

    r = cli("history", "demo-programme")
    assert r.returncode == 0
    rows = [line.split() for line in r.stdout.splitlines() if line.strip() and line.strip()[0].isdigit()]
    assert [row[4] for row in rows] == ["__start__", *STEPS, "close", "close"]
    assert [row[3] for row in rows][-2:] == ["refused", "done"]
    assert "refused" in r.stdout and "a note is required" in r.stdout

    r = cli("draw", "demo-programme", "--format", "mermaid")
    assert r.returncode == 0 and "class closed current" in r.stdout


def test_cli_errors_exit_non_zero(cli, tmp_path: Path) -> None:
    r = cli("advance", "no-such-programme", "start_design")
    assert r.returncode == 1 and "no programme 'no-such-programme'" in r.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nname: [\n", encoding="utf-8")
    r = cli("check", str(bad))
    assert r.returncode == 1 and f"{bad}:" in r.stdout
    r = cli("load", str(bad))
    assert r.returncode == 1


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed (CI installs it)")
def test_draw_svg_highlights_the_current_state(cli, tmp_path: Path) -> None:
    assert cli("load", str(PROGRAMME)).returncode == 0
    assert cli("advance", "demo-programme", "start_design").returncode == 0
    out = tmp_path / "lifecycle.svg"
    r = cli("draw", "demo-programme", "--format", "svg", "-o", str(out))
    assert r.returncode == 0, r.stderr
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "#ffd54f" in svg and "设计项目" in svg
    png = tmp_path / "file.png"
    assert cli("draw", str(PROGRAMME), "--format", "png", "-o", str(png)).returncode == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_init_writes_a_starter_that_checks(cli, tmp_path: Path) -> None:
    r = cli("init", "demo", "-o", "starter.yaml")
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "starter.yaml").read_text(encoding="utf-8")
    assert "min_helpers" in text
    assert cli("check", "starter.yaml").returncode == 0
    assert cli("init", "demo", "-o", "starter.yaml").returncode == 1  # never overwrites


def test_schema_is_json_schema_with_rules_per_plan_type(cli) -> None:
    import json

    r = cli("schema")
    schema = json.loads(r.stdout)
    assert schema["properties"]["plan_type"]["enum"][0] in ("community", "demo", "legal_aid")
    assert "rules_demo" in schema["$defs"]
