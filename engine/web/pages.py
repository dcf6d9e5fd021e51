"""Pages: a landing page listing the loaded programmes and their current stage.

The pages only show what is public about a programme (its name, plan type and stage); the data
itself is behind the authenticated API.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from engine.store.models import ProgrammeRow, WorkflowInstance

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    engine = request.app.state.engine
    rows = []
    with engine.session() as s:
        for p in s.scalars(select(ProgrammeRow).order_by(ProgrammeRow.id)):
            inst = s.scalars(select(WorkflowInstance).where(
                WorkflowInstance.programme_id == p.id, WorkflowInstance.workflow == "lifecycle")).first()
            title = inst.state if inst else "—"
            try:
                prog = engine.programme(p.id, s)
                if inst is not None:
                    title = prog.workflow("lifecycle").definition.state(inst.state).title or inst.state
            except Exception:
                pass
            rows.append({"id": p.id, "name": p.name, "plan_type": p.plan_type, "stage": title})
    return templates.TemplateResponse(request, "index.html", {
        "programmes": rows, "problems": request.app.state.load_problems,
        "plan_types": engine.host.plan_type_ids()})
