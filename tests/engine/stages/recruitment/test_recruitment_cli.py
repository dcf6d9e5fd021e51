"""``volunteer import-volunteers``: exit codes, the summary and the error table."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from recruitment_helpers import as_csv, roster
from sqlalchemy import func, select
from typer.testing import CliRunner

from engine.cli import recruitment as cli
from engine.stages.recruitment.models import Enrolment


@pytest.fixture
def run(eng, demo, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(cli, "_engine", lambda url: eng)  # the tests' plan type lives in the test engine
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """The volunteer CLI stand-in."""

    cli.register(app)

    def invoke(rows: list[list[str]], *args: str):  # type: ignore[no-untyped-def]
        path = Path(tmp_path) / "units.csv"
        path.write_bytes(as_csv(rows))
        return CliRunner().invoke(app, ["import-volunteers", "demo-full", str(path), "--unit", "物业公司", *args])
    return invoke


def _enrolled(eng) -> int:  # type: ignore[no-untyped-def]
    with eng.session() as s:
        return s.scalar(select(func.count()).select_from(Enrolment)) or 0


def _bad() -> list[list[str]]:
    rows = roster(3)
    rows[1][1] = ""  # no name
    return rows


def test_all_or_nothing_with_errors_exits_1_and_lists_row_and_column(run, eng):
    result = run(_bad())
    assert result.exit_code == 1, result.output
    assert "姓名" in result.output and "│ 3 " in result.output and "nothing was stored" in result.output
    assert _enrolled(eng) == 0


def test_good_rows_stores_and_exits_0(run, eng):
    result = run(_bad(), "--mode", "good_rows")
    assert result.exit_code == 0, result.output
    assert "created" in result.output and _enrolled(eng) == 2


def test_dry_run_and_clean_file(run, eng):
    assert run(roster(3), "--dry-run").exit_code == 0 and _enrolled(eng) == 0
    assert run(roster(3)).exit_code == 0 and _enrolled(eng) == 3


def test_unknown_programme_exits_1(run, eng, tmp_path):
    path = Path(tmp_path) / "x.csv"
    path.write_bytes(as_csv(roster(1)))
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """stand-in"""

    cli.register(app)
    result = CliRunner().invoke(app, ["import-volunteers", "nope", str(path), "--unit", "u"])
    assert result.exit_code == 1 and "nope" in result.output
