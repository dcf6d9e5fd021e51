"""A volunteer's certificates (request, follow, download the PDF) and moving their records (download the
signed bundle, import one from another organisation) — through the API's endpoint functions."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from engine.certificates import routes as cert_routes
from engine.certificates.bundles import MAX_BYTES
from engine.certificates.schemas import CertificateRequestIn
from engine.certificates.service import STATE_TITLES
from engine.http.deps import Access, EngineDep, SessionDep
from engine.web.kit.forms import FormDep, FormState, attempt, form_values, submit
from engine.web.kit.render import gettext, redirect, render
from engine.web.kit.routing import PageAccess, page_router

router = page_router()


def _page(request: Request, access: Access, session: Any, form: FormState, status: int = 200) -> Response:
    certs = cert_routes.list_certificates(access, session, volunteer_id=None, state=None, limit=100, offset=0)
    return render(request, "certificates/mine.html", {"certificates": certs, "titles": STATE_TITLES, "form": form},
                  status=status)


@router.get("/p/{programme_id}/me/certificates")
def my_certificates(request: Request, access: PageAccess, session: SessionDep) -> Response:
    period = access.programme.config.period
    return _page(request, access, session, FormState(values={"period_start": period.start.isoformat(),
                                                             "period_end": period.end.isoformat()}))


@router.post("/p/{programme_id}/me/certificates")
def request_certificate(request: Request, access: PageAccess, session: SessionDep, form: FormDep) -> Response:
    data = form_values(form)
    state = FormState(values=data)
    out = submit(session, state, CertificateRequestIn, data,
                 lambda body: cert_routes.request_certificate(body, access, session))
    if out is None:
        return _page(request, access, session, state, status=422)
    session.commit()
    return redirect(request, f"/p/{access.programme.id}/me/certificates",
                    gettext(request, "Requested. The organisation will accept and issue it; it is free of charge."))


@router.get("/p/{programme_id}/me/certificates/{certificate_id}.pdf")
def certificate_pdf(certificate_id: int, access: PageAccess, session: SessionDep) -> Response:
    return cert_routes.certificate_pdf(certificate_id, access, session)


@router.post("/p/{programme_id}/me/records/import")
async def import_bundle(request: Request, access: PageAccess, engine: EngineDep, session: SessionDep,
                        form: FormDep) -> Response:
    upload = form.get("file")
    state = FormState()
    if not isinstance(upload, UploadFile):
        state.add("file", gettext(request, "Choose a bundle file."))
        return _page(request, access, session, state, status=422)
    data = await upload.read(MAX_BYTES + 1)
    out = attempt(session, state, lambda: cert_routes.import_bundle(data, access, engine, session, volunteer_id=None))
    if out is None:
        return _page(request, access, session, state, status=422)
    session.commit()
    return redirect(request, f"/p/{access.programme.id}/me/certificates",
                    gettext(request, "Imported: %(n)d records (%(skipped)d already held).")
                    % {"n": out.imported, "skipped": out.skipped_duplicates})
