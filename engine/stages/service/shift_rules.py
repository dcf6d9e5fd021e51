"""Shift rules at assignment: the mechanism behind ``rules.shifts`` (:mod:`engine.rules.shifts`).

:func:`refusals` is called by :func:`engine.stages.service.roster.assignment_refusals`, so every way
onto a roster (the API, a substitute, a swap, the auto-roster's writes) is refused with the rule
named (``shifts.max_hours_per_day`` …) and the figures. :func:`violations` is the pure part: the
volunteer's other shifts and the new one, as (start, end) pairs — the auto-roster's tests and
benchmark check their solutions with it.

Counting: hours in a day or week are the minutes of the shifts that fall in that day (a night
shift counts on both days, by its minutes in each); a week is Monday–Sunday in the programme's
zone; consecutive days are calendar days with any duty; shifts in a day are those starting on it (a
night shift counts on the day it starts). Rest is the gap between the end of one
shift and the start of the next (``service.min_rest_minutes`` is checked as well, by the roster).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.rules.shifts import ShiftsPolicy, node_parents
from engine.timeutil import minutes_by_day

Span = tuple[dt.datetime, dt.datetime]
UNREAD: Any = object()  # a project node the caller did not read


def policy_of(programme: object) -> ShiftsPolicy | None:
    policy = getattr(programme, "rules_policy", None)
    return getattr(policy, "shifts", None)


def _minutes_by_day(spans: Iterable[Span], tz: ZoneInfo) -> dict[dt.date, int]:
    return minutes_by_day(spans, tz)


def _hours(minutes: int) -> str:
    return f"{Decimal(minutes) / 60:.2f}".rstrip("0").rstrip(".")


def violations(rules: ShiftsPolicy, others: Sequence[Span], new: Span, tz: ZoneInfo, *, node: str | None = None,
               parents: Mapping[str, str] | None = None) -> list[str]:
    """Every shift rule the new span breaks next to ``others`` (the volunteer's other shifts);
    ``node`` is the shift's project node, for a venue's own duty window."""
    out: list[str] = []
    n0, n1 = new
    window = rules.duty_window.bounds(node, parents)
    if window is not None:
        first, last = window
        d0, d1 = n0.astimezone(tz).date(), (n1 - dt.timedelta(microseconds=1)).astimezone(tz).date()
        if d0 < first or d1 > last:
            out.append(f"班次在值守期 {first} 至 {last} 之外 / shift lies outside the duty window {first} – {last} "
                       f"({rules.duty_window.label(node, parents)})")
    if rules.min_rest_hours is not None:
        need = dt.timedelta(minutes=int(rules.min_rest_hours * 60))
        for s0, s1 in others:
            if s0 < n1 and s1 > n0:
                continue  # an overlap: the roster reports it itself
            gap = n0 - s1 if s1 <= n0 else s0 - n1
            if gap < need:
                out.append(f"与 {s0.astimezone(tz):%m-%d %H:%M} 的班次之间仅休息 {_hours(int(gap.total_seconds()) // 60)} "
                           f"小时，至少 {rules.min_rest_hours} 小时 / only {_hours(int(gap.total_seconds()) // 60)} h of "
                           f"rest next to the shift at {s0.astimezone(tz).isoformat()}; shifts.min_rest_hours is "
                           f"{rules.min_rest_hours}")
    mine = _minutes_by_day([new], tz)
    days = _minutes_by_day([*others, new], tz)
    if rules.max_hours_per_day is not None:
        cap = int(rules.max_hours_per_day * 60)
        for day in sorted(mine):
            if days[day] > cap:
                out.append(f"{day} 当天将排 {_hours(days[day])} 小时，超过每日上限 {rules.max_hours_per_day} 小时 / "
                           f"{_hours(days[day])} h on {day} would exceed shifts.max_hours_per_day = "
                           f"{rules.max_hours_per_day}")
    if rules.max_shifts_per_day is not None:
        day = n0.astimezone(tz).date()
        count = 1 + sum(1 for s0, _ in others if s0.astimezone(tz).date() == day)
        if count > rules.max_shifts_per_day:
            out.append(f"{day} 当天将排 {count} 个班次，超过每日上限 {rules.max_shifts_per_day} 个 / {count} shifts on {day} "
                       f"would exceed shifts.max_shifts_per_day = {rules.max_shifts_per_day}")
    if rules.max_hours_per_week is not None:
        cap = int(rules.max_hours_per_week * 60)
        weeks: dict[tuple[int, int], int] = {}
        for day, m in days.items():
            weeks[day.isocalendar()[:2]] = weeks.get(day.isocalendar()[:2], 0) + m
        for wk in sorted({d.isocalendar()[:2] for d in mine}):
            if weeks[wk] > cap:
                out.append(f"{wk[0]} 年第 {wk[1]} 周将排 {_hours(weeks[wk])} 小时，超过每周上限 {rules.max_hours_per_week} "
                           f"小时 / {_hours(weeks[wk])} h in week {wk[1]} of {wk[0]} would exceed "
                           f"shifts.max_hours_per_week = {rules.max_hours_per_week}")
    if rules.max_consecutive_days is not None:
        on = {d for d, m in days.items() if m > 0}
        for day in sorted(mine):
            start = day
            while start - dt.timedelta(days=1) in on:
                start -= dt.timedelta(days=1)
            end = day
            while end + dt.timedelta(days=1) in on:
                end += dt.timedelta(days=1)
            run = (end - start).days + 1
            if run > rules.max_consecutive_days:
                out.append(f"将连续值守 {run} 天（{start} 至 {end}），超过上限 {rules.max_consecutive_days} 天 / {run} days "
                           f"on duty in a row ({start} – {end}) would exceed shifts.max_consecutive_days = "
                           f"{rules.max_consecutive_days}")
                break
    return out


def reach(programme: object) -> dt.timedelta:
    """How far before and after a new shift the rules look at the volunteer's other shifts: a week
    and the longest run of days on duty allowed, with a day to spare (nothing without rules)."""
    rules = policy_of(programme)
    if rules is None:
        return dt.timedelta(0)
    return dt.timedelta(days=(rules.max_consecutive_days or 0) + 8)


def refusals(session: Session, programme: object, volunteer_id: int, shift: object, *,
             others: Sequence[tuple[int, dt.datetime, dt.datetime]] | None = None,
             node: object = UNREAD) -> list[str]:
    """The shift rules this assignment would break (empty without ``rules.shifts``).

    ``others``: the volunteer's active shifts (id, start, end) already read by the caller, covering at
    least :func:`reach` around ``shift``; those outside the reach are left out here, as when read.
    ``node``: the node of the shift's project, if the caller read it (for a venue's own duty window)."""
    rules = policy_of(programme)
    if rules is None:
        return []
    new = (shift.starts_at, shift.ends_at)  # type: ignore[attr-defined]
    span = reach(programme)
    lo, hi = new[0] - span, new[1] + span
    if others is None:
        from engine.stages.design.models import Shift
        from engine.stages.service.models import Assignment

        others = session.execute(select(Shift.id, Shift.starts_at, Shift.ends_at).join(
            Assignment, Assignment.shift_id == Shift.id).where(
            Assignment.programme_id == programme.id, Assignment.volunteer_id == volunteer_id,  # type: ignore[attr-defined]
            Assignment.status == "assigned", Shift.id != shift.id,  # type: ignore[attr-defined]
            Shift.starts_at < hi, Shift.ends_at > lo)).all()
    near = [(a, b) for sid, a, b in others if a < hi and b > lo and sid != shift.id]  # type: ignore[attr-defined]
    if not rules.duty_window.by_node:
        node = None
    elif node is UNREAD:
        node = node_of(session, shift.post_id)  # type: ignore[attr-defined]
    return violations(rules, near, new, programme.config.tz,  # type: ignore[attr-defined]
                      node=node, parents=node_parents(programme) if node else None)  # type: ignore[arg-type]


def venue_lookup(session: Session, programme: object, rules: ShiftsPolicy | None
                 ) -> Callable[[int], dict[str, Any]]:
    """post id → ``violations``' venue arguments, reading every project's node once (none without by_node)."""
    if rules is None or not rules.duty_window.by_node:
        return lambda _post_id: {}
    from engine.stages.design.models import Post, Project

    nodes = {pid: node for pid, node in session.execute(select(Post.id, Project.node).join(
        Project, Project.id == Post.project_id).where(Post.programme_id == programme.id))}  # type: ignore[attr-defined]
    parents = node_parents(programme)
    return lambda post_id: {"node": nodes.get(post_id), "parents": parents}


def node_of(session: Session, post_id: int) -> str | None:
    """The node of a post's project (where a venue's own duty window is looked up)."""
    from engine.stages.design.models import Post, Project

    return session.scalar(select(Project.node).join(Post, Post.project_id == Project.id).where(Post.id == post_id))
