"""Incidents: report, escalate one level up (or to a named level), resolve — the service stage's
endpoints, with the programme's own incident levels."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from engine.http.deps import Access, SessionDep
from engine.stages.service import routes as service_routes
from engine.stages.service.schemas import EscalateIn, IncidentIn, ResolveIn
from engine.web.kit.forms import FormDep, FormState, form_values, submit
from engine.web.kit.render import gettext, redirect, render
from engine.web.kit.routing import PageAccess, page_router

router = page_router()
CATEGORIES = ("medical", "lost_person", "fire", "weather", "dispute", "other")


def _page(request: Request, access: Access, session: Any, form: FormState, status: int = 200) -> Response:
    rows = service_routes.list_incidents(access, session, status=None, level=None)
    return render(request, "staff/incidents.html", {
        "incidents": rows, "form": form, "categories": [(c, c) for c in CATEGORIES],
        "levels": [(lv, lv) for lv in access.programme.config.service.incident_levels],
        "can_lead": access.has(*service_routes.LEADERS)}, status=status)


@router.get("/p/{programme_id}/incidents")
def incidents_page(request: Request, access: PageAccess, session: SessionDep) -> Response:
    return _page(request, access, session, FormState())


@router.post("/p/{programme_id}/incidents")
def report(request: Request, access: PageAccess, session: SessionDep, form: FormDep) -> Response:
    data = form_values(form)
    state = FormState(values=dict(data))
    done = submit(session, state, IncidentIn, data, lambda b: service_routes.report_incident(b, access, session))
    if done is None:
        return _page(request, access, session, state, status=422)
    return redirect(request, f"/p/{access.programme.id}/incidents", gettext(request, "Incident reported."))


@router.post("/p/{programme_id}/incidents/{incident_id}/{action}")
def act(request: Request, incident_id: int, action: str, access: PageAccess, session: SessionDep,
        form: FormDep) -> Response:
    data = form_values(form)
    state = FormState(values=dict(data))
    if action == "resolve":
        done: Any = submit(session, state, ResolveIn, data,
                           lambda b: service_routes.resolve_incident(incident_id, b, access, session))
    else:
        done = submit(session, state, EscalateIn, data,
                      lambda b: service_routes.escalate_incident(incident_id, b, access, session))
    if done is None:
        return _page(request, access, session, state, status=422)
    return redirect(request, f"/p/{access.programme.id}/incidents", gettext(request, "Done: ") + done.status)
