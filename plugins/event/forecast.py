"""Expected headcount from no-show history (可靠性预测): coordinators over-book where people tend not
to come.

A volunteer's show rate is a Beta–Binomial estimate: ``(shows + a) / (past shifts + a + b)``, with
the prior ``a / (a + b)`` set to the show rate of the whole programme so far (strength ``a + b`` =
``prior_weight`` shifts; ``0.9`` and 10 before any history). Someone with no history counts at the
programme's rate; a volunteer with 1 no-show in 10 shifts at ``(9 + 9) / (10 + 10) = 0.9``. A past
shift is one that has started: a check-in is a show, status ``no_show`` a no-show.

Expected headcount of a shift = Σ show rates of the people rostered on it; the over-booking
suggestion is the number of extra people whose expected arrivals bring the shift up to capacity.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from engine.sdk.tables import Assignment, Checkin, Shift

PRIOR_WEIGHT = 10
DEFAULT_RATE = 0.9


def history(session: Any, programme_id: str, now: dt.datetime) -> dict[int, tuple[int, int]]:
    """volunteer → (shows, past shifts) over shifts that have started."""
    rows = session.execute(select(Assignment.volunteer_id, Assignment.status, Checkin.id).join(
        Shift, Shift.id == Assignment.shift_id).outerjoin(Checkin, Checkin.assignment_id == Assignment.id).where(
        Assignment.programme_id == programme_id, Shift.starts_at <= now,
        Assignment.status.in_(("assigned", "no_show")))).all()
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for vid, status, checkin in rows:
        if status == "no_show" or checkin is not None:
            out[vid][1] += 1
            out[vid][0] += 1 if checkin is not None else 0
    return {v: (s, n) for v, (s, n) in out.items()}


def rates(hist: dict[int, tuple[int, int]]) -> tuple[float, dict[int, float]]:
    shows = sum(s for s, _ in hist.values())
    total = sum(n for _, n in hist.values())
    base = shows / total if total else DEFAULT_RATE
    a, b = base * PRIOR_WEIGHT, (1 - base) * PRIOR_WEIGHT
    return base, {v: (s + a) / (n + a + b) for v, (s, n) in hist.items()}


def expected(rostered: list[int], capacity: int, base: float, per: dict[int, float]) -> dict[str, Any]:
    exp = sum(per.get(v, base) for v in rostered)
    missing = capacity - exp
    extra = max(0, math.ceil(missing / base - 1e-9)) if base > 0 and missing > 0 else 0
    return {"expected": round(exp, 2), "overbook": extra}
