"""The CSR report (JSON, page, XLSX) for a period and a department; the HR export (XLSX)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from engine.errors import InvalidInput
from engine.inputs import Day
from engine.sdk.http import ProgrammeCtx

from .. import hr_export, report, report_render
from ..employees import check_department
from .deps import PREFIX, STAFF, CorpDep, plan_rules

router = APIRouter(prefix=PREFIX, tags=["corporate"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AS_XLSX: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}, "description": "XLSX workbook"}}


def _scope(access: Any, ctx: Any, start: dt.date | None, end: dt.date | None,
           department: str | None) -> tuple[dt.date, dt.date, str | None]:
    """The period (default: the programme's) and the department a reader may see: staff and the
    committee any, a liaison their own."""
    access.require(*STAFF, "committee", "liaison", what="the CSR report")
    period = access.programme.config.period
    start, end = start or period.start, end or period.end
    if end < start:
        raise InvalidInput("结束日期早于开始日期 / the period ends before it starts", field="end")
    rules = plan_rules(access)
    if department is not None:
        check_department(rules, department)
    if not access.has(*STAFF, "committee"):
        mine = [d.key for d in rules.departments if d.liaison == access.actor]
        if department not in mine:
            if len(mine) != 1 or department is not None:
                access.require(*STAFF, "committee", what="the report of another department")
            department = mine[0]
    return start, end, department


@router.get("/report")
def as_json(access: CorpDep, ctx: ProgrammeCtx, start: Day | None = None, end: Day | None = None,
            department: str | None = None) -> dict[str, Any]:
    """CSR 报告 The figures for a period (default: the programme's) and optionally one department."""
    a, b, d = _scope(access, ctx, start, end, department)
    return report.figures(ctx.session, access.programme, a, b, d)


@router.get("/report.html", response_class=HTMLResponse)
def as_page(access: CorpDep, ctx: ProgrammeCtx, start: Day | None = None, end: Day | None = None,
            department: str | None = None) -> HTMLResponse:
    a, b, d = _scope(access, ctx, start, end, department)
    return HTMLResponse(report_render.html_page(plan_rules(access).company.name, report.figures(ctx.session, access.programme, a, b, d)))


@router.get("/report.xlsx", response_class=Response, responses=AS_XLSX)
def as_xlsx(access: CorpDep, ctx: ProgrammeCtx, start: Day | None = None, end: Day | None = None,
            department: str | None = None) -> Response:
    a, b, d = _scope(access, ctx, start, end, department)
    data = report_render.xlsx(plan_rules(access).company.name, report.figures(ctx.session, access.programme, a, b, d))
    name = f"csr-{access.programme.id}-{a.isoformat()}-{b.isoformat()}{'-' + d if d else ''}.xlsx"
    return Response(data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


AS_PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}, "description": "PDF"}}


@router.get("/report.pdf", response_class=Response, responses=AS_PDF)
def as_pdf(access: CorpDep, ctx: ProgrammeCtx, start: Day | None = None, end: Day | None = None,
           department: str | None = None) -> Response:
    a, b, d = _scope(access, ctx, start, end, department)
    data = report_render.pdf(plan_rules(access).company.name, report.figures(ctx.session, access.programme, a, b, d))
    name = f"csr-{access.programme.id}-{a.isoformat()}-{b.isoformat()}{'-' + d if d else ''}.pdf"
    return Response(data, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/hr-export.xlsx", response_class=Response, responses=AS_XLSX)
def hr(access: CorpDep, ctx: ProgrammeCtx, start: Day | None = None, end: Day | None = None) -> Response:
    """绩效导出 Hours and impact for performance reviews: only what each employee agreed to share (CSR office/HR)."""
    access.require("csr_office", "admin", what="the HR export")
    period = access.programme.config.period
    a, b = start or period.start, end or period.end
    return Response(hr_export.xlsx(ctx, a, b), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="hr-{access.programme.id}.xlsx"'})
