"""Pages for coordinators and volunteers: log in, see each programme's stage, what can be done next
and what blocks it (in the guards' own words), and press the button. Phone-sized, Chinese first.

Authentication is the API's token, kept in an HttpOnly, SameSite=Strict cookie (the SameSite rule is
what protects the POST forms from cross-site requests). Everything shown goes through the same
services and role checks as the API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from engine.errors import GuardsFailed, VolunteerEngineError
from engine.http.login import log_in
from engine.store.models import ProgrammeRow, User
from engine.web import flash

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
COOKIE = "ve_token"


def _user(request: Request, session: Any) -> User | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        user: User = request.app.state.engine.auth.user_for_token(session, token)
        return user
    except VolunteerEngineError:
        return None


def _roles(engine: Any, session: Any, user: User, programme_id: str) -> frozenset[str]:
    roles = set(engine.auth.roles(session, user, programme_id))
    if user.is_superuser:
        roles.add("admin")
    return frozenset(roles)


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """Logged in: your programmes (operators: all, and the files that did not load). Anonymous:
    nothing about what this server runs — no programme list, no configuration problems, no paths."""
    engine = request.app.state.engine
    rows = []
    with engine.session() as s:
        user = _user(request, s)
        if user is None:
            return templates.TemplateResponse(request, "index.html", {
                "programmes": [], "problems": {}, "user": None, "plan_types": []})
        mine = engine.auth.programmes_of(s, user)
        for p in s.scalars(select(ProgrammeRow).order_by(ProgrammeRow.id)):
            if not (user.is_superuser or p.id in mine):
                continue
            stage = "—"
            try:
                prog = engine.programme(p.id, s)
                inst = engine.workflows.find(s, p.id, "lifecycle", "programme", p.id)
                if inst is not None:
                    stage = prog.workflow("lifecycle").definition.state(inst.state).title or inst.state
            except VolunteerEngineError:
                stage = "（配置无法读取 unreadable）"
            member = bool(user and (user.is_superuser or p.id in mine))
            rows.append({"id": p.id, "name": p.name, "plan_type": p.plan_type, "stage": stage, "member": member})
    return templates.TemplateResponse(request, "index.html", {
        "programmes": rows, "problems": request.app.state.load_problems if user.is_superuser else {}, "user": user,
        "plan_types": engine.host.plan_type_ids()})


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "login.html", {"error": None, "user": None})


@router.post("/login")
async def login(request: Request, username: Annotated[str, Form(max_length=120)],
                password: Annotated[str, Form(max_length=1024)]) -> Response:
    engine = request.app.state.engine
    try:
        token = await log_in(request, username, password)
    except VolunteerEngineError as exc:  # wrong password (401) or too many attempts (429, with Retry-After)
        headers = {"Retry-After": str(exc.details["retry_after"])} if "retry_after" in exc.details else None
        return templates.TemplateResponse(request, "login.html", {"error": exc.message, "user": None},
                                          status_code=exc.http_status, headers=headers)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                        max_age=engine.auth.token_ttl.seconds + engine.auth.token_ttl.days * 86400)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    engine = request.app.state.engine
    token = request.cookies.get(COOKIE)
    if token:
        with engine.session() as s:
            engine.auth.revoke(s, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/p/{programme_id}", response_class=HTMLResponse)
def programme_page(request: Request, programme_id: str) -> Response:
    engine = request.app.state.engine
    with engine.session() as s:
        user = _user(request, s)
        if user is None:
            return RedirectResponse("/login", status_code=303)
        try:
            prog = engine.programme(programme_id, s)
        except VolunteerEngineError as exc:
            return HTMLResponse(exc.message, status_code=exc.http_status)
        roles = _roles(engine, s, user, programme_id)
        if not roles:
            return HTMLResponse("你不是该项目的成员 / you have no role in this programme", status_code=403)
        inst = engine.lifecycle(s, prog)
        wf = prog.workflow("lifecycle")
        statuses = engine.workflows.evaluate(s, prog, inst, actor=user.username, roles=roles)
        log = engine.workflows.history(s, inst.id)[-10:][::-1]
        states = [{"name": n, "title": wf.definition.state(n).title or n, "current": n == inst.state}
                  for n in wf.definition.states]
        message, error = flash.read(request)
        return flash.clear(templates.TemplateResponse(request, "programme.html", {
            "user": user, "programme": prog, "instance": inst, "states": states, "statuses": statuses,
            "log": log, "roles": sorted(roles), "message": message, "error": error}))


@router.post("/p/{programme_id}/fire")
def fire(request: Request, programme_id: str, trigger: str = Form(...), version: int = Form(...),
         note: str = Form("")) -> Response:
    engine = request.app.state.engine
    back = f"/p/{programme_id}"
    with engine.session() as s:
        user = _user(request, s)
        if user is None:
            return RedirectResponse("/login", status_code=303)
        roles = _roles(engine, s, user, programme_id)
        try:
            prog = engine.programme(programme_id, s)
            inst_id = engine.lifecycle(s, prog).id
        except VolunteerEngineError as exc:
            return HTMLResponse(exc.message, status_code=exc.http_status)
    try:
        payload = {"note": note} if note else {}
        result = engine.fire(programme_id, inst_id, trigger, actor=user.username, roles=roles,
                             expected_version=version, payload=payload)
    except GuardsFailed as exc:
        return flash.flash(RedirectResponse(back, status_code=303), error="；".join(exc.reasons))
    except VolunteerEngineError as exc:
        return flash.flash(RedirectResponse(back, status_code=303), error=exc.message)
    title = prog.workflow("lifecycle").definition.state(result.instance.state).title or result.instance.state
    return flash.flash(RedirectResponse(back, status_code=303), message=f"已进入 {title}")
