"""Benchmark of the totals, levels and balances rebuilds (时长、积分、星级重算基准测试).

Bulk-loads N service records (default 1,000,000) for V volunteers (default 100,000) and one award
ledger entry per record into a fresh store — a SQLite file in a temporary directory, or with
``--database postgresql`` a schema of its own on the PostgreSQL at ``$VOLUNTEER_DATABASE_URL``
(or ``--url``), dropped afterwards — then measures in the same run:

* floor   — one plain ``SELECT volunteer_id, SUM(minutes) FROM service_records GROUP BY volunteer_id``
            (rows fetched); and the same over ``ledger_entries`` for the balances;
* rebuild — ``rebuild_totals_and_levels`` (minutes, level minutes, count and the star level by a
            ``CASE`` over the thresholds, one ``INSERT … SELECT``), the records stage's
            ``rebuild_totals`` followed by ``rebuild_levels`` (one ``UPDATE … CASE``), and
            ``rebuild_balances`` (one ``INSERT … SELECT … GROUP BY`` over the ledger); each with its
            commit, as the ratio to its floor (target ≤ 2×);
* incremental — verifying one more record (insert, totals upsert, awards, level) for a volunteer
            with 20,000 records and one with 1, interleaved: time and SQL statements per record
            (the same count and time for both shows no history is read).

Prints figures only; asserts nothing about time.

    .venv/bin/python bench/totals.py --records 100000 --volunteers 10000
    .venv/bin/python bench/totals.py --database postgresql
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import types
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine import PlanType, hookimpl
from engine.core import VolunteerEngine
from engine.stages.records.models import ServiceRecord, VolunteerTotal
from engine.stages.recruitment.models import Volunteer, id_number_index
from engine.stages.rewards import ledger, levels, service
from engine.stages.rewards.awards import Award
from engine.stages.rewards.models import Balance, LedgerEntry
from engine.store.db import normalise_url
from engine.testing import make_host

RATE = {"routine": 1, "professional": 2, "high_risk": 3}
CATEGORIES = list(RATE)
HEAVY_RECORDS = 20_000
PROGRAMME = """\
id: bench-totals
name: 时长积分星级基准 Totals benchmark
plan_type: bench
organisation: {name: 基准测试站}
period: {start: 2024-01-01, end: 2026-12-31}
rewards:
  level_hours_from: [checkin, self_reported, coordinator]
  levels:
    - {name: 一星志愿者, min_hours: 100}
    - {name: 二星志愿者, min_hours: 300}
    - {name: 三星志愿者, min_hours: 600}
    - {name: 四星志愿者, min_hours: 1000}
    - {name: 五星志愿者, min_hours: 1500}
"""


# ------------------------------------------------------------------ a plan type for the run
def bench_plugin() -> types.ModuleType:
    """Points per hour by service type (seed 001), the rule the incremental path runs."""
    mod = types.ModuleType("bench_totals_plan")

    @hookimpl
    def volunteer_register_plan_types(register: Any) -> None:
        register.add(PlanType(id="bench", title="基准 Bench"))

    @hookimpl
    def volunteer_compute_awards(record: Any) -> list[Any]:
        pts = (Decimal(record.minutes) / 60 * RATE.get(record.category, 1)).quantize(Decimal("0.01"))
        return [Award("points", pts, "服务积分 / service points")]

    mod.volunteer_register_plan_types = volunteer_register_plan_types  # type: ignore[attr-defined]
    mod.volunteer_compute_awards = volunteer_compute_awards  # type: ignore[attr-defined]
    return mod


# ------------------------------------------------------------------ store
def open_store(kind: str, url: str | None, tmp: Path) -> tuple[str, Callable[[], None]]:
    if kind == "sqlite":
        return f"sqlite:///{tmp / 'totals.db'}", lambda: None
    base = normalise_url(url or os.environ.get("VOLUNTEER_DATABASE_URL", ""))
    if not base.startswith("postgresql"):
        sys.exit("--database postgresql needs --url or $VOLUNTEER_DATABASE_URL (postgresql+psycopg://…)")
    schema = f"bench_totals_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}", drop


# ------------------------------------------------------------------ data
def plan(n_records: int, n_volunteers: int, rnd: random.Random) -> list[int]:
    """Records per volunteer: #1 has HEAVY_RECORDS, #2 has one, every other at least one plus a skewed
    (log-normal) share of the rest."""
    rest = n_records - HEAVY_RECORDS - 1 - (n_volunteers - 2)
    weights = [rnd.lognormvariate(0, 1) for _ in range(n_volunteers - 2)]
    counts = [1] * (n_volunteers - 2)
    for i in rnd.choices(range(n_volunteers - 2), weights=weights, k=rest):
        counts[i] += 1
    return [HEAVY_RECORDS, 1, *counts]


def record_rows(counts: list[int], pid: str, rnd: random.Random) -> Iterator[tuple[Any, ...]]:
    """(id, programme, volunteer, started, ended, minutes, category, captured, verified_by, verified_at,
    created_by, created_at, points) — ids from 1 in order, so ledger rows can point at them."""
    t0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    rid = 0
    for vid, n in enumerate(counts, start=1):
        for _ in range(n):
            rid += 1
            minutes = rnd.choice((30, 60, 90, 120, 180, 240, 300, 480))
            start = t0 + dt.timedelta(minutes=rnd.randrange(0, 3 * 365 * 24 * 60))
            end = start + dt.timedelta(minutes=minutes)
            cat = rnd.choices(CATEGORIES, weights=(70, 25, 5))[0]
            captured = "transferred" if rnd.random() < 0.05 else "checkin"
            verified = rnd.random() < 0.98
            yield (rid, pid, vid, start, end, minutes, cat, captured, "coord" if verified else None,
                   end if verified else None, "bench", end, round(minutes / 60 * RATE[cat], 2))


REC_COLS = ["id", "programme_id", "volunteer_id", "started_at", "ended_at", "minutes", "category", "captured",
            "verified_by", "verified_at", "created_by", "created_at"]
LED_COLS = ["programme_id", "volunteer_id", "unit", "amount", "kind", "reason", "record_id", "data", "created_by",
            "created_at"]


def load(eng: VolunteerEngine, pid: str, counts: list[int], rnd: random.Random, chunk: int = 50_000) -> None:
    """Bulk insert volunteers, records and one award entry per verified record."""
    engine = eng.db.engine
    pg = engine.dialect.name == "postgresql"
    now = dt.datetime.now(dt.UTC)
    vols: list[dict[str, Any]] = [{"id": i, "name": f"志愿者{i}", "gender": "female" if i % 2 else "male", "birth_date": dt.date(1990, 1, 1),
             "id_number": f"{i:018d}", "id_number_index": id_number_index(f"{i:018d}"), "skills": [], "languages": [], "qualifications": [], "created_at": now}
            for i in range(1, len(counts) + 1)]
    with engine.begin() as conn:
        for i in range(0, len(vols), chunk):
            conn.execute(insert(Volunteer), vols[i:i + chunk])
    del vols
    rows = record_rows(counts, pid, rnd)
    done = False
    while not done:
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == chunk:
                break
        else:
            done = True
        if not batch:
            break
        recs = [r[:12] for r in batch]
        leds = [(pid, r[2], "points", Decimal(str(r[12])), "award", "服务积分 / service points", r[0], "{}", "bench",
                 r[11]) for r in batch if r[9] is not None]
        if pg:
            raw = engine.raw_connection()
            try:
                with raw.cursor() as cur:  # type: ignore[attr-defined]
                    with cur.copy(f"COPY service_records ({', '.join(REC_COLS)}) FROM STDIN") as cp:
                        for r in recs:
                            cp.write_row(r)
                    with cur.copy(f"COPY ledger_entries ({', '.join(LED_COLS)}) FROM STDIN") as cp:
                        for r in leds:
                            cp.write_row(r)
                raw.commit()
            finally:
                raw.close()
        else:
            with engine.begin() as conn:
                conn.execute(insert(ServiceRecord), [dict(zip(REC_COLS, r, strict=True)) for r in recs])
                conn.execute(insert(LedgerEntry), [dict(zip(LED_COLS, r, strict=True)) | {"data": {}} for r in leds])
    with engine.begin() as conn:
        if pg:
            for table in ("volunteers", "service_records", "ledger_entries"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
        conn.execute(text("ANALYZE"))


# ------------------------------------------------------------------ measuring
def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median seconds over ``repeat`` runs, and the last result."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def in_tx(eng: VolunteerEngine, fn: Callable[[Any], Any]) -> Callable[[], Any]:
    def run() -> Any:
        with eng.session() as s:
            return fn(s)
    return run


def floor(eng: VolunteerEngine, sql: str, serial: bool = False) -> Callable[[], int]:
    """The plain GROUP BY; ``serial``: without PostgreSQL's parallel workers, which an
    ``INSERT … SELECT`` cannot use, so the rebuild's fair comparison on PostgreSQL."""
    def run() -> int:
        with eng.db.engine.connect() as conn:
            if serial:
                conn.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
            return len(conn.execute(text(sql)).fetchall())
    return run


def incremental(eng: VolunteerEngine, prog: Any, heavy: int, light: int, n: int) -> dict[int, tuple[float, float, int]]:
    """Verify ``n`` more records for each volunteer, interleaved; (median ms, p95 ms, statements/record)."""
    def own_bump(session: Any, programme: Any, record: Any) -> None:
        counted = record.captured in programme.config.rewards.level_hours_from
        levels.add_minutes(session, programme.id, record.volunteer_id, record.minutes, record.minutes if counted else 0)

    bump_totals: Callable[[Any, Any, Any], None] = own_bump
    with contextlib.suppress(ImportError):  # the records stage's incremental path; ours is equivalent
        from engine.stages.records.service import bump_totals
    counter = {"n": 0}

    def count(*_: Any) -> None:
        counter["n"] += 1

    event.listen(eng.db.engine, "before_cursor_execute", count)
    times: dict[int, list[float]] = {heavy: [], light: []}
    stmts: dict[int, list[int]] = {heavy: [], light: []}
    now = dt.datetime.now(dt.UTC)
    try:
        for i in range(n):
            for vid in (heavy, light) if i % 2 else (light, heavy):
                counter["n"] = 0
                t = time.perf_counter()
                with eng.session() as s:
                    rec = ServiceRecord(programme_id=prog.id, volunteer_id=vid, started_at=now, ended_at=now,
                                        minutes=60, category="routine", captured="checkin", verified_by="coord",
                                        verified_at=now, created_by="bench")
                    s.add(rec)
                    s.flush()
                    bump_totals(s, prog, rec)
                    service.after_record_verified(s, prog, eng.host, rec, "bench")
                times[vid].append((time.perf_counter() - t) * 1000)
                stmts[vid].append(counter["n"])
    finally:
        event.remove(eng.db.engine, "before_cursor_execute", count)
    return {vid: (statistics.median(ts), sorted(ts)[int(len(ts) * 0.95) - 1], round(statistics.median(stmts[vid])))
            for vid, ts in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--volunteers", type=int, default=100_000)
    ap.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--url", help="PostgreSQL URL (default $VOLUNTEER_DATABASE_URL)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per rebuild measurement (median)")
    ap.add_argument("--incremental", type=int, default=200, help="records added per volunteer")
    ap.add_argument("--seed", type=int, default=20260101)
    args = ap.parse_args()
    rnd = random.Random(args.seed)

    with tempfile.TemporaryDirectory(prefix="bench_totals_") as tmp:
        url, cleanup = open_store(args.database, args.url, Path(tmp))
        try:
            eng = VolunteerEngine(url, host=make_host([("bench", bench_plugin())], builtin=()))
            prog = eng.load(PROGRAMME, filename="bench-totals.yaml")
            t = time.perf_counter()
            counts = plan(args.records, args.volunteers, rnd)
            load(eng, prog.id, counts, rnd)
            print(f"database: {eng.db.engine.dialect.name}; loaded {args.records:,} records, {args.volunteers:,} "
                  f"volunteers and their award entries in {time.perf_counter() - t:.1f} s")
            run(eng, prog, args)
            eng.db.dispose()
        finally:
            cleanup()


REC_FLOOR = "SELECT volunteer_id, SUM(minutes) FROM service_records GROUP BY volunteer_id"
LED_FLOOR = "SELECT volunteer_id, SUM(amount) FROM ledger_entries GROUP BY volunteer_id"


def clear(eng: VolunteerEngine, table: str) -> None:
    """Empty a cache table (not timed), and on PostgreSQL vacuum it so the next run starts clean."""
    with eng.db.engine.begin() as conn:
        conn.execute(text(f"DELETE FROM {table}"))
    if eng.db.engine.dialect.name == "postgresql":
        with eng.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"VACUUM ANALYZE {table}"))


def cold_warm(eng: VolunteerEngine, fn: Callable[[], Any], tables: list[str], repeat: int) -> tuple[float, float]:
    """Median seconds from an empty cache (every row written) and from a right one (a second run)."""
    cold, warm = [], []
    for _ in range(repeat):
        for t in tables:
            clear(eng, t)
        cold.append(timed(fn, 1)[0])
        warm.append(timed(fn, 1)[0])
    return statistics.median(cold), statistics.median(warm)


def run(eng: VolunteerEngine, prog: Any, args: argparse.Namespace) -> None:
    r = args.repeat
    f_rec, groups = timed(floor(eng, REC_FLOOR), r)
    f_led, _ = timed(floor(eng, LED_FLOOR), r)
    rows: list[tuple[str, float, float, float]] = []
    one = cold_warm(eng, in_tx(eng, lambda s: levels.rebuild_totals_and_levels(s, prog, eng.host)),
                    ["volunteer_totals"], r)
    rows.append(("rebuild_totals_and_levels (one upsert, CASE)", *one, f_rec))
    try:
        from engine.stages.records.service import rebuild_totals
    except ImportError:
        rebuild_totals = None  # type: ignore[assignment]
    if rebuild_totals is not None:
        def both(s: Any) -> None:
            rebuild_totals(s, prog, host=eng.host)
            levels.rebuild_levels(s, prog, eng.host)
        two = cold_warm(eng, in_tx(eng, both), ["volunteer_totals"], r)
        rows.append(("records.rebuild_totals + rebuild_levels", *two, f_rec))
    bal = cold_warm(eng, in_tx(eng, lambda s: ledger.rebuild_balances(s, prog.id)), ["balances"], r)
    rows.append(("rebuild_balances (from the ledger)", *bal, f_led))
    rows.append(("hours + levels + points (first + balances)", one[0] + bal[0], one[1] + bal[1], f_rec + f_led))
    print(f"floor: GROUP BY volunteer_id over service_records {f_rec * 1000:.0f} ms ({groups:,} groups); "
          f"over ledger_entries {f_led * 1000:.0f} ms  (median of {r})")
    print(f"  {'rebuild':<46} {'empty cache':>22} {'cache already right':>24}")
    for name, cold, warm, fl in rows:
        print(f"  {name:<46} {cold * 1000:8.0f} ms {cold / fl:5.2f}× floor {warm * 1000:8.0f} ms {warm / fl:5.2f}× floor")
    if eng.db.engine.dialect.name == "postgresql":
        s_rec, _ = timed(floor(eng, REC_FLOOR, serial=True), r)
        s_led, _ = timed(floor(eng, LED_FLOOR, serial=True), r)
        print(f"serial floor (max_parallel_workers_per_gather = 0, as INSERT … SELECT runs): "
              f"{s_rec * 1000:.0f} ms and {s_led * 1000:.0f} ms; the rebuilds against it: "
              + ", ".join(f"{name.split(' ')[0]} {cold / (s_rec if fl == f_rec else s_led if fl == f_led else s_rec + s_led):.2f}×/"
                          f"{warm / (s_rec if fl == f_rec else s_led if fl == f_led else s_rec + s_led):.2f}×"
                          for name, cold, warm, fl in rows))
    with eng.session() as s:
        dist = levels.distribution(s, prog)
        drift = ledger.balance_drift(s, prog.id)
        heavy_min = s.scalar(select(VolunteerTotal.minutes).where(VolunteerTotal.volunteer_id == 1))
        n_bal = s.scalar(select(func.count()).select_from(Balance))
        n_tot = s.scalar(select(func.count()).select_from(VolunteerTotal))
    print(f"volunteers with totals: {n_tot:,}; balances: {n_bal:,}; ledger drift after rebuild: {len(drift)}")
    print("levels: " + ", ".join(f"{d['level'] or '无 none'} {d['volunteers']:,}" for d in dist))
    inc = incremental(eng, prog, 1, 2, args.incremental)
    with eng.session() as s:
        recs = dict(s.execute(select(VolunteerTotal.volunteer_id, VolunteerTotal.records)
                              .where(VolunteerTotal.volunteer_id.in_((1, 2)))).all())
    print(f"incremental (one verified record: insert, totals upsert, award, level; commit), {args.incremental} each:")
    for vid, label in ((1, "many"), (2, "few")):
        med, p95, st = inc[vid]
        print(f"  volunteer with {label:>4} records (now {recs[vid]:,}): median {med:.2f} ms, p95 {p95:.2f} ms, "
              f"{st} SQL statements")
    print(f"  ratio many/few: {inc[1][0] / inc[2][0]:.2f}  (heavy volunteer's minutes before: {heavy_min:,})")


if __name__ == "__main__":
    main()
