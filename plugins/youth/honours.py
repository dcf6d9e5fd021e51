"""Multi-level honours for the school year (``rules.honours``, engine :mod:`engine.rules.honours`):
each student's verified hours in this year's programme, grouped by class, grade and school."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from engine.sdk import HonourCandidate, PlanContext, decide_honours

from .models import Student


def honours(ctx: PlanContext) -> dict[str, Any]:
    policy = ctx.programme.rules_policy.honours
    if policy is None:
        return {"title": None, "decisions": []}
    rows = list(ctx.session.scalars(select(Student).where(Student.programme_id == ctx.programme.id)))
    names = {}
    people = []
    for s in rows:
        names[s.volunteer_id] = ctx.volunteer(s.volunteer_id).name
        hours = (Decimal(ctx.totals(s.volunteer_id).minutes) / 60).quantize(Decimal("0.01"))
        people.append(HonourCandidate(s.volunteer_id, hours, {"class": f"{s.grade}{s.class_name}",
                                                              "grade": s.grade, "school": s.school}))
    return {"title": policy.title,
            "decisions": [{"level": d.level, "group": d.group, "volunteer_id": d.person_id,
                           "name": names[d.person_id], "hours": d.hours, "status": d.status}
                          for d in decide_honours(policy, people)]}
