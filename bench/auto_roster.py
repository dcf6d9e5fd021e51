"""Auto-roster benchmark: CP-SAT (engine.stages.service.autoroster_model) against a greedy baseline
in the same run, on a synthetic event shaped like seed 004 (volunteers, days, posts, 3 shifts a day).

Prints, per day (the model is decomposed by day; each day's roster is fixed before the next, so the
shift rules across days hold), the places needed, filled by greedy and by CP-SAT, CP-SAT's proven
bound and gap, and seconds; then a re-roster after drop-outs: how many assignments changed.

    .venv/bin/python bench/auto_roster.py                      # 1,000 volunteers, 3 days, 20 posts
    .venv/bin/python bench/auto_roster.py --people 6249 --days 7 --posts 60 --limit 30

No database, no commit: the figures are the solver's alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.stages.service.autoroster_greedy import greedy
from engine.stages.service.autoroster_model import Problem, Slot, solve

TZ = ZoneInfo("Asia/Shanghai")


def instance(people: int, days: int, posts: int, seed: int, places: tuple[int, int] = (3, 12)) -> tuple[list[Slot], dict[int, set[int]]]:
    rnd = random.Random(seed)
    slots: list[Slot] = []
    sid = 0
    day0 = dt.datetime(2010, 5, 1, tzinfo=TZ)
    post_slots: dict[int, list[int]] = {}
    for post in range(posts):
        for d in range(days):
            for start_h in (6, 12, 18):  # three 6-hour shifts a day
                sid += 1
                start = day0 + dt.timedelta(days=d, hours=start_h)
                slots.append(Slot(sid, start, start + dt.timedelta(hours=6), rnd.randint(*places)))
                post_slots.setdefault(post, []).append(sid)
    eligible: dict[int, set[int]] = {}
    for person in range(1, people + 1):
        quals = rnd.sample(range(posts), k=min(posts, rnd.randint(1, 3)))
        free_days = set(rnd.sample(range(days), k=rnd.randint(1, days)))
        eligible[person] = {s for q in quals for s in post_slots[q]
                            if (slots[s - 1].start - day0).days in free_days}
    return slots, eligible


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=1000)
    ap.add_argument("--days", type=int, default=3)
    ap.add_argument("--posts", type=int, default=20)
    ap.add_argument("--limit", type=float, default=10.0, help="CP-SAT seconds per day")
    ap.add_argument("--dropout", type=float, default=0.05)
    ap.add_argument("--reroster-limit", type=float, default=5.0, help="CP-SAT seconds for the re-roster")
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--places", type=int, nargs=2, default=(3, 12), metavar=("MIN", "MAX"),
                    help="places per shift (raise them to make volunteers scarce)")
    a = ap.parse_args()
    slots, eligible = instance(a.people, a.days, a.posts, a.seed, tuple(a.places))
    rules = dict(rest_minutes=11 * 60, max_day_minutes=8 * 60, max_week_minutes=48 * 60, max_consecutive_days=6)
    print(f"{a.people} volunteers, {a.days} days, {a.posts} posts, {len(slots)} shifts, "
          f"{sum(s.need for s in slots)} places; rules: rest 11 h, 8 h/day, 48 h/week, 6 days in a row")
    print(f"{'day':>4} {'needed':>7} {'greedy':>7} {'cp-sat':>7} {'bound':>7} {'gap':>6} {'greedy s':>9} {'cp-sat s':>9}")
    fixed_cp: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    fixed_gr: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    all_cp: set[tuple[int, int]] = set()
    tot = [0, 0, 0, 0.0]
    by_id = {s.id: s for s in slots}
    for d in range(a.days):
        day_slots = [s for s in slots if (s.start.date() - slots[0].start.date()).days == d]
        ids = {s.id for s in day_slots}
        elig = {p: sids & ids for p, sids in eligible.items() if sids & ids}
        pg = Problem(day_slots, elig, TZ, locked=fixed_gr, **rules)
        t = time.perf_counter()
        g = greedy(pg)
        tg = time.perf_counter() - t
        for person, sid in g:
            fixed_gr.setdefault(person, []).append((by_id[sid].start, by_id[sid].end))
        sol = solve(Problem(day_slots, elig, TZ, locked=fixed_cp, **rules), time_limit=a.limit)
        for person, sid in sol.pairs:
            fixed_cp.setdefault(person, []).append((by_id[sid].start, by_id[sid].end))
        all_cp |= sol.pairs
        need = sum(s.need for s in day_slots)
        tot[0] += need
        tot[1] += len(g)
        tot[2] += sol.filled
        tot[3] += sol.bound
        print(f"{d + 1:>4} {need:>7} {len(g):>7} {sol.filled:>7} {sol.bound:>7.0f} {sol.gap:>6.2%} {tg:>9.2f} "
              f"{sol.seconds:>9.2f}")
    print(f"all  {tot[0]:>7} {tot[1]:>7} {tot[2]:>7} {tot[3]:>7.0f}   coverage greedy {tot[1] / tot[0]:.2%}, "
          f"cp-sat {tot[2] / tot[0]:.2%}, gap to bound {(tot[3] - tot[2]) / max(tot[3], 1):.2%}")
    # Re-roster day 1 after drop-outs: the dropped people leave; everyone else's places are 'previous'.
    rnd = random.Random(a.seed + 1)
    day1 = [s for s in slots if (s.start.date() - slots[0].start.date()).days == 0]
    ids = {s.id for s in day1}
    before = {(p, s) for p, s in all_cp if s in ids}
    dropped = set(rnd.sample(sorted(before), k=max(1, int(len(before) * a.dropout))))
    gone = {p for p, _ in dropped}
    elig = {p: sids & ids for p, sids in eligible.items() if sids & ids and p not in gone}
    t = time.perf_counter()
    again = solve(Problem(day1, elig, TZ, previous=before - dropped, **rules), time_limit=a.reroster_limit)
    changed = len(again.pairs ^ (before - dropped))
    print(f"re-roster day 1 after {len(dropped)} drop-outs ({a.dropout:.0%}): {changed} assignments changed "
          f"({changed / len(dropped):.2f}× the dropped), filled {again.filled} of {again.needed}, "
          f"{time.perf_counter() - t:.2f} s, {again.status}")


if __name__ == "__main__":
    main()
