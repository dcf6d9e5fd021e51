"""The academic year (seed 000 篇2): four quarters and the activities planned in each.

Quarters come from ``rules.quarters`` by month-day (default: 招募与培训 Sep–mid-Nov → 项目实施与期中评估
mid-Nov–Feb → 学雷锋月 Mar–Apr → 总结与表彰 May–Aug). The lifecycle runs per year: one programme
per school year (its ``period``), of one organisation, so credits and awards carry over.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from engine.sdk import PlanContext
from engine.sdk.tables import Post, Project, Shift

from .rules import YouthRules


def _md(day: dt.date) -> tuple[int, int]:
    return day.month, day.day


def quarter_of(rules: YouthRules, day: dt.date) -> int:
    """1–4: the quarter containing ``day`` (quarters may run over New Year)."""
    for i, q in enumerate(rules.quarters, 1):
        start = tuple(int(x) for x in q.start.split("-"))
        end = tuple(int(x) for x in q.end.split("-"))
        md = _md(day)
        if (start <= md <= end) if start <= end else (md >= start or md <= end):
            return i
    return 4  # a day no quarter names belongs to the year's review


def plan(ctx: PlanContext) -> list[dict[str, Any]]:
    """The year's quarters, each with its activities (shifts), their project and workflow state."""
    rules: YouthRules = ctx.rules  # type: ignore[assignment]
    rows = ctx.session.execute(select(Shift.id, Shift.starts_at, Post.name, Project.name, Post.category)
                               .join(Post, Post.id == Shift.post_id).join(Project, Project.id == Post.project_id)
                               .where(Shift.programme_id == ctx.programme.id, Shift.cancelled_at.is_(None))
                               .order_by(Shift.starts_at)).all()
    out = [{"quarter": i, "name": q.name, "start": q.start, "end": q.end, "activities": []}
           for i, q in enumerate(rules.quarters, 1)]
    for sid, starts, post, project, category in rows:
        day = ctx.local(starts).date()
        inst = ctx.find_instance("activity", "shift", sid)
        out[quarter_of(rules, day) - 1]["activities"].append(  # type: ignore[attr-defined]
            {"shift_id": sid, "date": day, "project": project, "post": post, "category": category,
             "state": inst.state if inst is not None else "planned"})
    return out
