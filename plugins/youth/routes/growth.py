"""A student's growth over HTTP: reflections, teacher comments, service-learning components,
credits, awards and the growth portfolio (JSON, page, PDF, 综合素质评价 CSV)."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import APIRouter, status
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from engine.errors import Forbidden
from engine.inputs import Id

from .. import credits as C
from .. import portfolio as P
from ..awards import awards
from ..models import Comment, Reflection
from ..people import STAFF, visible_student
from .common import PREFIX, TAGS, ViewerDep, YouthCtx, YouthDep

router = APIRouter(prefix=PREFIX, tags=TAGS)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReflectionIn(_In):
    text: str = Field(min_length=1, max_length=8000)
    project_id: Id | None = None


class CommentIn(_In):
    text: str = Field(min_length=1, max_length=4000)


class ComponentIn(_In):
    project_id: Id
    component: str = Field(min_length=1, max_length=40)


@router.post("/students/{volunteer_id}/reflections", status_code=status.HTTP_201_CREATED)
def reflect(volunteer_id: Id, body: ReflectionIn, access: YouthDep, ctx: YouthCtx, v: ViewerDep) -> dict[str, Any]:
    """A student writes their own reflection (反思); only the student themselves."""
    visible_student(ctx, v, volunteer_id)
    if v.own_id != volunteer_id:
        raise Forbidden("反思只能由学生本人填写 / only the student writes their own reflection")
    if body.project_id is not None:
        ctx.project(body.project_id)
    row = Reflection(programme_id=ctx.programme.id, volunteer_id=volunteer_id, project_id=body.project_id,
                     text=body.text, written_by=ctx.actor)
    ctx.session.add(row)
    ctx.session.flush()
    return {"id": row.id}


@router.post("/students/{volunteer_id}/comments", status_code=status.HTTP_201_CREATED)
def comment(volunteer_id: Id, body: CommentIn, access: YouthDep, ctx: YouthCtx, v: ViewerDep) -> dict[str, Any]:
    access.require(*STAFF, what="a teacher's comment")
    visible_student(ctx, v, volunteer_id)
    row = Comment(programme_id=ctx.programme.id, volunteer_id=volunteer_id, text=body.text, author=ctx.actor)
    ctx.session.add(row)
    ctx.session.flush()
    return {"id": row.id}


@router.post("/students/{volunteer_id}/components", status_code=status.HTTP_201_CREATED)
def component(volunteer_id: Id, body: ComponentIn, access: YouthDep, ctx: YouthCtx, v: ViewerDep) -> dict[str, Any]:
    """A teacher records a service-learning component (e.g. preparation) for a student and project."""
    access.require(*STAFF, what="recording a service-learning component")
    visible_student(ctx, v, volunteer_id)
    C.record_component(ctx, volunteer_id, body.project_id, body.component)
    return {"volunteer_id": volunteer_id, "project_id": body.project_id, "component": body.component}


@router.get("/students/{volunteer_id}/credits")
def credits(volunteer_id: Id, access: YouthDep, ctx: YouthCtx, v: ViewerDep) -> dict[str, Any]:
    """What the student has, what counts and what is still missing, per credit scheme."""
    visible_student(ctx, v, volunteer_id)
    return {"volunteer_id": volunteer_id, "schemes": C.credit_summary(ctx, volunteer_id)}


@router.get("/students/{volunteer_id}/awards")
def student_awards(volunteer_id: Id, access: YouthDep, ctx: YouthCtx, v: ViewerDep) -> dict[str, Any]:
    visible_student(ctx, v, volunteer_id)
    return {"volunteer_id": volunteer_id, "awards": awards(ctx, volunteer_id)}


@router.get("/students/{volunteer_id}/portfolio")
def portfolio(volunteer_id: Id, access: YouthDep, ctx: YouthCtx, v: ViewerDep) -> dict[str, Any]:
    return P.portfolio(ctx, visible_student(ctx, v, volunteer_id))


@router.get("/students/{volunteer_id}/portfolio.html", response_class=HTMLResponse)
def portfolio_page(volunteer_id: Id, access: YouthDep, ctx: YouthCtx, v: ViewerDep) -> HTMLResponse:
    return HTMLResponse(P.page(P.portfolio(ctx, visible_student(ctx, v, volunteer_id))))


@router.get("/students/{volunteer_id}/portfolio.pdf", response_class=Response)
def portfolio_pdf(volunteer_id: Id, access: YouthDep, ctx: YouthCtx, v: ViewerDep) -> Response:
    data = P.portfolio(ctx, visible_student(ctx, v, volunteer_id))
    return Response(P.pdf(data), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="portfolio-{volunteer_id}.pdf"'})


@router.get("/students/{volunteer_id}/evaluation.csv", response_class=Response)
def evaluation_csv(volunteer_id: Id, access: YouthDep, ctx: YouthCtx, v: ViewerDep) -> Response:
    """The rows for 综合素质评价 (社会实践): one per activity."""
    rows = P.evaluation_rows(P.portfolio(ctx, visible_student(ctx, v, volunteer_id)))
    buf = io.StringIO()
    fields = ["姓名 name", "学校 school", "年级 grade", "班级 class", "日期 date", "项目 project", "类别 category",
              "时长 hours"]
    writer = csv.DictWriter(buf, fieldnames=fields)
    writer.writeheader()
    writer.writerows(rows)
    return Response(buf.getvalue().encode("utf-8-sig"), media_type="text/csv; charset=utf-8")
