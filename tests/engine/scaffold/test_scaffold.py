"""`volunteer new-plan-type` writes a package a stranger can install and test at once; it imports only
the public surface; `volunteer db revision` writes the next revision of its own tables."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
PUBLIC = ("engine", "engine.sdk", "engine.sdk.tables", "engine.sdk.http", "engine.sdk.people", "engine.errors",
          "engine.inputs", "engine.testing")


def _volunteer(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "volunteer"), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The generated package, installed (no dependencies, no build isolation) into its own folder."""
    work = tmp_path_factory.mktemp("scaffold")
    env = {**os.environ, "PYTHONPATH": str(work / "site")}
    made = _volunteer("new-plan-type", "relief", "--dir", str(work), "--title", "应急志愿 Emergency relief", env=env, cwd=work)
    assert made.returncode == 0, made.stderr
    root = work / "volunteer-plan-relief"
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                          "--target", str(work / "site"), str(root)], capture_output=True, text=True, timeout=300)
    assert pip.returncode == 0, pip.stderr
    return root, env


def test_its_tests_pass_out_of_the_box(installed) -> None:
    root, env = installed
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                          str(root / "tests")], capture_output=True, text=True, env=env, cwd=root, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "4 passed" in run.stdout


def test_it_is_discovered_and_its_example_passes_check(installed) -> None:
    root, env = installed
    plugins = _volunteer("plugins", env=env, cwd=root)
    assert "relief" in plugins.stdout, plugins.stdout
    check = _volunteer("check", str(root / "examples" / "relief.yaml"), env=env, cwd=root)
    assert check.returncode == 0, check.stdout + check.stderr


def test_it_imports_only_the_public_surface(installed) -> None:
    root, _ = installed
    seen: set[str] = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            seen.update(n for n in names if n == "engine" or n.startswith("engine."))
    assert seen and seen <= set(PUBLIC), seen - set(PUBLIC)


def test_db_revision_writes_the_next_revision_of_its_tables(installed, tmp_path) -> None:
    _root, env = installed
    site = Path(env["PYTHONPATH"])
    models = site / "vol_plan_relief" / "models.py"
    models.write_text(models.read_text(encoding="utf-8").replace(
        '    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)\n',
        '    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)\n'
        '    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)\n'), encoding="utf-8")
    run = _volunteer("db", "revision", "relief", "-m", "tasks have a due time",
                     env={**env, "VOLUNTEER_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    new = site / "vol_plan_relief" / "migrations" / "relief_0002_tasks_have_a_due_time.py"
    text = new.read_text(encoding="utf-8")
    assert "down_revision = 'relief_0001'" in text or 'down_revision = "relief_0001"' in text
    assert "add_column(sa.Column('due_at', engine.sdk.tables.UTCDateTime()" in text.replace('"', "'")
    assert "import engine.sdk.tables" in text
    assert "drop_table" not in text.split("def downgrade")[0]  # nothing of the engine's own tables
    bad = _volunteer("db", "revision", "no_such_type", "-m", "x", env=env, cwd=tmp_path)
    assert bad.returncode != 0 and "not installed" in (bad.stdout + bad.stderr)
