"""Needs: recorded, ranked (the stage's own scoring), reported."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from engine.http.deps import Access, EngineDep, SessionDep
from engine.stages.needs import routes as needs_routes
from engine.stages.needs.schemas import SOURCE_TITLES, NeedIn
from engine.web.kit.forms import FormDep, FormState, form_values, submit
from engine.web.kit.render import gettext, redirect, render
from engine.web.kit.routing import PageAccess, page_router

router = page_router()


def _page(request: Request, access: Access, engine: Any, session: Any, form: FormState, status: int = 200) -> Response:
    ranked = needs_routes.list_needs(access, engine, session)
    cfg = access.programme.config.needs
    return render(request, "staff/needs.html", {
        "needs": ranked, "form": form, "groups": [(g, g) for g in cfg.beneficiary_groups],
        "categories": [(c, c) for c in cfg.categories], "sources": list(SOURCE_TITLES.items()),
        "can_record": access.has(*needs_routes.RECORDERS)}, status=status)


@router.get("/p/{programme_id}/needs")
def needs_page(request: Request, access: PageAccess, engine: EngineDep, session: SessionDep) -> Response:
    return _page(request, access, engine, session, FormState())


@router.post("/p/{programme_id}/needs")
def record_need(request: Request, access: PageAccess, engine: EngineDep, session: SessionDep, form: FormDep) -> Response:
    data = form_values(form)
    state = FormState(values=dict(data))
    done = submit(session, state, NeedIn, data, lambda body: needs_routes.create_need(body, access, engine, session))
    if done is None:
        return _page(request, access, engine, session, state, status=422)
    session.commit()
    return redirect(request, f"/p/{access.programme.id}/needs", gettext(request, "Need recorded."))


@router.get("/p/{programme_id}/needs/report.md")
def needs_report(access: PageAccess, engine: EngineDep, session: SessionDep) -> Response:
    """《需求分析报告》as Markdown (the API's own rendering), to print or paste into a document."""
    return needs_routes.needs_report_markdown(access, engine, session)
