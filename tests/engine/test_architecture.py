"""The architecture holds: the engine's import graph has no cycles and no upward imports between its
layers, and the contracts in pyproject.toml (engine never imports a plan type; plan types use only the
public surface) are kept (``lint-imports``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]

#: Lowest first. A module belongs to the longest prefix listed; route modules (``*.routes``,
#: ``*_routes``, the check-in burst endpoint) are HTTP whatever folder they sit in.
LAYERS: list[tuple[str, ...]] = [
    ("engine.errors", "engine.timeutil", "engine.settings", "engine.inputs", "engine.csvsafe", "engine.views"),
    ("engine.store", "engine.people", "engine.crypto", "engine.orgs.models", "engine.certificates.models"),
    ("engine.workflow", "engine.config", "engine.programme", "engine.plugins", "engine.hookspecs", "engine.auth",
     "engine.rules"),
    ("engine.imports",),
    ("engine.stages", "engine.notify"),  # the stages send messages through the notification core
    ("engine.reports", "engine.rules.replay", "engine.rules.replay_sql", "engine.rules.replay_timebank"),
    ("engine.scheduling", "engine.orgs", "engine.certificates"),
    ("engine.sdk",),
    ("engine.core",),
    ("engine.http", "engine.sdk.http", "engine.notify.builtin", "engine.certificates.builtin"),
    ("engine.web",),
    ("engine.http.app", "engine.http.asgi"),  # the composition root: API, pages, scheduler
    ("engine.cli", "engine.certificates.cli", "engine.testing", "engine.testing_server", "engine.testing_store", "engine"),
]
NOT_IN_GRAPH = ("engine.store.migrations",)  # Alembic loads env.py and revisions by path


def _is_route(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return last == "routes" or last.endswith("_routes") or module == "engine.stages.service.burst"


def layer_of(module: str) -> int:
    best, level = "", -1
    for i, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > len(best):
                best, level = name, i
    if _is_route(module) and module.startswith("engine."):
        level = max(level, 9)
    assert level >= 0, f"{module} is in no layer: add it to LAYERS"
    return level


def _graph() -> grimp.ImportGraph:
    g = grimp.build_graph("engine", exclude_type_checking_imports=True)
    for m in list(g.modules):
        if m.startswith(NOT_IN_GRAPH):
            g.remove_module(m)
    return g


def _cycles(g: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components with more than one module (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in sorted(g.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(g.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(g.find_modules_directly_imported_by(w)))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def test_the_engine_import_graph_has_no_cycles() -> None:
    assert _cycles(_graph()) == []


def test_no_layer_imports_a_higher_one() -> None:
    g = _graph()
    upward = [f"{m} ({layer_of(m)}) imports {w} ({layer_of(w)})"
              for m in sorted(g.modules) for w in sorted(g.find_modules_directly_imported_by(m))
              if layer_of(w) > layer_of(m)]
    assert upward == []


def test_a_cycle_is_found_when_there_is_one() -> None:  # the check itself can fail
    g = _graph()
    g.add_import(importer="engine.errors", imported="engine.core")
    assert any("engine.errors" in c and "engine.core" in c for c in _cycles(g))


def lint_imports(*contracts: str) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` over the contracts in pyproject.toml (all of them when none is named)."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    args = [exe, "--no-cache", *(f"--contract={c}" for c in contracts)]
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True)


def test_the_engine_never_imports_a_plan_type() -> None:
    run = lint_imports("engine-agnostic", "independent-plan-types")
    assert run.returncode == 0, run.stdout[-4000:]


def test_plan_types_use_only_the_public_surface() -> None:
    run = lint_imports()  # every contract, "public-surface" included
    assert run.returncode == 0, run.stdout[-4000:]
    assert "broken" in run.stdout and " 0 broken" in run.stdout
