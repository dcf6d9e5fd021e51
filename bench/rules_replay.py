"""Benchmark of the dry run of a rule change (规则变更试算基准测试), next to a full rebuild in the same run.

Bulk-loads N service records (documented full size: 1,000,000 records for 100,000 volunteers, the
issue's figure) with one award ledger entry per verified record (the loader of ``bench/totals.py``)
into a fresh store — a SQLite file in a temporary directory, or with ``--database postgresql`` a
schema of its own on the PostgreSQL at ``$VOLUNTEER_DATABASE_URL`` — then measures, in turn ``--repeat``
times so that a change in the machine's load falls on all alike, the median wall and CPU seconds of:

* rebuild — the full rebuild of what a replay recomputes: ``rebuild_totals_and_levels`` (hours,
            level hours and levels: one ``INSERT … SELECT … GROUP BY`` with a ``CASE``) plus
            ``rebuild_balances`` (points balances from the ledger), each committed: the baseline;
* replay  — ``replay_programme`` under a changed file (quarter hour up, other points rates, a new
            first-service bonus, other thresholds): every volunteer's hours, level hours, level and
            points recomputed and compared, nothing written; target ≤ 2× the rebuild;
* replay, day cap — the same with ``cap_per_day_hours: 8`` (the times are read and each volunteer's
            days followed in order), for the record.

Prints figures only; asserts nothing about time. Quick run::

    .venv/bin/python bench/rules_replay.py --records 100000 --volunteers 10000
    .venv/bin/python bench/rules_replay.py --database postgresql
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from totals import bench_plugin, load, open_store, plan

from engine.core import VolunteerEngine
from engine.rules.replay import replay_programme
from engine.stages.rewards.ledger import rebuild_balances
from engine.stages.rewards.levels import rebuild_totals_and_levels
from engine.testing import make_host

HEAD = """\
id: bench-totals
name: 规则变更试算基准 Replay benchmark
plan_type: bench
organisation: {name: 基准测试站}
period: {start: 2024-01-01, end: 2026-12-31}
rewards:
  level_hours_from: [checkin, self_reported, coordinator]
"""
BEFORE = HEAD + """rules:
  pack: national-stars
  points: {per_hour: {routine: 1, professional: 2, high_risk: 3}}
"""
AFTER = HEAD + """rules:
  pack: national-stars
  hours:
    rounding: {step: 15, mode: up}
  points:
    per_hour: {routine: 1.5, professional: 2, high_risk: 4}
    bonuses: {first_service: 5}
  levels:
    scheme:
      - {name: 一星志愿者 1-star, hours: 50}
      - {name: 二星志愿者 2-star, hours: 200}
      - {name: 三星志愿者 3-star, hours: 500}
"""
DAY_CAP = AFTER.replace("    rounding: {step: 15, mode: up}\n", "    rounding: {step: 15, mode: up}\n"
                        "    cap_per_day_hours: 8\n")


def interleaved(fns: list[Any], repeat: int) -> list[tuple[float, float, Any]]:
    """(median wall seconds, median CPU seconds of this process, last result) of each function, the
    functions run in turn ``repeat`` times."""
    walls: list[list[float]] = [[] for _ in fns]
    cpus: list[list[float]] = [[] for _ in fns]
    last: list[Any] = [None] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            w, c = time.perf_counter(), time.process_time()
            last[i] = fn()
            walls[i].append(time.perf_counter() - w)
            cpus[i].append(time.process_time() - c)
    return [(statistics.median(w), statistics.median(c), r) for w, c, r in zip(walls, cpus, last, strict=True)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=1_000_000, help="service records (full size 1,000,000)")
    ap.add_argument("--volunteers", type=int, default=100_000, help="volunteers (full size 100,000)")
    ap.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--url", help="PostgreSQL URL (default $VOLUNTEER_DATABASE_URL)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    ap.add_argument("--seed", type=int, default=20260101)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="bench_replay_") as tmp:
        url, cleanup = open_store(args.database, args.url, Path(tmp))
        try:
            eng = VolunteerEngine(url, host=make_host([("bench", bench_plugin())], builtin=()))
            prog = eng.load(BEFORE, filename="bench.yaml")
            t = time.perf_counter()
            load(eng, prog.id, plan(args.records, args.volunteers, rnd), rnd)
            print(f"database: {eng.db.engine.dialect.name}; loaded {args.records:,} records for "
                  f"{args.volunteers:,} volunteers in {time.perf_counter() - t:.1f} s")

            def rebuild_totals() -> int:
                with eng.session() as s:
                    return rebuild_totals_and_levels(s, prog)

            def rebuild_points() -> int:
                with eng.session() as s:
                    return rebuild_balances(s, prog.id)

            rebuild_totals()  # the caches exist before the dry run compares against them
            rebuild_points()

            def rebuild() -> int:
                return rebuild_totals() + rebuild_points()

            dries = {}
            for label, text in (("replay", AFTER), ("replay, day cap", DAY_CAP)):
                changed = eng.parse(text, "changed.yaml")

                def dry(changed=changed):  # type: ignore[no-untyped-def]
                    with eng.session() as s:
                        report = replay_programme(s, prog, changed)
                        s.rollback()
                        return report

                dries[label] = dry
            # interleaved (rebuild, replay, replay with day cap, rebuild, …) so that a change in the
            # machine's load falls on all three alike; wall and CPU seconds, median of the runs
            runs = interleaved([rebuild, *dries.values()], args.repeat)
            (base_wall, base_cpu, _), *rest = runs
            results = [("full rebuild (baseline: totals, levels, balances, committed)", base_wall, base_cpu, None, None)]
            for label, (wall, cpu, report) in zip(dries, rest, strict=True):
                results.append((f"{label} ({len(report.changes):,} volunteers change)", wall, cpu, wall / base_wall,
                                cpu / base_cpu))
            print(f"{'measure':<62} {'wall s':>8} {'CPU s':>8} {'× wall':>7} {'× CPU':>7}")
            for label, wall, cpu, rw, rc in results:
                print(f"{label:<62} {wall:>8.2f} {cpu:>8.2f} {'' if rw is None else f'{rw:.2f}':>7} "
                      f"{'' if rc is None else f'{rc:.2f}':>7}")
            print(f"load average during the run: {os.getloadavg()[0]:.1f} (2 cores); on SQLite the database "
                  "works in this process, so its CPU ratio is the one a busy machine disturbs least")
            print("target: replay ≤ 2.00 × rebuild (same run, same database)")
            eng.db.dispose()
        finally:
            cleanup()


if __name__ == "__main__":
    main()
