"""The legal-aid plan type is built on the engine's public surface only (issue 8): ``lint-imports``
reports no import from ``plugins.legal_aid`` into an internal engine module, and the plan type no longer
ships a migration helper that reached into the engine's database code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_legal_aid_imports_only_the_public_surface() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    run = subprocess.run([exe, "--no-cache", "--contract=public-surface"], cwd=ROOT, capture_output=True, text=True)
    report = run.stdout + run.stderr
    assert "Contracts:" in report or "Analyzed" in report, report[-2000:]  # it ran over the real graph
    offending = [line for line in report.splitlines() if "plugins.legal_aid" in line]
    assert offending == [], "\n".join(offending)


def test_no_private_migration_helper() -> None:
    assert not (ROOT / "plugins" / "legal_aid" / "regen_migration.py").exists()
