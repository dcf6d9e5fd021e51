"""The roster board as the coordinator reads it, computed by the database rather than row by row in
Python: per shift the rostered count and the names (one aggregate row per shift and status), the
timing warnings (only the seats that clash come back), and the seat-by-seat list only for a shift
with something to flag (a no-show, a cancellation or a warning).

With 50 shifts and 2,000 assignments this returns about a hundred rows instead of 2,000 seats
(bench/pages.py); :mod:`board` keeps the seat-by-seat view for the live board and one shift's page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.programme import LoadedProgramme
from engine.stages.design import service as design
from engine.stages.design.models import Post, Shift
from engine.stages.recruitment.models import Volunteer
from engine.stages.service.board import Seat, clashes, seats_of
from engine.stages.service.models import Assignment
from engine.stages.service.roster import ACTIVE

SEPARATOR = "、"


@dataclass
class SummaryShift:
    shift: Shift
    post: str
    active: int = 0
    names: str = ""  # the rostered volunteers, by name (a plain shift is drawn as this one line)
    total: int = 0  # seats in any status
    seats: list[Seat] = field(default_factory=list)  # filled only for a shift that is not plain

    @property
    def gap(self) -> int:
        return max(self.shift.capacity - self.active, 0)

    @property
    def plain(self) -> bool:
        return not self.seats

    @property
    def flagged(self) -> list[Seat]:
        return [s for s in self.seats if s.warnings]


def summary(session: Session, programme: LoadedProgramme, *, date_from: dt.date, date_to: dt.date,
            limit: int = 500) -> list[SummaryShift]:
    """Shifts starting on local days ``date_from``…``date_to`` in five statements whatever their size."""
    shifts = [r.shift for r in design.list_shifts(session, programme, date_from=date_from, date_to=date_to,
                                                  limit=limit)]
    if not shifts:
        return []
    conn = session.connection()  # plain rows: no ORM bookkeeping per row
    posts = dict(conn.execute(select(Post.id, Post.name).where(Post.id.in_({s.post_id for s in shifts}))).all())
    out = {s.id: SummaryShift(s, posts.get(s.post_id, "")) for s in shifts}
    ordered = (select(Assignment.shift_id, Assignment.status, Volunteer.name)
               .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
               .where(Assignment.shift_id.in_(list(out))).order_by(Assignment.shift_id, Volunteer.name).subquery())
    names_of: Any = func.aggregate_strings(ordered.c.name, SEPARATOR)
    if conn.dialect.name != "sqlite":  # SQLite before 3.44 has no ORDER BY here; it keeps the subquery's order
        names_of = names_of.aggregate_order_by(ordered.c.name)
    irregular: set[int] = set()
    for sid, status, n, names in conn.execute(
            select(ordered.c.shift_id, ordered.c.status, func.count(), names_of)
            .group_by(ordered.c.shift_id, ordered.c.status)).all():
        row = out[sid]
        row.total += n
        if status == ACTIVE:
            row.active, row.names = n, names or ""
        else:
            irregular.add(sid)
    warnings = clashes(session, programme, shifts)
    detailed = irregular | {sid for sid, _ in warnings.values()}
    if detailed:
        for sid, seats in seats_of(session, sorted(detailed)).items():
            for seat in seats:
                seat.warnings = warnings.get(seat.assignment_id, (sid, []))[1]
            out[sid].seats = seats
    return list(out.values())
