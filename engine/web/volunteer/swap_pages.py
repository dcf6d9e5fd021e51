"""换班 Swaps with a colleague on the pages: on "My shifts" a volunteer asks a colleague (their volunteer
number and shift) to swap, sees the requests they are a party to and accepts, declines or withdraws;
on the roster, staff approve or refuse the accepted ones. Each form calls the API's swap endpoints
(:mod:`engine.stages.service.swap_routes`), so the workflow's roles and guards decide; a refusal
shows its reasons on the page again."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from engine.http.deps import Access, EngineDep, SessionDep
from engine.stages.service import swap_routes
from engine.web.kit.forms import FormState, attempt
from engine.web.kit.render import gettext, redirect
from engine.web.kit.routing import PageAccess, page_router
from engine.web.staff.roster import roster_again
from engine.web.volunteer.shifts import shifts_page

router = page_router()
VOLUNTEER_TRIGGERS = ("accept", "decline", "withdraw")
STAFF_TRIGGERS = ("approve", "refuse")


def _shifts_again(request: Request, access: Access, session: Session, state: FormState) -> Response:
    state.general.extend(m for msgs in state.errors.values() for m in msgs)
    state.errors.clear()
    return shifts_page(request, access, session, state, status=422)


@router.post("/p/{programme_id}/me/shifts/{assignment_id}/swap-request")
def ask(request: Request, assignment_id: int, access: PageAccess, engine: EngineDep, session: SessionDep,
        shift_id: Annotated[int, Form(ge=1)], with_volunteer_id: Annotated[int, Form(ge=1)],
        note: Annotated[str, Form(max_length=500)] = "") -> Response:
    state = FormState(values={"shift_id": shift_id, "with_volunteer_id": with_volunteer_id, "note": note})
    body = swap_routes.SwapProposeIn(shift_id=shift_id, with_volunteer_id=with_volunteer_id, note=note or None)
    done = attempt(session, state, lambda: swap_routes.propose(assignment_id, body, access, engine, session))
    if done is None:
        return _shifts_again(request, access, session, state)
    return redirect(request, f"/p/{access.programme.id}/me/shifts",
                    gettext(request, "Swap requested. Your colleague answers, then a coordinator approves."))


def _fire(session: Session, access: Access, engine: Any, swap_id: int, trigger: str, state: FormState) -> Any:
    return attempt(session, state, lambda: swap_routes.fire(
        swap_id, swap_routes.SwapFireIn(trigger=trigger), access, engine, session))


@router.post("/p/{programme_id}/me/swaps/{swap_id}/{trigger}")
def answer(request: Request, swap_id: int, trigger: str, access: PageAccess, engine: EngineDep,
           session: SessionDep) -> Response:
    state = FormState()
    if trigger not in VOLUNTEER_TRIGGERS:
        state.add(None, gettext(request, "Unknown action."))
    elif _fire(session, access, engine, swap_id, trigger, state) is not None:
        return redirect(request, f"/p/{access.programme.id}/me/shifts", gettext(request, "Swap request updated."))
    return _shifts_again(request, access, session, state)


@router.post("/p/{programme_id}/roster/swaps/{swap_id}/{trigger}")
def decide(request: Request, swap_id: int, trigger: str, access: PageAccess, engine: EngineDep,
           session: SessionDep) -> Response:
    state = FormState()
    if trigger not in STAFF_TRIGGERS:
        state.add(None, gettext(request, "Unknown action."))
    elif _fire(session, access, engine, swap_id, trigger, state) is not None:
        notice = gettext(request, "Swap approved: both shifts changed.") if trigger == "approve" \
            else gettext(request, "Swap refused.")
        return redirect(request, f"/p/{access.programme.id}/roster", notice)
    return roster_again(request, access, session, state)
