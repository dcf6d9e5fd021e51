"""志愿者意向与时间 Volunteers' ranked preferences (posts or functional groups/teams) and the days or
time windows they are not free, as they gave them; and what the auto-roster makes of them.

The auto-roster (the engine's CP-SAT, :func:`engine.sdk.roster.auto_roster`) takes preferences as
(volunteer, shift) pairs honoured after coverage and keeping the previous roster, and unavailability as
windows nobody is rostered across. :func:`roster_inputs` turns the stored wishes into both: a wished
post gives every open shift of that post; a wished group or team gives the shifts of every post whose
project's ``node`` is that group or one of its teams. The rank weighs: a first choice counts ``MAX_WISHES``, the
second one less, and so on (the solver maximises the weighted sum of wished places honoured).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import delete, select

from engine.errors import InvalidInput
from engine.sdk.tables import Post, Project, Shift

from .models_day import Preference, Unavailability

MAX_WISHES = 20


def _aware(ctx: Any, t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo else t.replace(tzinfo=ctx.zone)


def _group_codes(rules: Any) -> dict[str, set[str]]:
    """group or team code → the node codes it covers (a group: itself and its teams)."""
    out: dict[str, set[str]] = {}
    for g in rules.organisation.groups:
        out[g.code] = {g.code, *(t.code for t in g.teams)}
        for t in g.teams:
            out[t.code] = {t.code}
    return out


def replace(ctx: Any, volunteer_id: int, preferences: list[tuple[str, str]], days: list[dt.date],
            windows: list[tuple[dt.datetime, dt.datetime, str | None]]) -> dict[str, Any]:
    """Store the volunteer's wishes in place of the old ones (all checked first: nothing half-written)."""
    pid = ctx.programme.id
    posts = set(ctx.session.scalars(select(Post.id).where(Post.programme_id == pid)))
    groups = _group_codes(ctx.rules)
    seen: set[tuple[str, str]] = set()
    for i, (kind, ref) in enumerate(preferences):
        where = f"preferences[{i}]"
        if (kind, ref) in seen:
            raise InvalidInput(f"{where} 重复 / {where} repeats {kind} {ref!r}", field=where)
        seen.add((kind, ref))
        if kind == "post" and (not ref.isdigit() or int(ref) not in posts):
            raise InvalidInput(f"{where}: 本项目没有岗位 {ref} / programme {pid!r} has no post {ref!r}", field=where)
        if kind == "group" and ref not in groups:
            raise InvalidInput(f"{where}: 组织架构中没有功能组或小组 {ref} / rules.organisation has no group or team "
                               f"{ref!r}", field=where)
    spans: list[tuple[dt.datetime, dt.datetime, bool, str | None]] = []
    for d in sorted(set(days)):
        start = dt.datetime.combine(d, dt.time(0), tzinfo=ctx.zone)
        spans.append((start, start + dt.timedelta(days=1), True, None))
    for i, (a, b, note) in enumerate(windows):
        a, b = _aware(ctx, a), _aware(ctx, b)
        if b <= a:
            raise InvalidInput(f"unavailable_windows[{i}]: 结束须晚于开始 / ends_at must be after starts_at",
                               field=f"unavailable_windows[{i}].ends_at")
        spans.append((a, b, False, note))
    s = ctx.session
    s.execute(delete(Preference).where(Preference.programme_id == pid, Preference.volunteer_id == volunteer_id))
    s.execute(delete(Unavailability).where(Unavailability.programme_id == pid,
                                           Unavailability.volunteer_id == volunteer_id))
    s.add_all(Preference(programme_id=pid, volunteer_id=volunteer_id, rank=i + 1, kind=k, ref=r)
              for i, (k, r) in enumerate(preferences))
    s.add_all(Unavailability(programme_id=pid, volunteer_id=volunteer_id, starts_at=a, ends_at=b, whole_day=w, note=n)
              for a, b, w, n in spans)
    s.flush()
    return view(ctx, volunteer_id)


def view(ctx: Any, volunteer_id: int) -> dict[str, Any]:
    pid, s, tz = ctx.programme.id, ctx.session, ctx.zone
    prefs = s.scalars(select(Preference).where(Preference.programme_id == pid, Preference.volunteer_id == volunteer_id)
                      .order_by(Preference.rank))
    spans = list(s.scalars(select(Unavailability).where(
        Unavailability.programme_id == pid, Unavailability.volunteer_id == volunteer_id)
        .order_by(Unavailability.starts_at)))
    return {"volunteer_id": volunteer_id,
            "preferences": [{"rank": p.rank, "kind": p.kind, "ref": p.ref} for p in prefs],
            "unavailable_days": [u.starts_at.astimezone(tz).date().isoformat() for u in spans if u.whole_day],
            "unavailable_windows": [{"starts_at": u.starts_at.astimezone(tz).isoformat(),
                                     "ends_at": u.ends_at.astimezone(tz).isoformat(), "note": u.note}
                                    for u in spans if not u.whole_day]}


def stored_unavailable(ctx: Any) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    out: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for vid, a, b in ctx.session.execute(select(Unavailability.volunteer_id, Unavailability.starts_at,
                                                Unavailability.ends_at).where(
            Unavailability.programme_id == ctx.programme.id)):
        out[vid].append((a, b))
    return dict(out)


def stored_preferred(ctx: Any, shift_ids: list[int] | None = None) -> dict[tuple[int, int], int]:
    """(volunteer, shift) → weight, for the open shifts the stored wishes name: rank 1 weighs
    ``MAX_WISHES``, rank 2 one less … (a shift two wishes name takes the higher)."""
    pid, s = ctx.programme.id, ctx.session
    q = select(Shift.id, Shift.post_id, Project.node).join(Post, Post.id == Shift.post_id).join(
        Project, Project.id == Post.project_id).where(
        Shift.programme_id == pid, Shift.cancelled_at.is_(None), Shift.ends_at > ctx.now)
    if shift_ids:
        q = q.where(Shift.id.in_(shift_ids))
    shifts = s.execute(q).all()
    groups = _group_codes(ctx.rules)
    out: dict[tuple[int, int], int] = {}
    for vid, kind, ref, rank in s.execute(select(Preference.volunteer_id, Preference.kind, Preference.ref,
                                                 Preference.rank).where(Preference.programme_id == pid)):
        nodes = groups.get(ref, set()) if kind == "group" else set()
        weight = max(1, MAX_WISHES + 1 - rank)
        for sid, post_id, node in shifts:
            if (kind == "post" and str(post_id) == ref) or (node is not None and node in nodes):
                out[(vid, sid)] = max(out.get((vid, sid), 0), weight)
    return out
