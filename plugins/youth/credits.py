"""Credits for a student: the engine converts (``ctx.credit_report``), the school supplies evidence.

Service-learning components per project (``rules.credits.<scheme>.service_learning``):

* ``action`` — on record when the student has verified hours on the project;
* ``reflection`` — when the student wrote a reflection on the project (:class:`.models.Reflection`);
* any other (``preparation`` …) — recorded by a teacher (:class:`.models.Component`).

The student's school years are those their records fall in plus the current programme's year, so a
year without credits shows as missing where ``graduation.per_year`` asks for each year.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from engine.errors import InvalidInput
from engine.sdk import PlanContext, school_year

from .models import Component, Reflection


def components(ctx: PlanContext, volunteer_id: int) -> dict[int | None, set[str]]:
    out: dict[int | None, set[str]] = {}
    for rec in ctx.organisation_records(volunteer_id):
        if rec.minutes > 0:
            out.setdefault(rec.project_id, set()).add("action")
    for pid in ctx.session.scalars(select(Reflection.project_id).where(Reflection.volunteer_id == volunteer_id)):
        out.setdefault(pid, set()).add("reflection")
    for pid, comp in ctx.session.execute(select(Component.project_id, Component.component)
                                         .where(Component.volunteer_id == volunteer_id)):
        out.setdefault(pid, set()).add(comp)
    return out


def record_component(ctx: PlanContext, volunteer_id: int, project_id: int, component: str) -> None:
    schemes = [s for s in ctx.credit_schemes.values() if s.service_learning is not None]
    known = {c for s in schemes for c in s.service_learning.components} - {"action", "reflection"}  # type: ignore[union-attr]
    if component not in known:
        raise InvalidInput(f"未知的服务学习环节 {component!r}（可登记：{'、'.join(sorted(known)) or '无'}）/ unknown "
                           f"service-learning component {component!r} (teachers record: {', '.join(sorted(known)) or 'none'}; "
                           "action and reflection come from hours and reflections)", field="component")
    ctx.project(project_id)
    found = ctx.session.scalars(select(Component).where(
        Component.volunteer_id == volunteer_id, Component.project_id == project_id,
        Component.component == component)).first()
    if found is None:
        ctx.session.add(Component(programme_id=ctx.programme.id, volunteer_id=volunteer_id, project_id=project_id,
                                  component=component, recorded_by=ctx.actor))
        ctx.session.flush()


def credit_summary(ctx: PlanContext, volunteer_id: int) -> list[dict[str, Any]]:
    """Every credit scheme of the programme for this student: what they have, what counts, what is missing."""
    comps = components(ctx, volunteer_id)
    out = []
    for name, scheme in ctx.credit_schemes.items():
        years = {school_year(scheme, ctx.programme.config.period.start)}
        for rec in ctx.organisation_records(volunteer_id):
            years.add(school_year(scheme, rec.day))
        rep = ctx.credit_report(volunteer_id, name, components=comps, school_years=sorted(years))
        out.append({"scheme": name, "title": rep.title, "total": rep.total, "hours_counted": rep.hours_counted,
                    "by_term": rep.by_term, "by_category": rep.by_category,
                    "by_year": {str(k): v for k, v in rep.by_year.items()},
                    "not_counted": [{"record_id": r, "reason": why} for r, why in rep.not_counted],
                    "notes": rep.lines, "missing": rep.missing, "graduation_met": rep.graduation_met})
    return out
