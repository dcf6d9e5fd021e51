"""定向招募: import a unit's spreadsheet (CSV or XLSX) through the recruitment stage's importer,
with its report by row and column; a dry run first is one tick away."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from engine.errors import InvalidInput
from engine.http.deps import SessionDep
from engine.stages.recruitment import routes as recruitment_routes
from engine.stages.recruitment.access import STAFF
from engine.web.kit.forms import FormDep, FormState
from engine.web.kit.render import render
from engine.web.kit.routing import PageAccess, page_router

router = page_router()
MODES = ("all_or_nothing", "good_rows")


@router.get("/p/{programme_id}/import")
def import_form(request: Request, access: PageAccess) -> Response:
    access.require(*STAFF, what="importing volunteers")
    return render(request, "staff/import.html", {"form": FormState(values={"mode": MODES[0]}), "report": None,
                                                 "modes": MODES})


@router.post("/p/{programme_id}/import")
def import_file(request: Request, access: PageAccess, session: SessionDep, form: FormDep) -> Response:
    upload = form.get("file")
    unit = str(form.get("unit") or "").strip()[:190]
    mode = str(form.get("mode") or MODES[0])
    mode = mode if mode in MODES else MODES[0]
    dry_run = form.get("dry_run") == "yes"
    state = FormState(values={"unit": unit, "mode": mode, "dry_run": dry_run})
    report: Any = None
    if not isinstance(upload, UploadFile) or not upload.filename:
        state.add("file", "请选择文件 / choose a CSV or XLSX file")
    if not unit:
        state.add("unit", "请填写单位 / give the unit's name")
    if state.ok:
        assert isinstance(upload, UploadFile)
        try:
            report = recruitment_routes.import_file(access, session, upload, unit, mode, dry_run)  # type: ignore[arg-type]
            session.commit()
        except InvalidInput as exc:  # nothing stored: the report says why, row by row
            session.rollback()
            report = exc.details.get("report")
            if report is None:
                state.add(exc.field, exc.message)
    refused = not state.ok or bool(report and (report.get("error_rows") or report.get("file_errors")))
    return render(request, "staff/import.html", {"form": state, "report": report, "modes": MODES},
                  status=422 if refused else 200)
