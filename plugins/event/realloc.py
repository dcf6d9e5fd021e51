"""弹性调配 Elastic reallocation between posts by crowd flow on the day (seed 000 篇3 现场运行与调度:
根据人流变化动态调整岗位): move N volunteers rostered on post A to post B for a window, with a reason.

Whom to move, when the caller names nobody: people on a shift of post A that overlaps the window,
not already moved in an overlapping window, for whom the engine finds nothing against the move
(:func:`engine.sdk.roster.redeploy_refusals` — qualified for B, shift rules, rest, hours); among them
those checked in first (they are at the gate now), then those with the fewest rostered minutes that
day (the move lengthens nobody's heavy day), then the lowest volunteer id (stable). Fewer than N
movable → 422 listing why each candidate was refused, nothing written. Named volunteers are checked
the same way; any refusal refuses the whole move. Each move is one :class:`.models_day.Reallocation`
row (the log); the live board counts moves in and out per post.

Ending a move early (:func:`end`, the crowd at B has gone): its ``ends_at`` becomes the moment it
ended (now, or the time given), ``planned_ends_at`` keeps the plan, with who ended it and why; the
volunteer counts at post A again from then. Ended before it began, the move is cancelled (a window of
no length that frees the volunteer for another move). A move that has already ended cannot be ended.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from engine.errors import Conflict, GuardsFailed, InvalidInput, NotFound
from engine.sdk.roster import redeploy_refusals
from engine.sdk.tables import Assignment, Checkin, Post, Shift

from .models_day import Reallocation


def _post(ctx: Any, post_id: int, field: str) -> Post:
    row = ctx.session.get(Post, post_id)
    if row is None or row.programme_id != ctx.programme.id:
        raise NotFound(f"没有岗位 {post_id} / programme {ctx.programme.id!r} has no post {post_id}", field=field)
    return row


def _pool(ctx: Any, from_post: int, start: dt.datetime, end: dt.datetime) -> list[tuple[int, int, int, bool]]:
    """(assignment, volunteer, shift, checked in) on post A's shifts overlapping the window."""
    s = ctx.session
    rows = s.execute(select(Assignment.id, Assignment.volunteer_id, Shift.id, Checkin.id).join(
        Shift, Shift.id == Assignment.shift_id).outerjoin(Checkin, Checkin.assignment_id == Assignment.id).where(
        Assignment.programme_id == ctx.programme.id, Assignment.status == "assigned", Shift.post_id == from_post,
        Shift.cancelled_at.is_(None), Shift.starts_at < end, Shift.ends_at > start)).all()
    busy = set(s.scalars(select(Reallocation.volunteer_id).where(
        Reallocation.programme_id == ctx.programme.id, Reallocation.starts_at < end, Reallocation.ends_at > start,
        Reallocation.ends_at > Reallocation.starts_at)))
    seen: dict[int, tuple[int, int, int, bool]] = {}
    for aid, vid, sid, cin in rows:
        if vid not in busy and (vid not in seen or (cin is not None and not seen[vid][3])):
            seen[vid] = (aid, vid, sid, cin is not None)
    return list(seen.values())


def day_minutes(ctx: Any, volunteer_ids: list[int], day: dt.date) -> dict[int, int]:
    d0 = dt.datetime.combine(day, dt.time(0), tzinfo=ctx.zone)
    d1 = d0 + dt.timedelta(days=1)
    out: dict[int, int] = defaultdict(int)
    for vid, a, b in ctx.session.execute(select(Assignment.volunteer_id, Shift.starts_at, Shift.ends_at).join(
            Shift, Shift.id == Assignment.shift_id).where(
            Assignment.programme_id == ctx.programme.id, Assignment.status == "assigned",
            Assignment.volunteer_id.in_(volunteer_ids), Shift.starts_at < d1, Shift.ends_at > d0)):
        out[vid] += int((min(b, d1) - max(a, d0)).total_seconds()) // 60
    return dict(out)


def move(ctx: Any, from_post: int, to_post: int, count: int, start: dt.datetime, end: dt.datetime, reason: str,
         volunteer_ids: list[int] | None = None) -> dict[str, Any]:
    a, b = _post(ctx, from_post, "from_post_id"), _post(ctx, to_post, "to_post_id")
    if a.id == b.id:
        raise InvalidInput("调出与调入岗位相同 / from_post_id and to_post_id are the same post", field="to_post_id")
    if end <= start:
        raise InvalidInput("结束须晚于开始 / ends_at must be after starts_at", field="ends_at")
    if volunteer_ids is not None and len(volunteer_ids) != count:
        raise InvalidInput(f"点名 {len(volunteer_ids)} 人，但 count 为 {count} / {len(volunteer_ids)} volunteer_ids "
                           f"for count {count}", field="volunteer_ids")
    pool = _pool(ctx, a.id, start, end)
    minutes = day_minutes(ctx, [p[1] for p in pool], start.astimezone(ctx.zone).date())
    if volunteer_ids is not None:
        by_vid = {p[1]: p for p in pool}
        missing = [v for v in volunteer_ids if v not in by_vid]
        if missing:
            raise InvalidInput(f"志愿者 {missing} 在该时段不在岗位「{a.name}」或已被调配 / volunteers {missing} are not "
                               f"rostered on post {a.name!r} in the window, or already moved", field="volunteer_ids")
        order = [by_vid[v] for v in volunteer_ids]
    else:
        order = sorted(pool, key=lambda p: (not p[3], minutes.get(p[1], 0), p[1]))
    chosen: list[tuple[int, int, int, bool]] = []
    refused: list[str] = []
    for p in order:
        if len(chosen) == count:
            break
        why = redeploy_refusals(ctx, p[1], p[2], b.id, start, end)
        if why:
            refused.append(f"志愿者 {p[1]} / volunteer {p[1]}: " + "; ".join(why))
        else:
            chosen.append(p)
    if len(chosen) < count or (volunteer_ids is not None and refused):
        head = (f"岗位「{a.name}」可调 {len(chosen)} 人，需 {count} 人 / {len(chosen)} of {count} volunteers on post "
                f"{a.name!r} may be moved to {b.name!r}")
        raise GuardsFailed("reallocate", [head, *refused] if refused else [head, "该时段岗位上没有可调的人 / nobody "
                                                                         "else is rostered on the post in the window"])
    rows = [Reallocation(programme_id=ctx.programme.id, volunteer_id=vid, assignment_id=aid, from_post_id=a.id,
                         to_post_id=b.id, starts_at=start, ends_at=end, reason=reason, moved_by=ctx.actor)
            for aid, vid, _sid, _cin in chosen]
    ctx.session.add_all(rows)
    ctx.session.flush()
    return {"moved": [view(ctx, r, minutes.get(r.volunteer_id, 0)) for r in rows], "refused": refused}


def end(ctx: Any, move_id: int, at: dt.datetime | None, reason: str) -> dict[str, Any]:
    """End move ``move_id`` at ``at`` (default now): before it began it is cancelled."""
    row = ctx.session.get(Reallocation, move_id)
    if row is None or row.programme_id != ctx.programme.id:
        raise NotFound(f"没有调配记录 {move_id} / programme {ctx.programme.id!r} has no reallocation {move_id}")
    at = ctx.now if at is None else at
    if row.planned_ends_at is not None or row.ends_at <= ctx.now:
        when = row.ends_at.astimezone(ctx.zone).isoformat()
        raise Conflict(f"该调配已于 {when} 结束 / the reallocation already ended at {when}")
    if at >= row.ends_at:
        raise InvalidInput(f"须早于计划结束 {row.ends_at.astimezone(ctx.zone).isoformat()} / must be before the "
                           "planned end", field="at")
    row.planned_ends_at, row.ends_at = row.ends_at, max(at, row.starts_at)
    row.ended_by, row.end_reason = ctx.actor, reason
    ctx.session.flush()
    return view(ctx, row)


def view(ctx: Any, r: Reallocation, minutes: int | None = None) -> dict[str, Any]:
    out = {"id": r.id, "volunteer_id": r.volunteer_id, "assignment_id": r.assignment_id,
           "from_post_id": r.from_post_id, "to_post_id": r.to_post_id,
           "starts_at": r.starts_at.astimezone(ctx.zone).isoformat(), "ends_at": r.ends_at.astimezone(ctx.zone).isoformat(),
           "reason": r.reason, "moved_by": r.moved_by, "ended_early": r.planned_ends_at is not None}
    if r.planned_ends_at is not None:
        out.update(planned_ends_at=r.planned_ends_at.astimezone(ctx.zone).isoformat(), ended_by=r.ended_by,
                   end_reason=r.end_reason, cancelled=r.ends_at <= r.starts_at)
    if minutes is not None:
        out["minutes_that_day"] = minutes
    return out


def on_day(ctx: Any, day: dt.date) -> list[Reallocation]:
    d0 = dt.datetime.combine(day, dt.time(0), tzinfo=ctx.zone)
    return list(ctx.session.scalars(select(Reallocation).where(
        Reallocation.programme_id == ctx.programme.id, Reallocation.starts_at < d0 + dt.timedelta(days=1),
        Reallocation.ends_at > d0).order_by(Reallocation.starts_at, Reallocation.id)))
