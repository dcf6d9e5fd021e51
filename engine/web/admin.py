"""Administration for operators (superusers): programmes (load a YAML file), users, roles — the
API's own endpoint functions, so the same checks and messages apply."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import select
from starlette.datastructures import UploadFile
from starlette.responses import Response

from engine.errors import Forbidden
from engine.http.deps import EngineDep, SessionDep, access_for
from engine.http.routes import auth as auth_routes
from engine.http.routes import programmes as programme_routes
from engine.store.models import ProgrammeRow, RoleGrant, User
from engine.web.kit.forms import FormDep, FormState, attempt, form_values, submit
from engine.web.kit.render import gettext, redirect, render
from engine.web.kit.routing import PageUser, page_router

router = page_router()


def _require_operator(user: User) -> None:
    if not user.is_superuser:
        raise Forbidden("仅系统管理员可执行 / only an operator (superuser) may do this")


def _page(request: Request, session: Any, forms: dict[str, FormState], status: int = 200) -> Response:
    programmes = list(session.execute(select(ProgrammeRow.id, ProgrammeRow.name, ProgrammeRow.plan_type)
                                      .order_by(ProgrammeRow.id)))
    users = list(session.scalars(select(User).order_by(User.username).limit(500)))
    grants = list(session.execute(select(RoleGrant.programme_id, RoleGrant.role, User.username)
                                  .join(User, User.id == RoleGrant.user_id)
                                  .order_by(RoleGrant.programme_id, RoleGrant.role, User.username).limit(2000)))
    return render(request, "admin.html", {
        "programmes": programmes, "users": users, "grants": grants,
        "problems": request.app.state.load_problems,
        "forms": {k: forms.get(k, FormState()) for k in ("programme", "user", "role")}}, status=status)


@router.get("/admin")
def admin_page(request: Request, user: PageUser, session: SessionDep) -> Response:
    _require_operator(user)
    return _page(request, session, {})


@router.post("/admin/{what}")
def admin_action(request: Request, what: str, user: PageUser, engine: EngineDep, session: SessionDep,
                 form: FormDep) -> Response:
    _require_operator(user)
    data = form_values(form)
    data.pop("file", None)
    state = FormState(values={k: v for k, v in data.items() if k != "password"})
    done: Any = None
    if what == "programme":
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            state.add("file", "请选择 YAML 文件 / choose a programme YAML file")
        else:
            text = upload.file.read(2_000_000).decode("utf-8", errors="replace")
            done = submit(session, state, programme_routes.LoadIn, {"yaml": text, "filename": upload.filename},
                          lambda b: programme_routes.load_programme(b, engine, session, user))
    elif what == "user":
        data["superuser"] = data.get("superuser") == "yes"
        done = submit(session, state, auth_routes.UserIn, data,
                      lambda b: auth_routes.create_user(b, engine, session))
    elif what == "role":
        pid = str(data.pop("programme_id", ""))
        done = attempt(session, state, lambda: access_for(engine, session, user, pid))
        if done is not None:
            access = done
            done = submit(session, state, auth_routes.GrantIn, data,
                          lambda b: auth_routes.grant_role(b, access, engine, session))
    if done is None:
        return _page(request, session, {what: state}, status=422)
    session.commit()
    return redirect(request, "/admin", gettext(request, "Saved."))
