"""The roster board (who is where, gaps, overlap and rest warnings; assign, cancel) and the live
check-in board that refreshes itself (htmx polling a fragment) at shift start."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Form, Query, Request
from sqlalchemy import select
from starlette.responses import Response

from engine.http.deps import Access, EngineDep, SessionDep
from engine.stages.recruitment.models import Volunteer
from engine.stages.recruitment.service import programme_today
from engine.stages.recruitment.visibility import visible_here
from engine.stages.service import board
from engine.stages.service import routes as service_routes
from engine.stages.service.schemas import AssignIn, CheckinAtIn
from engine.stages.service.summary import summary
from engine.store.base import utcnow
from engine.web.kit.forms import FormState, attempt
from engine.web.kit.render import gettext, redirect, render
from engine.web.kit.routing import PageAccess, page_router
from engine.web.nav import STAFF

router = page_router()
LIVE_WINDOW = dt.timedelta(hours=3)


def _roster(request: Request, access: Access, session: Any, form: FormState, day_from: dt.date, days: int,
            status: int = 200) -> Response:
    access.require(*STAFF, what="the roster")
    shifts = summary(session, access.programme, date_from=day_from, date_to=day_from + dt.timedelta(days=days - 1))
    people = session.connection().execute(select(Volunteer.id, Volunteer.name, Volunteer.skills)
                             .where(visible_here(access.programme.id)).order_by(Volunteer.name)
                             .limit(1000)).all()
    from engine.web.volunteer.swap_data import awaiting_approval

    return render(request, "staff/roster.html", {
        "shifts": shifts, "people": people, "form": form, "day_from": day_from, "days": days,
        "swaps": awaiting_approval(session, access),
        "can_assign": access.has(*service_routes.ROSTER),
        "gaps": sum(s.gap for s in shifts), "warnings": sum(len(seat.warnings) for s in shifts for seat in s.seats),
    }, status=status)


def roster_again(request: Request, access: Access, session: Any, state: FormState) -> Response:
    """The roster again with the reasons an action was refused (422)."""
    return _roster(request, access, session, state, programme_today(access.programme), 14, status=422)


@router.get("/p/{programme_id}/roster")
def roster_page(request: Request, access: PageAccess, session: SessionDep,
                day: Annotated[dt.date | None, Query(alias="from")] = None,
                days: Annotated[int, Query(ge=1, le=62)] = 14) -> Response:
    return _roster(request, access, session, FormState(), day or programme_today(access.programme), days)


@router.post("/p/{programme_id}/roster/assign")
def assign(request: Request, access: PageAccess, engine: EngineDep, session: SessionDep,
           shift_id: Annotated[int, Form(ge=1)], volunteer_id: Annotated[int, Form(ge=1)]) -> Response:
    state = FormState(values={"shift_id": shift_id, "volunteer_id": volunteer_id})
    done = attempt(session, state, lambda: service_routes.assign(AssignIn(shift_id=shift_id, volunteer_id=volunteer_id),
                                                                 access, engine, session))
    if done is None:
        state.errors.setdefault("volunteer_id", []).extend(state.general)
        state.general.clear()
        return _roster(request, access, session, state, programme_today(access.programme), 14, status=422)
    return redirect(request, f"/p/{access.programme.id}/roster", gettext(request, "Rostered."))


@router.get("/p/{programme_id}/roster/shifts/{shift_id}")
def roster_shift(request: Request, shift_id: int, access: PageAccess, session: SessionDep) -> Response:
    access.require(*STAFF, what="the roster")
    found = board.shift_board(session, access.programme, shift_id)
    return render(request, "staff/roster_shift.html", {"s": found, "form": FormState()})


@router.post("/p/{programme_id}/roster/{assignment_id}/cancel")
def cancel(request: Request, assignment_id: int, access: PageAccess, session: SessionDep) -> Response:
    state = FormState()
    done = attempt(session, state, lambda: service_routes.cancel_assignment(assignment_id, access, session))
    if done is None:
        return _roster(request, access, session, state, programme_today(access.programme), 14, status=422)
    return redirect(request, f"/p/{access.programme.id}/roster", gettext(request, "Taken off the shift."))


def _live(session: Any, access: Access) -> dict[str, Any]:
    access.require(*service_routes.ON_SITE, what="the live board")
    now = utcnow()
    shifts = board.board(session, access.programme, date_from=programme_today(access.programme) - dt.timedelta(days=1),
                         date_to=programme_today(access.programme) + dt.timedelta(days=1),
                         starts_before=now + LIVE_WINDOW, ends_after=now)
    seats = [seat for s in shifts for seat in s.seats if seat.status == "assigned"]
    return {"shifts": shifts, "now": now, "in": sum(1 for s in seats if s.checked_in_at and not s.checked_out_at),
            "expected": len(seats), "out": sum(1 for s in seats if s.checked_out_at)}


@router.get("/p/{programme_id}/live")
def live(request: Request, access: PageAccess, session: SessionDep) -> Response:
    return render(request, "staff/live.html", {**_live(session, access), "form": FormState()})


@router.get("/p/{programme_id}/live/board")
def live_fragment(request: Request, access: PageAccess, session: SessionDep) -> Response:
    """The board alone, for htmx to swap in every few seconds."""
    return render(request, "staff/live_board.html", _live(session, access))


@router.post("/p/{programme_id}/live/{assignment_id}/{action}")
def live_action(request: Request, assignment_id: int, action: str, access: PageAccess, engine: EngineDep,
                session: SessionDep) -> Response:
    """Check someone in or out, or mark a no-show, from the board (the API's endpoints)."""
    state = FormState()
    if action == "in":
        fn: Any = lambda: service_routes.checkin_for(assignment_id, CheckinAtIn(), Response(), access, session)  # noqa: E731
    elif action == "out":
        from engine.stages.service.schemas import CheckoutIn

        fn = lambda: service_routes.checkout_for(assignment_id, CheckoutIn(), access, engine, session)  # noqa: E731
    else:
        fn = lambda: service_routes.no_show(assignment_id, access, session)  # noqa: E731
    done = attempt(session, state, fn)
    if request.headers.get("hx-request"):
        return render(request, "staff/live_board.html", {**_live(session, access), "form": state},
                      status=200 if done is not None else 422)
    if done is None:
        return render(request, "staff/live.html", {**_live(session, access), "form": state}, status=422)
    return redirect(request, f"/p/{access.programme.id}/live")
