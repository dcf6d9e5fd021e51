"""Records to verify and correct, hour reports to approve or reject, automatic check-outs to
confirm — the records and service stages' endpoints."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from sqlalchemy import select
from starlette.responses import Response

from engine.http.deps import Access, EngineDep, SessionDep
from engine.stages.records import routes as records_routes
from engine.stages.records.schemas import ReverseIn, VerifyIn
from engine.stages.recruitment.models import Volunteer
from engine.stages.recruitment.visibility import visible_here
from engine.stages.service import routes as service_routes
from engine.stages.service.schemas import ApproveIn, ConfirmIn, RejectIn
from engine.web.kit.forms import FormDep, FormState, attempt, form_values, submit
from engine.web.kit.render import gettext, redirect, render
from engine.web.kit.routing import PageAccess, page_router

router = page_router()


def _page(request: Request, access: Access, session: Any, form: FormState, status: int = 200) -> Response:
    access.require(*records_routes.STAFF, what="records")
    pending = records_routes.list_records(access, session, verified=False, limit=500, offset=0)
    recent = records_routes.list_records(access, session, verified=True, limit=50, offset=0)
    reports = service_routes.list_hour_reports(access, session, status="pending", limit=200, offset=0)
    unconfirmed = service_routes.list_unconfirmed(access, session) if access.has(*service_routes.ON_SITE) else []
    ids = {r.volunteer_id for r in pending} | {r.volunteer_id for r in recent} | {r.volunteer_id for r in reports}
    names = dict(session.execute(select(Volunteer.id, Volunteer.name).where(
        Volunteer.id.in_(ids), visible_here(access.programme.id))).all()) if ids else {}
    return render(request, "staff/records.html", {
        "pending": pending, "recent": recent, "reports": reports, "unconfirmed": unconfirmed, "names": names,
        "form": form, "can_write": access.has(*records_routes.WRITERS)}, status=status)


@router.get("/p/{programme_id}/records")
def records_page(request: Request, access: PageAccess, session: SessionDep) -> Response:
    return _page(request, access, session, FormState())


def _done(request: Request, access: Access, session: Any, state: FormState, result: Any, notice: str) -> Response:
    if result is None:
        return _page(request, access, session, state, status=422)
    session.commit()
    return redirect(request, f"/p/{access.programme.id}/records", notice)


@router.post("/p/{programme_id}/records/verify")
def verify(request: Request, access: PageAccess, engine: EngineDep, session: SessionDep, form: FormDep) -> Response:
    ids = [int(v) for v in form.getlist("ids") if isinstance(v, str) and v.isdigit()][:5000]
    body = VerifyIn(ids=ids, all_pending=form.get("all_pending") == "yes")
    state = FormState()
    out = attempt(session, state, lambda: records_routes.verify(body, access, engine, session))
    n = len(out.get("verified", [])) if isinstance(out, dict) else 0
    return _done(request, access, session, state, out, gettext(request, "Verified: %(n)d") % {"n": n})


@router.post("/p/{programme_id}/records/{record_id}/correct")
def correct(request: Request, record_id: int, access: PageAccess, engine: EngineDep, session: SessionDep,
            form: FormDep) -> Response:
    data = form_values(form)
    state = FormState(values=dict(data))
    replacement = {k: data[k] for k in ("minutes", "content") if k in data}
    out = submit(session, state, ReverseIn, {"reason": data.get("reason", ""), "replacement": replacement or None},
                 lambda b: records_routes.reverse(record_id, b, access, engine, session))
    return _done(request, access, session, state, out, gettext(request, "Corrected."))


@router.post("/p/{programme_id}/hour-reports/{report_id}/{action}")
def decide_report(request: Request, report_id: int, action: str, access: PageAccess, engine: EngineDep,
                  session: SessionDep, note: Annotated[str, Form(max_length=1000)] = "") -> Response:
    state = FormState(values={"note": note})
    if action == "approve":
        out: Any = submit(session, state, ApproveIn, {"note": note} if note else {},
                          lambda b: service_routes.approve_hours(report_id, b, access, engine, session))
    else:
        out = submit(session, state, RejectIn, {"note": note},
                     lambda b: service_routes.reject_hours(report_id, b, access, session))
    return _done(request, access, session, state, out, gettext(request, "Done: ") + (out.status if out else ""))


@router.post("/p/{programme_id}/checkins/{checkin_id}/confirm")
def confirm(request: Request, checkin_id: int, access: PageAccess, engine: EngineDep, session: SessionDep) -> Response:
    state = FormState()
    out = attempt(session, state, lambda: service_routes.confirm_checkin(checkin_id, ConfirmIn(), access, engine,
                                                                         session))
    return _done(request, access, session, state, out, gettext(request, "Confirmed."))
