"""Reports: the programme report's sections (the API's), charts drawn as SVG (hours per month, per
project, per team; levels; needs by status), and the same figures as CSV or XLSX."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from fastapi import Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.responses import Response

from engine.http.deps import Access, EngineDep, SessionDep
from engine.http.routes import reports as report_routes
from engine.stages.records import service as records
from engine.stages.records.models import ServiceRecord
from engine.stages.rewards import levels
from engine.store.models import WorkflowInstance
from engine.timeutil import local
from engine.web.kit.i18n import N_
from engine.web.kit.render import gettext, render
from engine.web.kit.routing import PageAccess, page_router
from engine.web.kit.svg import bar_chart

router = page_router()


def series(session: Session, access: Access) -> dict[str, list[tuple[str, float]]]:
    """The charts' figures: verified hours by local month, project and team (node); volunteers per
    level; needs per workflow state."""
    prog = access.programme
    tz = prog.config.timezone
    by_month: dict[str, float] = defaultdict(float)
    by_node: dict[str, float] = defaultdict(float)
    q = select(ServiceRecord.started_at, ServiceRecord.minutes, ServiceRecord.node).where(
        ServiceRecord.programme_id == prog.id, ServiceRecord.verified_at.is_not(None))
    for started, minutes, node in session.execute(q):
        by_month[local(started, tz).strftime("%Y-%m")] += minutes / 60
        by_node[node or "—"] += minutes / 60
    projects = [(p["project"] or "—", float(p["hours"])) for p in records.project_totals(session, prog)]
    lvls = [(d["level"] or "—", float(d["volunteers"])) for d in levels.distribution(session, prog)]
    needs: list[tuple[str, float]] = []
    if "need" in prog.workflows:
        wf = prog.workflow("need").definition
        rows = session.execute(select(WorkflowInstance.state, func.count()).where(
            WorkflowInstance.programme_id == prog.id, WorkflowInstance.workflow == "need")
            .group_by(WorkflowInstance.state))
        needs = [(wf.state(s).title or s if s in wf.states else s, float(n)) for s, n in rows]
    return {N_("Hours per month"): _rounded(sorted(by_month.items())), N_("Hours per project"): _rounded(projects),
            N_("Hours per team"): _rounded(sorted(by_node.items())), N_("Volunteers per level"): lvls,
            N_("Needs by status"): needs}


def _rounded(rows: list[tuple[str, float]]) -> list[tuple[str, float]]:
    return [(k, round(v, 1)) for k, v in rows]


@router.get("/p/{programme_id}/reports")
def reports_page(request: Request, access: PageAccess, engine: EngineDep, session: SessionDep) -> Response:
    report = report_routes.report(access, engine, session)
    charts = [(gettext(request, title), bar_chart(gettext(request, title), rows)) for title, rows in
              series(session, access).items() if rows]
    return render(request, "staff/reports.html", {"report": report, "charts": charts})


def _table(session: Session, access: Access, engine: Any) -> list[list[Any]]:
    out: list[list[Any]] = [["section", "name", "value"]]
    for sec in report_routes.report(access, engine, session)["sections"]:
        for k, v in sec["figures"].items():
            out.append([sec["title"], k, v])
        for row in sec["rows"]:
            out.append([sec["title"], *row])
    for title, rows in series(session, access).items():
        out += [[title, k, v] for k, v in rows]
    return out


@router.get("/p/{programme_id}/reports/export.csv")
def export_csv(access: PageAccess, engine: EngineDep, session: SessionDep) -> Response:
    buf = io.StringIO()
    csv.writer(buf).writerows(_table(session, access, engine))
    return Response("\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="report-{access.programme.id}.csv"'})


@router.get("/p/{programme_id}/reports/export.xlsx")
def export_xlsx(access: PageAccess, engine: EngineDep, session: SessionDep) -> Response:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "report"
    for row in _table(session, access, engine):
        ws.append([v if isinstance(v, int | float | str) or v is None else str(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return Response(buf.getvalue(),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="report-{access.programme.id}.xlsx"'})
