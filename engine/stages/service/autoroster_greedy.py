"""The greedy roster: each place in time order to the qualified free person with the fewest minutes,
every rule of the :class:`~engine.stages.service.autoroster_types.Problem` kept. It is CP-SAT's hint
and floor (a search that finds nothing in time answers with it) and the benchmark's baseline."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from engine.stages.service.autoroster_types import Problem, Slot, _day_minutes, _starts_by_day, clash


def greedy(p: Problem, seed: set[tuple[int, int]] | frozenset[tuple[int, int]] = frozenset()) -> set[tuple[int, int]]:
    """Baseline: slots in time order, each filled by the eligible people with the fewest minutes so far
    who break no rule (the same rules as :func:`solve`). With ``seed`` (a roster being redone), those
    assignments stay and only the places left open are filled."""
    by_person: dict[int, list[Slot]] = defaultdict(list)
    taken: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {k: list(v) for k, v in p.locked.items()}
    load: dict[int, int] = defaultdict(int)
    who: dict[int, list[int]] = defaultdict(list)
    for person, sids in p.eligible.items():
        for sid in sids:
            who[sid].append(person)
    pairs: set[tuple[int, int]] = set()
    by_id = {s.id: s for s in p.slots}
    seated: dict[int, int] = defaultdict(int)
    for person, sid in seed:
        s = by_id[sid]
        taken.setdefault(person, []).append((s.start, s.end))
        load[person] += int((s.end - s.start).total_seconds()) // 60
        pairs.add((person, sid))
        seated[sid] += 1
    for s in sorted(p.slots, key=lambda s: s.start):
        need = s.need - seated[s.id]
        for person in sorted(who.get(s.id, ()), key=lambda q: load[q]):
            if need <= 0:
                break
            spans = taken.setdefault(person, [])
            if any(clash(s.start, s.end, a, b, p.rest_minutes) for a, b in spans):
                continue
            if not _fits(p, spans, (s.start, s.end)):
                continue
            spans.append((s.start, s.end))
            by_person[person].append(s)
            load[person] += int((s.end - s.start).total_seconds()) // 60
            pairs.add((person, s.id))
            need -= 1
    return pairs


def _fits(p: Problem, spans: list[tuple[dt.datetime, dt.datetime]], new: tuple[dt.datetime, dt.datetime]) -> bool:
    if p.max_shifts_per_day is not None and _starts_by_day([*spans, new], p.tz)[new[0].astimezone(p.tz).date()] > \
            p.max_shifts_per_day:
        return False
    days: dict[dt.date, int] = defaultdict(int)
    for a, b in [*spans, new]:
        for d, mins in _day_minutes(a, b, p.tz).items():
            days[d] += mins
    mine = _day_minutes(*new, p.tz)
    if p.max_day_minutes is not None and any(days[d] > p.max_day_minutes for d in mine):
        return False
    if p.max_week_minutes is not None:
        for wk in {d.isocalendar()[:2] for d in mine}:
            if sum(v for d, v in days.items() if d.isocalendar()[:2] == wk) > p.max_week_minutes:
                return False
    if p.max_consecutive_days is not None:
        for d in mine:
            lo = hi = d
            while days.get(lo - dt.timedelta(days=1)):
                lo -= dt.timedelta(days=1)
            while days.get(hi + dt.timedelta(days=1)):
                hi += dt.timedelta(days=1)
            if (hi - lo).days + 1 > p.max_consecutive_days:
                return False
    return True
