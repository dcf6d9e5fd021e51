"""Sign-up with every guard, in process: a volunteer's application to a post
(``engine.stages.recruitment.applications.apply``: stage gate, post, enrolment, one application per
post, eligibility on the day — the post's age range, skills, languages, qualifications and every plan
type's ``volunteer_check_eligibility`` — and the application's workflow instance), per operation, next to a same-run floor: the same two rows
(application and workflow instance) written by bare Core INSERTs with no guard.

A programme from ``examples/event.yaml`` (seed 004's eligibility pack) on one SQLite file (or
PostgreSQL with ``VOLUNTEER_DATABASE_URL``); ``--posts`` posts and ``--people`` enrolled volunteers;
``--ops`` sign-ups, each volunteer to several posts. The commit is outside the timed loop (one at
the end), as in ``bench/event_assign.py``; so are an untimed warm-up run on a third programme and an
``ANALYZE`` after it (statistics as a database in use has them).

Measured (five rounds, same run as the code before, ad63ad2, 2 cores at load average 2.7–4.4; ms per
sign-up, median (range) / floor): SQLite 0.55 (0.45–0.65) / 0.13 (before 0.82); PostgreSQL 1.33
(0.99–1.63) / 0.50–0.55 (before 2.37 (1.60–2.48)); two separate runs 0.90 and 0.95. Two statements
there now, five before (docs/plan-types/event.md, "Shift rules").

    .venv/bin/python bench/event_signup.py --people 300 --posts 4 --ops 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sqlalchemy import insert  # noqa: E402
from tests_support import bring_to  # noqa: E402

from engine.stages.design.models import Post, Project  # noqa: E402
from engine.stages.recruitment import applications  # noqa: E402
from engine.stages.recruitment.models import Application, Enrolment, Volunteer  # noqa: E402
from engine.store.models import WorkflowInstance  # noqa: E402
from engine.testing import temp_engine  # noqa: E402

ON = dt.date(2010, 4, 20)


def setup(eng, pid: str, text: str, people: int, posts: int):  # type: ignore[no-untyped-def]
    prog = eng.load(text.replace("expo-security-2010", pid), filename=f"{pid}.yaml")
    bring_to(eng, pid, "recruitment")
    with eng.session() as s:
        project = Project(programme_id=pid, name="巡防")
        s.add(project)
        s.flush()
        rows = [Post(programme_id=pid, project_id=project.id, name=f"岗位{i}", capacity=people, min_age=18)
                for i in range(posts)]
        s.add_all(rows)
        s.flush()
        vols = []
        for n in range(people):
            v = Volunteer(name=f"志愿者{n}", gender="female", birth_date=dt.date(1970, 1, 1),
                          id_number=f"{pid[:4]}{n:014d}")
            s.add(v)
            s.flush()
            s.add(Enrolment(programme_id=pid, volunteer_id=v.id, source="bench"))
            vols.append(v.id)
        s.commit()
        return prog, [p.id for p in rows], vols


def pairs(posts: list[int], vols: list[int], ops: int) -> list[tuple[int, int]]:
    return [(vols[i % len(vols)], posts[(i // len(vols)) % len(posts)]) for i in range(ops)]


def run(eng, prog, posts: list[int], vols: list[int], ops: int) -> float:  # type: ignore[no-untyped-def]
    with eng.session() as s:
        people = {v.id: v for v in s.query(Volunteer).filter(Volunteer.id.in_(vols))}
        t = time.perf_counter()
        for vid, post_id in pairs(posts, vols, ops):
            applications.apply(s, prog, eng.host, people[vid], post_id, actor="bench", on=ON)
        spent = time.perf_counter() - t
        s.commit()
    return spent * 1000 / ops


def run_floor(eng, prog, posts: list[int], vols: list[int], ops: int) -> float:  # type: ignore[no-untyped-def]
    app, inst = insert(Application.__table__).returning(Application.id), insert(WorkflowInstance.__table__)  # type: ignore[arg-type]
    version = prog.workflow("application").version
    with eng.session() as s:
        conn = s.connection()
        t = time.perf_counter()
        for vid, post_id in pairs(posts, vols, ops):
            aid = conn.execute(app, {"programme_id": prog.id, "post_id": post_id, "volunteer_id": vid}).scalar_one()
            conn.execute(inst, {"programme_id": prog.id, "workflow": "application", "subject_type": "application",
                                "subject_id": str(aid), "state": "applied", "version": 1,
                                "definition_version": version})
        spent = time.perf_counter() - t
        s.commit()
    return spent * 1000 / ops


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=300)
    ap.add_argument("--posts", type=int, default=4)
    ap.add_argument("--ops", type=int, default=1000)
    a = ap.parse_args()
    if a.ops > a.people * a.posts:
        ap.error("--ops at most people × posts (one application per person and post)")
    text = (ROOT / "examples" / "event.yaml").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp, temp_engine(Path(tmp), builtin=("event",)) as eng:
        guarded = setup(eng, "signup", text, a.people, a.posts)
        floor = setup(eng, "floor", text, a.people, a.posts)
        warm = setup(eng, "warm-up", text, a.people, a.posts)
        run(eng, *warm, a.ops)  # not reported: the first run pays one-off costs (statement compilation …)
        with eng.db.engine.connect() as conn:  # statistics, as a database in use has them (applications too)
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        ms_floor = run_floor(eng, *floor, a.ops)
        ms = run(eng, *guarded, a.ops)
        backend = str(eng.db.url).split(":", 1)[0]
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"{a.ops} sign-ups, {a.people} volunteers, {a.posts} posts, {backend} (ANALYZE after an untimed "
              f"warm-up run), commit outside the timed loop, load average {load}")
        print(f"floor (bare INSERTs of the application and its workflow instance, no guard): {ms_floor:.3f} ms/op")
        print(f"sign-up with every guard (applications.apply): {ms:.3f} ms/op ({ms / ms_floor:.2f}× the floor)")


if __name__ == "__main__":
    main()
