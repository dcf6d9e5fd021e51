"""The import contracts of ``pyproject.toml``, run by the test suite: the engine never imports a plan
type, and the built-in plan types use only the public surface (``engine``, ``engine.sdk.*``,
``engine.errors``, ``engine.inputs``, ``engine.testing``)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def lint_imports() -> str:
    exe = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(exe), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert "Contracts" in done.stdout, done.stdout + done.stderr  # it ran and analysed the graph
    return done.stdout


def test_community_uses_only_the_public_surface() -> None:
    out = lint_imports()
    # every broken import is listed as "-   importer -> imported (l.N)"
    offending = [line.strip() for line in out.splitlines()
                 if re.match(r"^-\s+plugins\.community(\.| )", line) or "-> plugins.community" in line]
    assert offending == [], "plugins.community imports engine internals:\n" + "\n".join(offending)
    assert re.search(r"The engine is plan-type agnostic: it never imports a plan type\s+KEPT", out), out
