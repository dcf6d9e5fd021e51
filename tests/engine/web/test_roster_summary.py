"""The roster page's summary (names and counts aggregated by the database, clashes found per pair of
shifts) says what the seat-by-seat board says: same names, counts, gaps and warnings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from web_load import PID, populate

from engine.stages.design.models import Shift
from engine.stages.service import board
from engine.stages.service.models import Assignment
from engine.stages.service.summary import summary
from engine.testing import temp_engine


def test_summary_agrees_with_the_seat_by_seat_board(tmp_path) -> None:
    with temp_engine(tmp_path) as eng:
        populate(eng, shifts=10, assignments=80)
        with eng.session() as s:
            shifts = list(s.scalars(select(Shift).order_by(Shift.id)))
            first = shifts[0]
            # volunteer 1 is also put on a shift overlapping their first one (parallel post, same time)
            mine = s.scalars(select(Assignment).where(Assignment.volunteer_id == 1).order_by(Assignment.id)).first()
            own = s.get(Shift, mine.shift_id)
            parallel = next(x for x in shifts if x.starts_at == own.starts_at and x.id != own.id)
            s.add(Assignment(programme_id=PID, shift_id=parallel.id, volunteer_id=1, assigned_by="test"))
            # someone on the first shift did not come, someone else was taken off
            seats = s.scalars(select(Assignment).where(Assignment.shift_id == first.id).order_by(Assignment.id)).all()
            s.execute(update(Assignment).where(Assignment.id == seats[-1].id).values(status="no_show"))
            s.execute(update(Assignment).where(Assignment.id == seats[-2].id).values(status="cancelled"))
        with eng.session() as s:
            prog = eng.programme(PID, s)
            day = first.starts_at.astimezone(prog.config.tz).date()
            window = {"date_from": day - dt.timedelta(days=1), "date_to": day + dt.timedelta(days=10)}
            full = {b.shift.id: b for b in board.board(s, prog, **window)}
            short = {b.shift.id: b for b in summary(s, prog, **window)}
    assert full.keys() == short.keys() and len(short) == 10
    for sid, b in full.items():
        got = short[sid]
        assert (got.active, got.gap) == (b.active, b.gap), sid
        assert got.names.split("、") == [x.name for x in b.seats if x.status == "assigned"] or (not got.names and not b.active)
        assert {w for x in got.flagged for w in x.warnings} == {w for x in b.flagged for w in x.warnings}, sid
        assert got.total == len(b.seats)
    assert not short[first.id].plain  # a no-show and a cancellation are drawn seat by seat
    clashing = [x for x in short[own.id].flagged if x.volunteer_id == 1] + \
        [x for x in short[parallel.id].flagged if x.volunteer_id == 1]
    assert len(clashing) == 2 and all("overlaps shift" in x.warnings[0] for x in clashing)  # both sides of it
    assert sum(len(x.flagged) for x in short.values()) == 2  # and nobody else
