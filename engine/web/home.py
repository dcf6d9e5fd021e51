"""The start page, logging in and out, and the language switch.

The anonymous start page shows no configuration problem and nothing taken from the address: an
invitation to log in, and the open shifts of programmes that chose to be public
(``recruitment.public: true``, engine/web/public.py) — no other programme. A logged-in person sees the programmes they hold a role in.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Form, Request
from sqlalchemy import select
from starlette.responses import Response

from engine.errors import VolunteerEngineError
from engine.http.deps import EngineDep, SessionDep
from engine.http.login import log_in
from engine.store.models import ProgrammeRow, RoleGrant, WorkflowInstance
from engine.web.kit import i18n
from engine.web.kit.forms import FormState
from engine.web.kit.render import redirect, render
from engine.web.kit.routing import SESSION_COOKIE, AnonymousViewerDep, ViewerDep, _safe_next, page_router, session_token
from engine.web.public import public_opportunities

router = page_router()


@router.get("/")
def home(request: Request, viewer: ViewerDep, engine: EngineDep, session: SessionDep) -> Response:
    rows = []
    user = viewer.user
    if user is not None:
        grants: dict[str, list[str]] = {}
        q = select(RoleGrant.programme_id, RoleGrant.role).where(RoleGrant.user_id == user.id)
        for pid, role in session.execute(q):
            grants.setdefault(pid, []).append(role)
        query = select(ProgrammeRow.id, ProgrammeRow.name, WorkflowInstance.state).outerjoin(
            WorkflowInstance, (WorkflowInstance.programme_id == ProgrammeRow.id)
            & (WorkflowInstance.workflow == "lifecycle") & (WorkflowInstance.subject_type == "programme"))
        if not user.is_superuser:
            query = query.where(ProgrammeRow.id.in_(list(grants)))
        for pid, name, state in session.execute(query.order_by(ProgrammeRow.id)):
            stage = state or "—"
            try:
                wf = engine.programme(pid, session).workflow("lifecycle")
                stage = wf.definition.state(state).title or state if state else "—"
            except VolunteerEngineError:
                pass
            roles = grants.get(pid, []) + (["admin"] if user.is_superuser and "admin" not in grants.get(pid, []) else [])
            rows.append({"id": pid, "name": name, "stage": stage, "roles": sorted(roles)})
    public = public_opportunities(engine, session) if user is None else []
    return render(request, "home.html", {"programmes": rows, "public": public})


@router.get("/login")
def login_form(request: Request, viewer: ViewerDep, next: str = "/") -> Response:
    return render(request, "login.html", {"form": FormState(), "next": _safe_next(next)})


@router.post("/login")
async def login(request: Request, viewer: AnonymousViewerDep, engine: EngineDep,
                username: Annotated[str, Form(max_length=120)] = "", password: Annotated[str, Form(max_length=1024)] = "",
                next: Annotated[str, Form(max_length=500)] = "/") -> Response:
    """Log in through the same throttled, hash-bounded path as the API (:func:`engine.http.login.log_in`)."""
    username, target = username.strip(), _safe_next(next)
    state = FormState(values={"username": username})
    try:
        token = await log_in(request, username, password)
    except VolunteerEngineError as exc:  # wrong password (401) or too many attempts (429, with Retry-After)
        state.add("password", exc.message)
        headers = {"Retry-After": str(exc.details["retry_after"])} if "retry_after" in exc.details else None
        refused = render(request, "login.html", {"form": state, "next": target}, status=exc.http_status)
        if headers:
            refused.headers.update(headers)
        return refused
    response = redirect(request, target)
    ttl = int(engine.auth.token_ttl.total_seconds())
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=request.url.scheme == "https",
                        max_age=ttl, path="/")
    return response


@router.post("/logout")
def logout(request: Request, engine: EngineDep, session: SessionDep) -> Response:
    token = session_token(request)
    if token:
        engine.auth.revoke(session, token)
        session.commit()
    response = redirect(request, "/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/lang")
def choose_language(request: Request, lang: Annotated[str, Form(max_length=10)] = "",
                    next: Annotated[str, Form(max_length=500)] = "/") -> Response:
    response = redirect(request, quote(_safe_next(next), safe="/"))
    if lang in i18n.LOCALES:
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 86400, samesite="lax", path="/")
    return response
