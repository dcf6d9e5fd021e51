"""The auto-roster's optimisation core (OR-Tools CP-SAT), on plain data — no database here.

Objective, lexicographic (WAVE2): (1) coverage — places filled; (2) keep — the previous roster's
unlocked assignments kept (a re-roster after drop-outs touches as few people as possible); (3)
preferences honoured (each wish weighted, ``preference_weight``, default 1); (4) fairness — the least-rostered volunteer's minutes as high as possible,
then the most-rostered's as low as possible. Each level is solved in turn and its value fixed for the
next (CP-SAT hints carry the previous solution forward). Locked assignments (a coordinator's) are
hard constraints, never moved.

Hard constraints: a slot's free capacity; no overlap and at least ``rest_minutes`` between two shifts
of one person (the larger of ``service.min_rest_minutes`` and ``shifts.min_rest_hours``); minutes per
day and per ISO week; consecutive days on duty; the eligible pairs (qualified, trained, agreed, free,
inside the duty window) are computed by the caller. :func:`greedy` is the baseline the benchmark
prints beside it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict

from ortools.sat.python import cp_model

from engine.stages.service.autoroster_greedy import greedy
from engine.stages.service.autoroster_types import Problem, Slot, Solution, _day_minutes, _starts_by_day, clash

__all__ = ["Problem", "Slot", "Solution", "clash", "greedy", "solve"]


def _build(p: Problem) -> tuple[cp_model.CpModel, dict[tuple[int, int], cp_model.IntVar], dict[int, object]]:
    m = cp_model.CpModel()
    by_id = {s.id: s for s in p.slots}
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for person, sids in p.eligible.items():
        spans = p.locked.get(person, [])
        for sid in sids:
            s = by_id.get(sid)
            if s is None or s.need <= 0 or any(clash(s.start, s.end, a, b, p.rest_minutes) for a, b in spans):
                continue
            x[person, sid] = m.new_bool_var(f"x{person}_{sid}")
    per_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    per_person: dict[int, list[int]] = defaultdict(list)
    for (person, sid), var in x.items():
        per_slot[sid].append(var)
        per_person[person].append(sid)
    for sid, vars_ in per_slot.items():
        m.add(sum(vars_) <= by_id[sid].need)
    days_of = {s.id: _day_minutes(s.start, s.end, p.tz) for s in p.slots}
    minutes: dict[int, object] = {}
    for person, mine in per_person.items():
        ordered = sorted(mine, key=lambda i: by_id[i].start)
        # Two shifts clash exactly when [start, end + rest) overlap: an interval graph, whose maximal
        # cliques are the shifts covering some shift's start. One at-most-one per clique replaces the
        # pairwise constraints and gives the LP relaxation (CP-SAT's bound) the right shape.
        rest = dt.timedelta(minutes=p.rest_minutes)
        last: set[int] = set()
        for i, a in enumerate(ordered):
            t = by_id[a].start
            clique = {b for b in ordered[:i + 1] if by_id[b].end + rest > t}
            if len(clique) >= 2 and not clique <= last:
                m.add_at_most_one(x[person, b] for b in clique)
            last = clique
        fixed_days: dict[dt.date, int] = defaultdict(int)
        for held_from, held_to in p.locked.get(person, []):
            for d, mins in _day_minutes(held_from, held_to, p.tz).items():
                fixed_days[d] += mins
        day_terms: dict[dt.date, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        for sid in ordered:
            for d, mins in days_of[sid].items():
                day_terms[d].append((mins, x[person, sid]))
        if p.max_day_minutes is not None:
            for d, terms in day_terms.items():
                if sum(mm for mm, _ in terms) + fixed_days[d] > p.max_day_minutes:
                    m.add(sum(mm * v for mm, v in terms) <= max(0, p.max_day_minutes - fixed_days[d]))
        if p.max_week_minutes is not None:
            weeks: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
            fixed_weeks: dict[tuple[int, int], int] = defaultdict(int)
            for d, terms in day_terms.items():
                weeks[d.isocalendar()[:2]].extend(terms)
            for d, mins in fixed_days.items():
                fixed_weeks[d.isocalendar()[:2]] += mins
            for wk, terms in weeks.items():
                if sum(mm for mm, _ in terms) + fixed_weeks[wk] > p.max_week_minutes:
                    m.add(sum(mm * v for mm, v in terms) <= max(0, p.max_week_minutes - fixed_weeks[wk]))
        if p.max_shifts_per_day is not None:
            starts: dict[dt.date, list[cp_model.IntVar]] = defaultdict(list)
            for sid in ordered:
                starts[by_id[sid].start.astimezone(p.tz).date()].append(x[person, sid])
            fixed_starts = _starts_by_day(p.locked.get(person, []), p.tz)
            for d, vars_ in starts.items():
                if len(vars_) + fixed_starts.get(d, 0) > p.max_shifts_per_day:
                    m.add(sum(vars_) <= max(0, p.max_shifts_per_day - fixed_starts.get(d, 0)))
        all_days = set(day_terms) | set(fixed_days)
        if p.max_consecutive_days is not None and len(all_days) > p.max_consecutive_days:
            k = p.max_consecutive_days
            on: dict[dt.date, object] = {}
            for d in set(day_terms) | set(fixed_days):
                if fixed_days.get(d):
                    on[d] = 1
                else:
                    y = m.new_bool_var(f"y{person}_{d}")
                    for _, v in day_terms[d]:
                        m.add_implication(v, y)
                    on[d] = y
            for d in on:
                run = [on.get(d + dt.timedelta(days=i)) for i in range(k + 1)]
                if all(r is not None for r in run):
                    m.add(sum(run) <= k)  # type: ignore[arg-type]
        minutes[person] = sum(int((by_id[s].end - by_id[s].start).total_seconds()) // 60 * x[person, s] for s in ordered)
    return m, x, minutes


def solve(p: Problem, *, time_limit: float = 10.0, workers: int = 2) -> Solution:
    """The lexicographic optimum (or the best found within ``time_limit`` seconds in all)."""
    t0 = time.perf_counter()
    m, x, minutes = _build(p)
    needed = sum(s.need for s in p.slots if s.need > 0)
    cover = sum(x.values())
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    if workers < 4:
        # With two workers CP-SAT's default portfolio runs no LP-bound worker, and the proven bound
        # stays at "every place" (measured: FEASIBLE 391 / bound 426 after 10 s on a day of
        # bench/auto_roster.py). A core-based worker beside the max-LP one proves the same day optimal
        # in 0.5 s; the greedy hint supplies the first solution.
        solver.parameters.subsolvers.extend(["core", "max_lp"])
    levels: dict[str, float] = {}
    # coverage gets what the later levels that apply do not need (10 % each)
    later = ["fairness", "spread"] + (["preferences"] if p.preferred else [])
    shares = {name: 0.1 for name in later}
    shares["coverage"] = 1.0 - sum(shares.values())
    bound = 0.0
    status_name = "EMPTY"
    if not x:
        return Solution(set(), 0, needed, 0.0, "EMPTY", time.perf_counter() - t0)
    # start from the roster being redone (most of it stays) or else from the greedy roster, so the
    # first solution CP-SAT knows is never worse than the baseline
    # feasible by construction, the floor of every level: the greedy roster, or when re-rostering the
    # previous roster with its open places filled greedily
    prev = {k for k in p.previous if k in x}
    base = {k for k in greedy(p, prev) if k in x}
    start = base
    for k, v in x.items():
        m.add_hint(v, k in start)

    best: set[tuple[int, int]] = set()
    proven_infeasible = False

    def run(name: str, expr: object, maximise: bool = True) -> float | None:
        nonlocal status_name, best, proven_infeasible
        (m.maximize if maximise else m.minimize)(expr)  # type: ignore[arg-type]
        solver.parameters.max_time_in_seconds = max(0.2, time_limit * shares[name] - 0.05)
        status = solver.solve(m)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            proven_infeasible = status == cp_model.INFEASIBLE
            return None
        status_name = solver.status_name(status) if name == "coverage" else status_name
        best = {k for k, v in x.items() if solver.boolean_value(v)}  # a later level may find nothing in time
        value = solver.objective_value
        floor = len(base) * (len(p.previous) + 1) + len(prev & base) if p.previous else len(base)
        if name == "coverage" and value < floor:
            # CP-SAT ran out of time below the greedy roster it was hinted with: keep the greedy one
            best, value, status_name = set(base), float(floor), "GREEDY"
        m.clear_hints()  # type: ignore[no-untyped-call]
        for k, v in x.items():
            m.add_hint(v, k in best)
        levels[name] = value
        m.add(expr >= round(value)) if maximise else m.add(expr <= round(value))  # type: ignore[operator]
        return solver.best_objective_bound

    if p.previous:
        # coverage and keep in one solve, still lexicographic: one more place filled outweighs keeping
        # every previous assignment (weight len(previous) + 1), so a re-roster starts from the old one
        weight = len(p.previous) + 1
        keep = sum(v for k, v in x.items() if k in p.previous)
        got = run("coverage", weight * cover + keep)
        if got is None:
            return _no_search_result(base, needed, proven_infeasible, t0)
        bound = float(int(got) // weight)
        levels["keep"] = levels["coverage"] % weight
        levels["coverage"] = levels["coverage"] // weight
    elif len(base) >= needed:
        # the greedy roster fills every place: coverage is proven without a search (CP-SAT was seen to
        # spend its whole budget failing to prove this trivial bound on 21,681 variables)
        best, bound, status_name = set(base), float(needed), "OPTIMAL"
        levels["coverage"] = float(needed)
        m.add(cover >= needed)
    else:
        got = run("coverage", cover)
        if got is None:
            return _no_search_result(base, needed, proven_infeasible, t0)
        bound = got
    if p.preferred:
        run("preferences", sum(p.preference_weight.get(k, 1) * v for k, v in x.items() if k in p.preferred))
    if minutes:
        low = m.new_int_var(0, 24 * 60 * 400, "low")
        for expr in minutes.values():
            m.add(low <= expr)  # type: ignore[operator]
        run("fairness", low)
        high = m.new_int_var(0, 24 * 60 * 400, "high")
        for expr in minutes.values():
            m.add(high >= expr)  # type: ignore[operator]
        run("spread", high, maximise=False)  # then no one carries more than needed
    pairs = best
    bound = min(bound, float(needed))  # never more places than there are
    return Solution(pairs, len(pairs), needed, bound, status_name, time.perf_counter() - t0, levels)


def _no_search_result(base: set[tuple[int, int]], needed: int, infeasible: bool, t0: float) -> Solution:
    """CP-SAT found no solution: proven infeasible (e.g. locked assignments that break a rule) gives the
    empty roster marked INFEASIBLE; out of time gives the floor it was hinted with — the greedy roster,
    or the roster being redone with its open places filled — marked GREEDY, never an empty roster that
    would cancel everyone's places (seen on a loaded machine with a 1–2 s re-roster budget)."""
    if infeasible:
        return Solution(set(), 0, needed, 0.0, "INFEASIBLE", time.perf_counter() - t0)
    return Solution(set(base), len(base), needed, float(needed), "GREEDY", time.perf_counter() - t0,
                    {"coverage": float(len(base))})
