"""Benchmark of credit conversion (学分折算基准测试): a school's cohort through ``engine.rules.credits``.

Builds S students (default 1,000) × R records each (default 60: three school years of activities)
in memory and converts them with the example school's practice scheme (pack
``school-example-hz-2025``: caps per activity, project, term and category, service-learning
components, graduation per year), then measures in the same run:

* baseline — the same records grouped by (student, term, category) and summed in plain Python
  (the floor any conversion pays: one pass, one dict update per record);
* convert  — ``convert()`` per student (filters, components, caps, rounding, graduation gaps).

Prints figures and the ratio convert ÷ baseline; asserts nothing about time.

    .venv/bin/python bench/credits.py --students 1000 --records 60
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections import defaultdict

from engine.rules.credits import CreditInput, convert, term_of
from engine.rules.registry import load_packs
from engine.testing import make_host


def cohort(students: int, records: int, seed: int = 7) -> list[list[CreditInput]]:
    rnd = random.Random(seed)
    cats = ["tutoring", "museum_guide", "community", "environment", "fundraising"]
    out = []
    for s in range(students):
        recs = []
        for r in range(records):
            day = dt.date(2025, 9, 1) + dt.timedelta(days=rnd.randrange(0, 3 * 365))
            recs.append(CreditInput(s * records + r, day, rnd.choice(cats), rnd.randrange(30, 360),
                                    "coordinator", rnd.randrange(1, 12), None))
        out.append(recs)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--students", type=int, default=1000)
    ap.add_argument("--records", type=int, default=60)
    args = ap.parse_args()
    scheme = load_packs(make_host(builtin=("youth",)))["school-example-hz-2025"].policy().credits["practice"]
    students = cohort(args.students, args.records)
    comps = {p: {"preparation", "action", "reflection"} for p in range(1, 10)}  # projects 10, 11 lack them

    t0 = time.perf_counter()
    for recs in students:
        sums: dict[tuple[str, str], int] = defaultdict(int)
        for r in recs:
            sums[(term_of(scheme, r.day)[2], r.category)] += r.minutes
    base = time.perf_counter() - t0

    t0 = time.perf_counter()
    total = 0.0
    for recs in students:
        total += float(convert("practice", scheme, recs, components=comps, school_years=[2025, 2026, 2027]).total)
    conv = time.perf_counter() - t0

    n = args.students * args.records
    print(f"records: {n:,} ({args.students:,} students × {args.records})")
    print(f"baseline (group and sum):  {base:8.3f} s  {base / n * 1e6:6.2f} µs/record")
    print(f"convert (scheme, caps):    {conv:8.3f} s  {conv / n * 1e6:6.2f} µs/record  "
          f"{conv / args.students * 1e3:6.2f} ms/student")
    print(f"ratio convert ÷ baseline:  {conv / base:8.2f}×   (mean credits {total / args.students:.2f})")


if __name__ == "__main__":
    main()
