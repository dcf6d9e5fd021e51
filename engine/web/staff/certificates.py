"""Certificate requests for coordinators: accept (with an optional public notice), issue, refuse, revoke."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import select
from starlette.responses import Response

from engine.certificates import routes as cert_routes
from engine.certificates.schemas import AcceptIn, ReasonIn
from engine.certificates.service import STATE_TITLES
from engine.http.deps import Access, EngineDep, SessionDep
from engine.stages.records.routes import STAFF, WRITERS
from engine.stages.recruitment.models import Volunteer
from engine.web.kit.forms import FormDep, FormState, attempt, form_values, submit
from engine.web.kit.render import gettext, redirect, render
from engine.web.kit.routing import PageAccess, page_router

router = page_router()


def _page(request: Request, access: Access, session: Any, form: FormState, status: int = 200) -> Response:
    access.require(*STAFF, what="certificates")
    certs = cert_routes.list_certificates(access, session, volunteer_id=None, state=None, limit=500, offset=0)
    ids = {c.volunteer_id for c in certs}
    names = dict(session.execute(select(Volunteer.id, Volunteer.name).where(Volunteer.id.in_(ids))).all()) if ids else {}
    return render(request, "certificates/staff.html", {"certificates": certs, "names": names, "titles": STATE_TITLES,
                                                       "form": form, "can_write": access.has(*WRITERS)}, status=status)


@router.get("/p/{programme_id}/certificates")
def certificates_page(request: Request, access: PageAccess, session: SessionDep) -> Response:
    return _page(request, access, session, FormState())


@router.post("/p/{programme_id}/certificates/{certificate_id}/{action}")
def act(request: Request, certificate_id: int, action: str, access: PageAccess, engine: EngineDep,
        session: SessionDep, form: FormDep) -> Response:
    data = form_values(form)
    state = FormState(values=data)
    out: Any = None
    if action == "accept":
        out = submit(session, state, AcceptIn, data,
                     lambda b: cert_routes.accept_certificate(certificate_id, b, access, session))
    elif action == "issue":
        out = attempt(session, state, lambda: cert_routes.issue_certificate(certificate_id, access, engine, session))
    elif action == "refuse":
        out = submit(session, state, ReasonIn, data,
                     lambda b: cert_routes.refuse_certificate(certificate_id, b, access, session))
    elif action == "revoke":
        out = submit(session, state, ReasonIn, data,
                     lambda b: cert_routes.revoke_certificate(certificate_id, b, access, engine, session))
    else:
        state.add(None, gettext(request, "Unknown action."))
    if out is None:
        return _page(request, access, session, state, status=422)
    session.commit()
    return redirect(request, f"/p/{access.programme.id}/certificates", gettext(request, "Saved."))
