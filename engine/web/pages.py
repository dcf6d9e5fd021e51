"""Pages for coordinators and volunteers: log in, see each programme's stage, what can be done next
and what blocks it (in the guards' own words), and press the button. Phone-sized, Chinese first.

Authentication is the API's token, kept in an HttpOnly, SameSite=Strict cookie (the SameSite rule is
what protects the POST forms from cross-site requests). Everything shown goes through the same
services and role checks as the API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from engine.errors import GuardsFailed, VolunteerEngineError
from engine.store.models import ProgrammeRow, User

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
    engine = request.app.state.engine
    rows = []
    with engine.session() as s:
        user = _user(request, s)
        mine = engine.auth.programmes_of(s, user) if user else set()
        for p in s.scalars(select(ProgrammeRow).order_by(ProgrammeRow.id)):
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
        "programmes": rows, "problems": request.app.state.load_problems, "user": user,
        "plan_types": engine.host.plan_type_ids()})


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, error: str | None = None) -> HTMLResponse:
    return templates.TemplateResponse(request, "login.html", {"error": error, "user": None})


@router.post("/login")
def login(request: Request, username: str = Form(...), password: str = Form(...)) -> Response:
    engine = request.app.state.engine
    try:
        with engine.session() as s:
            user = engine.auth.authenticate(s, username, password)
            token = engine.auth.issue_token(s, user)
    except VolunteerEngineError:
        return RedirectResponse("/login?error=" + quote("用户名或密码错误 / wrong username or password"), status_code=303)
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
def programme_page(request: Request, programme_id: str, message: str | None = None,
                   error: str | None = None) -> Response:
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
        return templates.TemplateResponse(request, "programme.html", {
            "user": user, "programme": prog, "instance": inst, "states": states, "statuses": statuses,
            "log": log, "roles": sorted(roles), "message": message, "error": error})


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
        return RedirectResponse(f"{back}?error=" + quote("；".join(exc.reasons)), status_code=303)
    except VolunteerEngineError as exc:
        return RedirectResponse(f"{back}?error=" + quote(exc.message), status_code=303)
    title = prog.workflow("lifecycle").definition.state(result.instance.state).title or result.instance.state
    return RedirectResponse(f"{back}?message=" + quote(f"已进入 {title}"), status_code=303)
