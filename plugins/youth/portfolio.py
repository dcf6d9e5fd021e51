"""The growth portfolio (成长档案) of one student: activities, hours, reflections, teacher comments,
awards and credits with what is still missing — as data, a page and a printable PDF, and the rows
exported for the comprehensive quality evaluation (综合素质评价).

Only people who may see the student reach it (:mod:`.people`); it shows no other student.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from sqlalchemy import select

from engine.sdk import PlanContext
from engine.sdk.tables import Project

from .awards import awards
from .credits import credit_summary
from .models import Comment, Reflection, Student

_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
                          autoescape=True, undefined=jinja2.StrictUndefined)


def portfolio(ctx: PlanContext, student: Student) -> dict[str, Any]:
    vid = student.volunteer_id
    vol = ctx.volunteer(vid)
    records = sorted(ctx.organisation_records(vid), key=lambda r: (r.day, r.record_id))
    activities = [{"date": r.day, "project": r.project_name or "", "category": r.category,
                   "hours": (Decimal(r.minutes) / 60).quantize(Decimal("0.01"))} for r in records if r.minutes > 0]
    written = list(ctx.session.scalars(select(Reflection).where(Reflection.volunteer_id == vid).order_by(Reflection.id)))
    names = dict(ctx.session.execute(select(Project.id, Project.name).where(
        Project.id.in_({x.project_id for x in written if x.project_id is not None}))).all())
    reflections = [{"at": ctx.local(x.created_at).date(), "project": names.get(x.project_id, ""), "text": x.text}
                   for x in written]
    comments = [{"at": ctx.local(x.created_at).date(), "author": x.author, "text": x.text}
                for x in ctx.session.scalars(select(Comment).where(Comment.volunteer_id == vid).order_by(Comment.id))]
    credits = credit_summary(ctx, vid)
    main = getattr(ctx.rules, "credit_scheme", None)
    return {"programme": ctx.programme.config.name, "name": vol.name, "school": student.school,
            "grade": student.grade, "class_name": student.class_name,
            "hours": sum((a["hours"] for a in activities), Decimal(0)), "activities": activities,
            "reflections": reflections, "comments": comments, "awards": awards(ctx, vid), "credits": credits,
            "still_missing": next((c["missing"] for c in credits if c["scheme"] == main), [])}


def page(data: dict[str, Any]) -> str:
    return _ENV.get_template("portfolio.html").render(p=data)


def pdf(data: dict[str, Any]) -> bytes:
    import warnings

    with warnings.catch_warnings():  # "HarfBuzz-Subset will be required": a system library's notice, not ours
        warnings.simplefilter("ignore", DeprecationWarning)
        import weasyprint  # imported here: only the PDF needs Pango

        return weasyprint.HTML(string=page(data)).write_pdf()  # type: ignore[no-any-return]


def _cell(value: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def evaluation_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per activity for 综合素质评价 (社会实践 section): date, project, category, hours."""
    return [{k: _cell(v) for k, v in row.items()} for row in _rows(data)]


def _rows(data: dict[str, Any]) -> list[dict[str, str]]:
    return [{"姓名 name": data["name"], "学校 school": data["school"], "年级 grade": data["grade"],
             "班级 class": data["class_name"], "日期 date": a["date"].isoformat(), "项目 project": a["project"],
             "类别 category": a["category"], "时长 hours": str(a["hours"])} for a in data["activities"]]
