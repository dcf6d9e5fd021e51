"""My shifts (place, time, the calendar feed), checking in and out by typing the shift's code or
scanning its QR code, and reporting hours served off-schedule."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from engine.errors import VolunteerEngineError
from engine.http.deps import SessionDep, access_for
from engine.stages.design.models import Post, Project
from engine.stages.service import burst
from engine.stages.service import routes as service_routes
from engine.stages.service.schemas import CodeIn, HourReportIn
from engine.store.base import utcnow
from engine.web.calendar import has_feed
from engine.web.kit.forms import FormDep, FormState, attempt, form_values, parse
from engine.web.kit.render import gettext, redirect, render
from engine.web.kit.routing import LoginRequired, PageAccess, get_viewer, page_access, page_router, session_token
from engine.web.volunteer.common import my_assignments, own_volunteer

router = page_router()


@router.get("/p/{programme_id}/me/shifts")
def my_shifts(request: Request, access: PageAccess, session: SessionDep) -> Response:
    return shifts_page(request, access, session, FormState())


def shifts_page(request: Request, access: Any, session: Any, form: FormState, status: int = 200) -> Response:
    from engine.web.volunteer.seat_changes import change_options
    from engine.web.volunteer.swap_data import for_volunteer

    vol = own_volunteer(session, access)
    rows = my_assignments(session, access, vol.id) if vol else []
    now = utcnow()
    upcoming = [r for r in rows if r[1].ends_at >= now]
    past = [r for r in rows if r[1].ends_at < now]
    return render(request, "volunteer/shifts.html", {
        "upcoming": upcoming, "past": past[::-1][:30], "volunteer": vol, "has_feed": has_feed(session, access),
        "form": form, **change_options(session, access, upcoming),
        **(for_volunteer(session, access, vol.id) if vol else {"swap_requests": [], "swap_targets": []})}, status=status)


@router.get("/p/{programme_id}/checkin")
def checkin_form(request: Request, access: PageAccess, code: str = "") -> Response:
    return render(request, "volunteer/checkin.html", {"form": FormState(values={"code": code[:32]})})


@router.post("/p/{programme_id}/checkin")
def checkin(request: Request, programme_id: str, form: FormDep) -> Response:
    """Check in through the burst path (its own short transaction, exactly the API's POST /checkin),
    or out through the API's check-out endpoint. No request-wide session here: on SQLite a second
    unit of work would wait for the first."""
    data = form_values(form)
    state = FormState(values={"code": data.get("code", "")})
    body = parse(CodeIn, {"code": data.get("code", "")}, state)
    if body is None:
        return _checkin_again(request, programme_id, state)
    engine = request.app.state.engine
    if data.get("action") == "out":
        with engine.session() as session:
            try:
                access = access_for(engine, session, _user(request, engine, session), programme_id)
                out = service_routes.checkout_by_code(body, access, engine, session)
            except VolunteerEngineError as exc:
                session.rollback()
                state.add("code", exc.message)
                out = None
        if out is None:
            return _checkin_again(request, programme_id, state)
        return redirect(request, f"/p/{programme_id}/me/shifts",
                        gettext(request, "Checked out: %(minutes)d minutes.") % {"minutes": out.minutes or 0})
    try:
        _row, created = burst.check_in(engine, programme_id, session_token(request), body.code)
    except VolunteerEngineError as exc:
        state.add("code", exc.message)
        return _checkin_again(request, programme_id, state)
    notice = gettext(request, "Checked in.") if created else gettext(request, "You were already checked in.")
    return redirect(request, f"/p/{programme_id}/me/shifts", notice)


def _user(request: Request, engine: Any, session: Any) -> Any:
    token = session_token(request)
    if not token:
        raise LoginRequired
    return engine.auth.user_for_token(session, token)


def _checkin_again(request: Request, programme_id: str, state: FormState) -> Response:
    """The form again, with the reason by the code field (a fresh unit of work for the page)."""
    engine = request.app.state.engine
    with engine.session() as session:
        get_viewer(request, engine, session)
        page_access(programme_id, request, engine, session, _user(request, engine, session))
        return render(request, "volunteer/checkin.html", {"form": state}, status=422)


@router.get("/p/{programme_id}/scan")
def scan(request: Request, access: PageAccess) -> Response:
    return render(request, "volunteer/scan.html", {"form": FormState()})


@router.get("/p/{programme_id}/me/hours")
def hours_form(request: Request, access: PageAccess, session: SessionDep) -> Response:
    mine = service_routes.list_hour_reports(access, session, limit=50, offset=0) if own_volunteer(session, access) else []
    return render(request, "volunteer/hours.html", {"form": FormState(), "reports": mine, **_choices(session, access)})


def _choices(session: Any, access: Any) -> dict[str, Any]:
    from sqlalchemy import select

    rows = session.execute(select(Post.id, Post.name, Project.name).join(Project, Project.id == Post.project_id)
                           .where(Post.programme_id == access.programme.id).order_by(Project.id, Post.id))
    return {"posts": [(pid, f"{proj} · {name}") for pid, name, proj in rows]}


@router.post("/p/{programme_id}/me/hours")
def report_hours(request: Request, access: PageAccess, session: SessionDep, form: FormDep) -> Response:
    data = form_values(form)
    state = FormState(values=dict(data))
    body = parse(HourReportIn, data, state)
    done = None
    if body is not None:
        done = attempt(session, state, lambda: service_routes.report_hours(body, access, session))
    if done is None:
        mine = service_routes.list_hour_reports(access, session, limit=50, offset=0) \
            if own_volunteer(session, access) else []
        return render(request, "volunteer/hours.html", {"form": state, "reports": mine, **_choices(session, access)},
                      status=422)
    return redirect(request, f"/p/{access.programme.id}/me/hours",
                    gettext(request, "Reported. The hours count once a coordinator approves them."))
