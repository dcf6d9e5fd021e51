"""Taking oneself off a shift, or swapping it for another shift of the same post, from "My shifts",
where the programme allows it (``service.self_cancel_minutes_before``; the API's endpoints)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Form, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from engine.http.deps import Access, EngineDep, SessionDep
from engine.stages.design.models import Shift
from engine.stages.service import routes as service_routes
from engine.stages.service.schemas import SwapIn
from engine.store.base import utcnow
from engine.web.kit.forms import FormState, attempt
from engine.web.kit.render import gettext, redirect
from engine.web.kit.routing import PageAccess, page_router

router = page_router()


def change_options(session: Session, access: Access, upcoming: list[tuple[Any, Shift, Any]]) -> dict[str, Any]:
    """Which of the reader's seats they may still change (by assignment id: the last moment), and the
    shifts of the same posts they could swap to (one query)."""
    minutes = access.programme.config.service.self_cancel_minutes_before
    if minutes is None:
        return {"self_change": False, "until": {}, "swaps": {}}
    now, margin = utcnow(), dt.timedelta(minutes=minutes)
    until = {a.id: s.starts_at - margin for a, s, _ in upcoming if a.status == "assigned" and s.starts_at - margin >= now}
    posts = {s.post_id for a, s, _ in upcoming if a.id in until}
    swaps: dict[int, list[Shift]] = {}
    if posts:
        for shift in session.scalars(select(Shift).where(
                Shift.programme_id == access.programme.id, Shift.post_id.in_(posts), Shift.cancelled_at.is_(None),
                Shift.starts_at > now + margin).order_by(Shift.starts_at).limit(200)):
            swaps.setdefault(shift.post_id, []).append(shift)
    return {"self_change": True, "until": until, "swaps": swaps}


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
