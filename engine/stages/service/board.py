"""The roster board and the live check-in board as data: shifts in a window with who is rostered,
their check-in state, the gaps, and the timing warnings (overlap, rest) — in four queries however
many shifts and assignments there are. The pages draw it; the rules come from :mod:`roster`."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.programme import LoadedProgramme
from engine.stages.design import service as design
from engine.stages.design.models import Post, Shift
from engine.stages.recruitment.models import Volunteer
from engine.stages.service.models import Assignment, Checkin
from engine.stages.service.roster import ACTIVE, timing_conflict


@dataclass
class Seat:
    assignment_id: int
    volunteer_id: int
    name: str
    status: str
    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None
    warnings: list[str] = field(default_factory=list)


@dataclass
class BoardShift:
    shift: Shift
    post: str
    seats: list[Seat]

    @property
    def active(self) -> int:
        return sum(1 for s in self.seats if s.status == ACTIVE)

    @property
    def gap(self) -> int:
        return max(self.shift.capacity - self.active, 0)

    @property
    def plain(self) -> bool:
        """Every seat simply rostered, nothing to flag (pages draw such a shift as one line of names)."""
        return all(s.status == ACTIVE and not s.warnings for s in self.seats)

    @property
    def flagged(self) -> list[Seat]:
        return [s for s in self.seats if s.warnings]

    @property
    def names(self) -> str:
        return "、".join(s.name for s in self.seats)


def board(session: Session, programme: LoadedProgramme, *, date_from: dt.date | None = None,
          date_to: dt.date | None = None, starts_before: dt.datetime | None = None,
          ends_after: dt.datetime | None = None, limit: int = 500) -> list[BoardShift]:
    """Shifts starting on local days ``date_from``…``date_to`` (and/or running between ``ends_after`` and
    ``starts_before``), each with its seats and warnings."""
    rows = design.list_shifts(session, programme, date_from=date_from, date_to=date_to, limit=limit)
    shifts = [r.shift for r in rows if (starts_before is None or r.shift.starts_at <= starts_before)
              and (ends_after is None or r.shift.ends_at >= ends_after)]
    if not shifts:
        return []
    posts = dict(session.connection().execute(
        select(Post.id, Post.name).where(Post.id.in_({s.post_id for s in shifts}))).all())
    seats = seats_of(session, [s.id for s in shifts])
    warnings = clashes(session, programme, shifts)
    for shift_seats in seats.values():
        for seat in shift_seats:
            if seat.assignment_id in warnings:
                seat.warnings = warnings[seat.assignment_id][1]
    return [BoardShift(s, posts.get(s.post_id, ""), seats[s.id]) for s in shifts]


def seats_of(session: Session, shift_ids: list[int]) -> dict[int, list[Seat]]:
    """Every seat on the shifts (any status), by shift, by name, with the check-in times."""
    seats: dict[int, list[Seat]] = {i: [] for i in shift_ids}
    q = (select(Assignment.id, Assignment.shift_id, Assignment.volunteer_id, Assignment.status, Volunteer.name,
                Checkin.checked_in_at, Checkin.checked_out_at)
         .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
         .outerjoin(Checkin, Checkin.assignment_id == Assignment.id)
         .where(Assignment.shift_id.in_(shift_ids)).order_by(Assignment.shift_id, Volunteer.name))
    for aid, sid, vid, status, name, cin, cout in session.connection().execute(q).all():  # rows, not ORM
        seats[sid].append(Seat(aid, vid, name, status, cin, cout))
    return seats


def clashes(session: Session, programme: LoadedProgramme, shifts: list[Shift]) -> dict[int, tuple[int, list[str]]]:
    """Active seats on ``shifts`` that clash (overlap, or less rest than ``service.min_rest_minutes``)
    with another active shift of the same volunteer: assignment id → (shift id, reasons).

    Clashing is a matter of the shifts' times, so the pairs of shifts that clash are found first
    (the board's shifts and those just outside it, a few dozen rows); only if there are any are the
    seats on them read — ids only — and each pair's common volunteers are one set intersection.
    """
    if not shifts:
        return {}
    rest = dt.timedelta(minutes=programme.config.service.min_rest_minutes)
    conn = session.connection()
    first, last = min(s.starts_at for s in shifts), max(s.ends_at for s in shifts)
    near = {sid: (s0, s1) for sid, s0, s1 in conn.execute(
        select(Shift.id, Shift.starts_at, Shift.ends_at).where(
            Shift.programme_id == programme.id, Shift.starts_at < last + rest, Shift.ends_at > first - rest)).all()}
    order = sorted(near, key=lambda i: near[i][0])
    starts = [near[i][0] for i in order]
    longest = max((s1 - s0 for s0, s1 in near.values()), default=dt.timedelta(0))
    pairs = []
    for s in shifts:  # candidates start within [start - rest - longest, end + rest): a bisect, not all pairs
        lo, hi = s.starts_at - rest, s.ends_at + rest
        for oid in order[bisect_left(starts, lo - longest):bisect_left(starts, hi)]:
            if oid != s.id and near[oid][1] > lo:
                pairs.append((s.id, oid))
    if not pairs:
        return {}
    involved = {i for pair in pairs for i in pair}
    on: dict[int, dict[int, int]] = {}  # shift → volunteer → assignment
    for aid, sid, vid in conn.execute(select(Assignment.id, Assignment.shift_id, Assignment.volunteer_id).where(
            Assignment.shift_id.in_(involved), Assignment.status == ACTIVE)).all():
        on.setdefault(sid, {})[vid] = aid
    by_id = {s.id: s for s in shifts}
    found: dict[int, tuple[int, list[str]]] = {}
    for sid, oid in sorted(pairs, key=lambda p: (p[0], near[p[1]][0])):
        mine, theirs = on.get(sid, {}), on.get(oid, {})
        common = mine.keys() & theirs.keys()
        if not common:
            continue
        own = by_id[sid]
        problem = timing_conflict(programme, own.starts_at, own.ends_at, oid, *near[oid])
        if problem:
            for vid in common:
                found.setdefault(mine[vid], (sid, []))[1].append(problem)
    return found


def shift_board(session: Session, programme: LoadedProgramme, shift_id: int) -> BoardShift:
    """One shift's seats and warnings (404 if the programme has no such shift)."""
    row = design.shift_row(session, programme, shift_id)
    local_day = row.shift.starts_at.astimezone(programme.config.tz).date()
    for found in board(session, programme, date_from=local_day, date_to=local_day, limit=5000):
        if found.shift.id == shift_id:
            return found
    return BoardShift(row.shift, "", [])
