"""现场看板 A live board per post for one day: per shift, places, rostered, checked in, missing
(rostered, shift started, no check-in), no-shows, and the forecast of :mod:`.forecast`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from engine.sdk.tables import Assignment, Checkin, Post, Shift

from . import forecast


def board(ctx: Any, day: dt.date) -> list[dict[str, Any]]:
    s, tz = ctx.session, ctx.zone
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    end = start + dt.timedelta(days=1)
    shifts = list(s.scalars(select(Shift).where(Shift.programme_id == ctx.programme.id, Shift.cancelled_at.is_(None),
                                                Shift.starts_at < end, Shift.ends_at > start)
                            .order_by(Shift.post_id, Shift.starts_at)))
    ids = [sh.id for sh in shifts]
    rows = s.execute(select(Assignment.shift_id, Assignment.volunteer_id, Assignment.status, Checkin.id).outerjoin(
        Checkin, Checkin.assignment_id == Assignment.id).where(Assignment.shift_id.in_(ids))).all() if ids else []
    seats: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)
    for sid, vid, status, checkin in rows:
        seats[sid].append((vid, status, checkin is not None))
    base, per = forecast.rates(forecast.history(s, ctx.programme.id, ctx.now))
    names = {p.id: p.name for p in s.scalars(select(Post).where(Post.programme_id == ctx.programme.id))}
    posts: dict[int, dict[str, Any]] = {}
    for sh in shifts:
        seat = seats[sh.id]
        rostered = [v for v, st, _ in seat if st == "assigned"]
        checked = sum(1 for _, st, c in seat if st == "assigned" and c)
        started = sh.starts_at <= ctx.now
        entry = {"shift_id": sh.id, "starts_at": sh.starts_at.astimezone(tz).isoformat(),
                 "ends_at": sh.ends_at.astimezone(tz).isoformat(), "capacity": sh.capacity,
                 "rostered": len(rostered), "checked_in": checked,
                 "missing": len(rostered) - checked if started else 0,
                 "no_shows": sum(1 for _, st, _ in seat if st == "no_show"),
                 **forecast.expected(rostered, sh.capacity, base, per)}
        posts.setdefault(sh.post_id, {"post_id": sh.post_id, "post": names.get(sh.post_id), "shifts": []})
        posts[sh.post_id]["shifts"].append(entry)
    return list(posts.values())
