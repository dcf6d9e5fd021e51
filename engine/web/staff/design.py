"""Projects, posts, one-off and recurring shifts (the design stage's endpoints), and each shift's
check-in sign: its code and a QR code that opens the check-in page with the code filled in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import segno
from fastapi import Request
from markupsafe import Markup
from starlette.responses import Response

from engine.http.deps import Access, EngineDep, SessionDep
from engine.stages.design import routes as design_routes
from engine.stages.design.schemas import KIND_TITLES, PostIn, ProjectIn, RecurringShiftsIn, ShiftIn
from engine.web.kit.forms import FormDep, FormState, form_values, submit
from engine.web.kit.render import gettext, redirect, render
from engine.web.kit.routing import PageAccess, page_router

router = page_router()
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _page(request: Request, access: Access, session: Any, forms: dict[str, FormState], status: int = 200) -> Response:
    projects = design_routes.list_projects(access, session)
    posts = design_routes.list_posts(access, session)
    return render(request, "staff/design.html", {
        "projects": projects, "posts": posts, "kinds": list(KIND_TITLES.items()), "weekdays": WEEKDAYS,
        "project_choices": [(p.id, p.name) for p in projects],
        "post_choices": [(p.id, p.name) for p in posts],
        "forms": {k: forms.get(k, FormState()) for k in ("project", "post", "shift", "series")},
        "can_design": access.has(*design_routes.DESIGNERS)}, status=status)


@router.get("/p/{programme_id}/design")
def design_page(request: Request, access: PageAccess, session: SessionDep) -> Response:
    return _page(request, access, session, {})


def _lists(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    for key in keys:
        if isinstance(data.get(key), str):
            data[key] = [p.strip() for p in data[key].replace("，", ",").split(",") if p.strip()]
    return data


@router.post("/p/{programme_id}/design/{what}")
def create(request: Request, what: str, access: PageAccess, engine: EngineDep, session: SessionDep,
           form: FormDep) -> Response:
    data = form_values(form, lists=("need_ids", "weekdays"))
    state = FormState(values={k: ", ".join(map(str, v)) if isinstance(v, list) else v for k, v in data.items()})
    done: Any = None
    if what == "project":
        done = submit(session, state, ProjectIn, data, lambda b: design_routes.create_project(b, access, session))
    elif what == "post":
        pid = data.pop("project_id", "0")
        _lists(data, "skills", "languages", "qualifications", "required_courses")
        done = submit(session, state, PostIn, data,
                      lambda b: design_routes.create_post(int(pid) if str(pid).isdigit() else 0, b, access, session))
    elif what == "shift":
        post_id = data.pop("post_id", "0")
        done = submit(session, state, ShiftIn, data,
                      lambda b: design_routes.create_shift(int(post_id) if str(post_id).isdigit() else 0, b, access,
                                                           session))
    elif what == "series":
        post_id = data.pop("post_id", "0")
        _lists(data, "skip_dates")
        done = submit(session, state, RecurringShiftsIn, data,
                      lambda b: design_routes.create_recurring_shifts(int(post_id) if str(post_id).isdigit() else 0, b,
                                                                      access, session))
    else:
        state.add(None, "unknown form")
    if done is None:
        return _page(request, access, session, {what: state}, status=422)
    session.commit()
    return redirect(request, f"/p/{access.programme.id}/design", gettext(request, "Saved."))


@router.get("/p/{programme_id}/design/shifts/{shift_id}")
def shift_sign(request: Request, shift_id: int, access: PageAccess, session: SessionDep) -> Response:
    """The sign to print for the post: the shift, its code, a QR code of the check-in address."""
    shift = design_routes.show_shift(shift_id, access, session)
    if shift.checkin_code is None:  # the API shows the code only to the roles who put up the sign
        access.require("admin", "coordinator", "team_leader", what="the shift's check-in code")
    url = str(request.base_url).rstrip("/") + f"/p/{access.programme.id}/checkin?code={shift.checkin_code}"
    qr = segno.make(url, error="m").svg_inline(scale=4, title=gettext(request, "QR code for checking in"))
    return render(request, "staff/shift_sign.html", {"shift": shift, "qr": Markup(qr), "url": url,
                                                     "day": dt.date.today()})
