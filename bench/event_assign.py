"""Assignment with every guard, in process: per operation, with the event's shift rules against the
same engine without them (same run, same data shape) — the cost of the shift-rule check.

Two programmes from ``examples/event.yaml`` on one SQLite file (or PostgreSQL with
``VOLUNTEER_DATABASE_URL``): *rules* (pack event-expo2010-security: rest, hours per day/week,
consecutive days, duty window) and *baseline* (the same file without ``pack:``). Each gets one post,
``--shifts`` shifts over the Expo's first days and ``--people`` volunteers with agreed applications;
then ``--ops`` assignments go through ``engine.stages.service.roster.assign`` (capacity, overlap,
rest, day cap, no-show cap, agreement, eligibility with courses, shift rules), each volunteer on
several shifts so the rules have history to check. Prints ms per operation; the commit is outside
the timed loop (one commit at the end) and stated as such.

The same-run floor (docs: WAVE2 "Baselines"): a third programme of the same shape, *floor*, where the
same assignment rows are written by a bare Core ``INSERT`` on the same session and store, no guard
read — what any way of rostering pays at least. The store is ``ANALYZE``d once seeded: on PostgreSQL a
fresh table has no statistics and the planner then picks e.g. the programme index over the unique
lifecycle key, scanning every workflow instance of the programme on each call. A fourth programme,
*warm-up*, takes one untimed run first: whichever guarded run came first was slower by a third; the
store is ``ANALYZE``d again after it, now that ``assignments`` holds rows (analysed empty, the planner
scanned every assignment of the programme for the no-shows and the person's history). A line per
figure; the ratio to the floor is what the guards cost on this machine today (the peer figure,
ephios' 47 ms, is context only).

Measured (five rounds, same run as the code before, ad63ad2, 2 cores at load average 2.7–4.4; ms per
assignment, median (range), with shift rules / without): SQLite 0.65 (0.59–0.74) / 0.51 (0.41–0.56),
floor 0.06 (before 0.69 / 0.47); PostgreSQL 1.57 (1.49–2.01) / 1.78 (1.42–1.83), floor 0.23–0.29
(before 2.48 (2.21–2.56) / 2.33 (1.88–2.51)).
Details and what is left on PostgreSQL: docs/plan-types/event.md, "Shift rules".

    .venv/bin/python bench/event_assign.py --people 300 --shifts 6 --ops 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sqlalchemy import insert, update  # noqa: E402
from tests_support import bring_to  # noqa: E402

from engine.stages.design.models import Post, Project, Shift  # noqa: E402
from engine.stages.recruitment.models import Application, Enrolment, Volunteer  # noqa: E402
from engine.stages.service import roster  # noqa: E402
from engine.stages.service.models import Assignment  # noqa: E402
from engine.store.models import WorkflowInstance  # noqa: E402
from engine.testing import temp_engine  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2010, 4, 20, 10, tzinfo=TZ)


def setup(eng, pid: str, text: str, people: int, shifts: int):  # type: ignore[no-untyped-def]
    prog = eng.load(text.replace("expo-security-2010", pid), filename=f"{pid}.yaml")
    bring_to(eng, pid, "recruitment")
    with eng.session() as s:
        project = Project(programme_id=pid, name="巡防")
        s.add(project)
        s.flush()
        post = Post(programme_id=pid, project_id=project.id, name="巡防员", capacity=people)
        s.add(post)
        s.flush()
        sh = []
        for i in range(shifts):  # one 4-hour shift a day (6 days in a row at most: the pack's limit)
            start = dt.datetime(2010, 5, 1 + i, 8, tzinfo=TZ)
            row = Shift(programme_id=pid, post_id=post.id, starts_at=start, ends_at=start + dt.timedelta(hours=4),
                        capacity=people, checkin_code=secrets.token_hex(8))
            s.add(row)
            sh.append(row)
        s.flush()
        vols = []
        for n in range(people):
            v = Volunteer(name=f"志愿者{n}", gender="female", birth_date=dt.date(1970, 1, 1),
                          id_number=f"{pid[:4]}{n:014d}")
            s.add(v)
            s.flush()
            s.add(Enrolment(programme_id=pid, volunteer_id=v.id, source="bench"))
            app = Application(programme_id=pid, post_id=post.id, volunteer_id=v.id)
            s.add(app)
            s.flush()
            inst = eng.workflows.start(s, prog, "application", "application", app.id, actor="bench")
            s.execute(update(WorkflowInstance).where(WorkflowInstance.id == inst.id).values(state="agreed"))
            vols.append(v.id)
        s.commit()
        return prog, [r.id for r in sh], vols


def run(eng, prog, shifts: list[int], vols: list[int], ops: int) -> float:  # type: ignore[no-untyped-def]
    pairs = [(vols[i % len(vols)], shifts[(i // len(vols)) % len(shifts)]) for i in range(ops)]
    with eng.session() as s:
        t = time.perf_counter()
        for vid, sid in pairs:
            roster.assign(s, prog, eng.host, sid, vid, actor="bench", now=NOW)
        spent = time.perf_counter() - t
        s.commit()
    return spent * 1000 / ops


def run_floor(eng, prog, shifts: list[int], vols: list[int], ops: int) -> float:  # type: ignore[no-untyped-def]
    """The same rows, same order, by a bare Core INSERT on the session's connection: no guard at all."""
    pairs = [(vols[i % len(vols)], shifts[(i // len(vols)) % len(shifts)]) for i in range(ops)]
    stmt = insert(Assignment.__table__)  # type: ignore[arg-type]
    with eng.session() as s:
        conn = s.connection()
        t = time.perf_counter()
        for vid, sid in pairs:
            conn.execute(stmt, {"programme_id": prog.id, "shift_id": sid, "volunteer_id": vid, "status": "assigned",
                                "substitute_for_id": None, "assigned_by": "bench"})
        spent = time.perf_counter() - t
        s.commit()
    return spent * 1000 / ops


def analyze(eng) -> None:  # type: ignore[no-untyped-def]
    with eng.db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=300)
    ap.add_argument("--shifts", type=int, default=6)
    ap.add_argument("--ops", type=int, default=1000)
    a = ap.parse_args()
    if a.shifts > 6 or a.ops > a.people * a.shifts:
        ap.error("--shifts at most 6 (consecutive days) and --ops at most people × shifts")
    text = (ROOT / "examples" / "event.yaml").read_text(encoding="utf-8")
    base_text = text.replace("  pack: event-expo2010-security\n", "")
    with tempfile.TemporaryDirectory() as tmp, temp_engine(Path(tmp), builtin=("event",)) as eng:
        ruled = setup(eng, "rules", text, a.people, a.shifts)
        base = setup(eng, "baseline", base_text, a.people, a.shifts)
        floor = setup(eng, "floor", base_text, a.people, a.shifts)
        warm = setup(eng, "warm-up", base_text, a.people, a.shifts)
        assert ruled[0].rules_policy.shifts is not None and base[0].rules_policy.shifts is None
        analyze(eng)  # statistics, as a database in use has them (fresh tables have none)
        run(eng, *warm, a.ops)  # not reported: the first guarded run pays one-off costs (statement compilation …)
        analyze(eng)  # again, now that assignments holds rows: its statistics were those of an empty table
        ms_floor = run_floor(eng, *floor, a.ops)
        ms_base = run(eng, *base, a.ops)
        ms_rules = run(eng, *ruled, a.ops)
        backend = str(eng.db.url).split(":", 1)[0]
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"{a.ops} assignments, {a.people} volunteers, {a.shifts} shifts, {backend} (ANALYZE after seeding and after the warm-up), "
              f"commit outside the timed loop, after an untimed warm-up run, load average {load}")
        print(f"floor (bare INSERT of the row, no guard): {ms_floor:.3f} ms/op")
        print(f"baseline (engine guards, no shift rules): {ms_base:.3f} ms/op ({ms_base / ms_floor:.2f}× the floor)")
        print(f"with shift rules (pack event-expo2010-security): {ms_rules:.3f} ms/op "
              f"({ms_rules / ms_base:.2f}× the baseline, {ms_rules / ms_floor:.2f}× the floor)")


if __name__ == "__main__":
    main()
