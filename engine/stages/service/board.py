"""The roster board and the live check-in board as data: shifts in a window with who is rostered,
their check-in state, the gaps, and the timing warnings (overlap, rest) — in three queries however
many shifts and assignments there are. The pages draw it; the rules come from :mod:`roster`."""

from __future__ import annotations

import datetime as dt
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
    ids = [s.id for s in shifts]
    posts = dict(session.execute(select(Post.id, Post.name).where(Post.id.in_({s.post_id for s in shifts}))).all())
    seats: dict[int, list[Seat]] = {i: [] for i in ids}
    q = (select(Assignment.id, Assignment.shift_id, Assignment.volunteer_id, Assignment.status, Volunteer.name,
                Checkin.checked_in_at, Checkin.checked_out_at)
         .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
         .outerjoin(Checkin, Checkin.assignment_id == Assignment.id)
         .where(Assignment.shift_id.in_(ids)).order_by(Assignment.shift_id, Volunteer.name))
    by_volunteer: dict[int, list[Seat]] = {}
    seat_shift: dict[int, Shift] = {}
    shift_by_id = {s.id: s for s in shifts}
    for aid, sid, vid, status, name, cin, cout in session.execute(q):
        seat = Seat(aid, vid, name, status, cin, cout)
        seats[sid].append(seat)
        seat_shift[aid] = shift_by_id[sid]
        if status == ACTIVE:
            by_volunteer.setdefault(vid, []).append(seat)
    _warn(session, programme, by_volunteer, seat_shift)
    return [BoardShift(s, posts.get(s.post_id, ""), seats[s.id]) for s in shifts]


def _warn(session: Session, programme: LoadedProgramme, by_volunteer: dict[int, list[Seat]],
          seat_shift: dict[int, Shift]) -> None:
    """Each active seat against the volunteer's other active shifts near it. The shifts on the board
    are known already; one query fetches the volunteers' shifts just outside it (within the margin)."""
    if not by_volunteer:
        return
    margin = dt.timedelta(minutes=programme.config.service.min_rest_minutes) + dt.timedelta(days=1)
    spans = {sh.id: (sh.id, sh.starts_at, sh.ends_at) for sh in {id(x): x for x in seat_shift.values()}.values()}
    window = {aid: spans[sh.id] for aid, sh in seat_shift.items()}
    first = min(w[1] for w in spans.values())
    last = max(w[1] for w in spans.values())
    others: dict[int, list[tuple[int, dt.datetime, dt.datetime]]] = {
        vid: [window[s.assignment_id] for s in seats] for vid, seats in by_volunteer.items()}
    q = (select(Assignment.volunteer_id, Shift.id, Shift.starts_at, Shift.ends_at)
         .join(Shift, Shift.id == Assignment.shift_id)
         .where(Assignment.programme_id == programme.id, Assignment.status == ACTIVE,
                Assignment.volunteer_id.in_(select(Assignment.volunteer_id).where(  # those on the board
                    Assignment.shift_id.in_(list(spans)), Assignment.status == ACTIVE)),
                Shift.starts_at < last + margin,
                Shift.ends_at > first - margin, Shift.id.not_in(list(spans))))
    for vid, sid, s0, s1 in session.execute(q):
        if vid in others:
            others[vid].append((sid, s0, s1))
    rest = dt.timedelta(minutes=programme.config.service.min_rest_minutes)
    for vid, seats in by_volunteer.items():
        mine = others[vid]
        if len(mine) < 2:
            continue
        for seat in seats:
            own, start, end = window[seat.assignment_id]
            for sid, s0, s1 in mine:
                # only shifts closer than the rest rule can clash (timing_conflict says whether and why)
                if sid == own or s0 >= end + rest or s1 <= start - rest:
                    continue
                problem = timing_conflict(programme, start, end, sid, s0, s1)
                if problem:
                    seat.warnings.append(problem)


def shift_board(session: Session, programme: LoadedProgramme, shift_id: int) -> BoardShift:
    """One shift's seats and warnings (404 if the programme has no such shift)."""
    row = design.shift_row(session, programme, shift_id)
    local_day = row.shift.starts_at.astimezone(programme.config.tz).date()
    for found in board(session, programme, date_from=local_day, date_to=local_day, limit=5000):
        if found.shift.id == shift_id:
            return found
    return BoardShift(row.shift, "", [])
