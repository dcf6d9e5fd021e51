"""现场看板 A live board per post for one day: per shift, places, rostered, checked in, missing
(rostered, shift started, no check-in), no-shows, and the forecast of :mod:`.forecast`; per post the
day's reallocations in and out (:mod:`.realloc`) and who is there now: checked in on a running shift
of the post and not moved away, plus the checked-in people moved to it for a window that is running."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from engine.sdk.tables import Assignment, Checkin, Post, Shift

from . import forecast, realloc


def board(ctx: Any, day: dt.date) -> list[dict[str, Any]]:
    s, tz = ctx.session, ctx.zone
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    end = start + dt.timedelta(days=1)
    shifts = list(s.scalars(select(Shift).where(Shift.programme_id == ctx.programme.id, Shift.cancelled_at.is_(None),
                                                Shift.starts_at < end, Shift.ends_at > start)
                            .order_by(Shift.post_id, Shift.starts_at)))
    ids = [sh.id for sh in shifts]
    rows = s.execute(select(Assignment.shift_id, Assignment.volunteer_id, Assignment.status, Checkin.id,
                            Assignment.id).outerjoin(Checkin, Checkin.assignment_id == Assignment.id).where(
        Assignment.shift_id.in_(ids))).all() if ids else []
    seats: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)
    for sid, vid, status, checkin, _aid in rows:
        seats[sid].append((vid, status, checkin is not None))
    moves = realloc.on_day(ctx, day)
    moving = {m.assignment_id for m in moves if m.starts_at <= ctx.now < m.ends_at}
    checked_ids = set(s.scalars(select(Checkin.assignment_id).where(Checkin.assignment_id.in_(
        {m.assignment_id for m in moves})))) if moves else set()
    running = {sh.id for sh in shifts if sh.starts_at <= ctx.now < sh.ends_at}
    here: dict[int, int] = defaultdict(int)
    post_of = {sh.id: sh.post_id for sh in shifts}
    for sid, _vid, status, checkin, aid in rows:
        if sid in running and status == "assigned" and checkin is not None and aid not in moving:
            here[post_of[sid]] += 1
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
    for m in moves:
        now = m.starts_at <= ctx.now < m.ends_at
        for pid, way in ((m.from_post_id, "moved_out"), (m.to_post_id, "moved_in")):
            p = posts.setdefault(pid, {"post_id": pid, "post": names.get(pid), "shifts": []})
            p.setdefault("moved_in", []), p.setdefault("moved_out", [])
            p[way].append({**realloc.view(ctx, m), "now": now})
        if now and m.assignment_id in checked_ids:
            here[m.to_post_id] += 1
    for p in posts.values():
        p.setdefault("moved_in", []), p.setdefault("moved_out", [])
        p["moved_in_now"] = sum(1 for x in p["moved_in"] if x["now"])
        p["moved_out_now"] = sum(1 for x in p["moved_out"] if x["now"])
        p["on_post_now"] = here.get(p["post_id"], 0)
    return list(posts.values())
