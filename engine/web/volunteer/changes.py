"""Taking oneself off a shift, or swapping it for another shift of the same post, from "My shifts",
where the programme allows it (``service.self_cancel_minutes_before``; the API's endpoints)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from engine.http.deps import Access, EngineDep, SessionDep
from engine.stages.service import routes as service_routes
from engine.stages.service.schemas import SwapIn
from engine.web.kit.forms import FormState, attempt
from engine.web.kit.render import gettext, redirect
from engine.web.kit.routing import PageAccess, page_router

router = page_router()


def _again(request: Request, access: Access, session: Session, state: FormState) -> Response:
    from engine.web.volunteer.shifts import shifts_page

    state.general.extend(m for msgs in state.errors.values() for m in msgs)  # no field on this page to put them by
    state.errors.clear()
    return shifts_page(request, access, session, state, status=422)


@router.post("/p/{programme_id}/me/shifts/{assignment_id}/cancel")
def cancel(request: Request, assignment_id: int, access: PageAccess, session: SessionDep) -> Response:
    state = FormState()
    done = attempt(session, state, lambda: service_routes.cancel_own_assignment(assignment_id, access, session))
    if done is None:
        return _again(request, access, session, state)
    return redirect(request, f"/p/{access.programme.id}/me/shifts", gettext(request, "You are off that shift."))


@router.post("/p/{programme_id}/me/shifts/{assignment_id}/swap")
def swap(request: Request, assignment_id: int, access: PageAccess, engine: EngineDep, session: SessionDep,
         shift_id: Annotated[int, Form(ge=1)]) -> Response:
    state = FormState(values={"shift_id": shift_id})
    done = attempt(session, state, lambda: service_routes.swap_own_assignment(
        assignment_id, SwapIn(shift_id=shift_id), access, engine, session))
    if done is None:
        return _again(request, access, session, state)
    return redirect(request, f"/p/{access.programme.id}/me/shifts", gettext(request, "Shift swapped."))
