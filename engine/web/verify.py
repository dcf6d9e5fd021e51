"""Public pages (no login): verify a certificate (its QR code's link, or number and holder's name) and
check a signed records bundle. They show only what the certificate or bundle states; lookups are
rate-limited per address (engine.certificates.verify)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from engine.certificates import bundles, verify
from engine.certificates.public_routes import check_out, client_address
from engine.errors import InvalidInput
from engine.http.deps import SessionDep
from engine.web.kit.forms import FormDep, FormState
from engine.web.kit.render import gettext, render
from engine.web.kit.routing import ViewerDep, page_router

router = page_router()


@router.get("/verify")
def lookup(request: Request, viewer: ViewerDep, session: SessionDep, number: str = "", name: str = "") -> Response:
    form = FormState(values={"number": number[:100], "name": name[:100]})
    verdict = None
    if number or name:
        if not (number.strip() and name.strip()):
            form.add(None, gettext(request, "Give both the certificate number and the holder's name."))
        else:
            verify.throttle(client_address(request), "certificate")
            verdict = verify.by_number(session, number[:100], name[:100])
    return render(request, "verify/lookup.html", {"form": form, "verdict": verdict})


@router.get("/verify/bundle")
def bundle_form(request: Request, viewer: ViewerDep) -> Response:
    return render(request, "verify/bundle.html", {"form": FormState(), "result": None})


@router.post("/verify/bundle")
async def bundle_check(request: Request, viewer: ViewerDep, session: SessionDep, form: FormDep) -> Response:
    verify.throttle(client_address(request), "bundle")
    upload = form.get("file")
    state = FormState()
    result: Any = None
    if not isinstance(upload, UploadFile):
        state.add("file", gettext(request, "Choose a bundle file."))
    else:
        data = await upload.read(bundles.MAX_BYTES + 1)
        try:
            result = check_out(session, bundles.check(bundles.read(data)))
        except InvalidInput as exc:
            state.add("file", exc.message)
    return render(request, "verify/bundle.html", {"form": state, "result": result}, status=200 if state.ok else 422)


@router.get("/verify/{token}")
def by_token(request: Request, token: str, viewer: ViewerDep, session: SessionDep) -> Response:
    verify.throttle(client_address(request), "certificate")
    return render(request, "verify/result.html", {"verdict": verify.by_token(session, token[:64])})
