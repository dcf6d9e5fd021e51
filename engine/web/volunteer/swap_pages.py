"""换班 Swaps with a colleague on the pages: on "My shifts" a volunteer asks a colleague (their volunteer
number and shift) to swap, sees the requests they are a party to and accepts, declines or withdraws;
on the roster, staff approve or refuse the accepted ones. Each form calls the API's swap endpoints
(:mod:`engine.stages.service.swap_routes`), so the workflow's roles and guards decide; a refusal
shows its reasons on the page again."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session
from starlette.responses import Response

from engine.http.deps import Access, EngineDep, SessionDep
from engine.stages.design.models import Post, Shift
from engine.stages.recruitment.models import Application, Volunteer
from engine.stages.service import swap_routes, swaps
from engine.stages.service.models import Assignment, SwapRequest
from engine.store.base import utcnow
from engine.store.models import WorkflowInstance
from engine.web.kit.forms import FormState, attempt
from engine.web.kit.render import gettext, redirect
from engine.web.kit.routing import PageAccess, page_router

router = page_router()
VOLUNTEER_TRIGGERS = ("accept", "decline", "withdraw")
STAFF_TRIGGERS = ("approve", "refuse")


def describe(session: Session, access: Access, rows: list[SwapRequest], me: int | None) -> list[dict[str, Any]]:
    """Requests as the pages show them: state (and its title from the workflow), both people's names
    and shifts, and the reader's part."""
    if not rows:
        return []
    programme_id = access.programme.id
    defs = access.programme.workflow(swaps.WORKFLOW).definition.states
    titles = {name: (d.title if d is not None and d.title else name) for name, d in defs.items()}
    states = {int(i.subject_id): i.state for i in session.scalars(select(WorkflowInstance).where(
        WorkflowInstance.programme_id == programme_id, WorkflowInstance.workflow == swaps.WORKFLOW,
        WorkflowInstance.subject_id.in_([str(r.id) for r in rows])))}
    seats = {a: (sh, post) for a, sh, post in session.execute(
        select(Assignment.id, Shift, Post.name).join(Shift, Shift.id == Assignment.shift_id)
        .join(Post, Post.id == Shift.post_id).where(
            Assignment.id.in_([i for r in rows for i in (r.assignment_id, r.other_assignment_id)])))}
    names = dict(session.execute(select(Volunteer.id, Volunteer.name).where(
        Volunteer.id.in_([i for r in rows for i in (r.proposer_id, r.counterparty_id)]))).all())
    return [{"id": r.id, "state": states.get(r.id), "state_title": titles.get(states.get(r.id) or "", ""), "note": r.note,
             "proposer": names.get(r.proposer_id), "counterparty": names.get(r.counterparty_id),
             "mine": seats[r.assignment_id], "theirs": seats[r.other_assignment_id],
             "role": "proposer" if me == r.proposer_id else "counterparty" if me == r.counterparty_id else None}
            for r in rows]


def for_volunteer(session: Session, access: Access, volunteer_id: int) -> dict[str, Any]:
    """What "My shifts" shows of swaps: the reader's requests (newest first) and the shifts they may ask for."""
    rows = list(session.scalars(select(SwapRequest).where(
        SwapRequest.programme_id == access.programme.id,
        or_(SwapRequest.proposer_id == volunteer_id, SwapRequest.counterparty_id == volunteer_id))
        .order_by(SwapRequest.id.desc()).limit(50)))
    agreed = select(Application.post_id).where(
        Application.programme_id == access.programme.id, Application.volunteer_id == volunteer_id)
    targets = session.execute(select(Shift, Post.name).join(Post, Post.id == Shift.post_id).where(
        Shift.programme_id == access.programme.id, Shift.post_id.in_(agreed), Shift.cancelled_at.is_(None),
        Shift.starts_at > utcnow()).order_by(Shift.starts_at).limit(200)).all()
    return {"swap_requests": describe(session, access, rows, volunteer_id), "swap_targets": targets}


def awaiting_approval(session: Session, access: Access) -> list[dict[str, Any]]:
    """Accepted requests waiting for staff (the roster page)."""
    rows = list(session.scalars(select(SwapRequest).join(WorkflowInstance, (
        WorkflowInstance.programme_id == access.programme.id) & (WorkflowInstance.workflow == swaps.WORKFLOW) & (
        WorkflowInstance.subject_id == cast(SwapRequest.id, String))).where(
        SwapRequest.programme_id == access.programme.id, WorkflowInstance.state == "accepted")
        .order_by(SwapRequest.id).limit(100)))
    return describe(session, access, rows, None)


def _shifts_again(request: Request, access: Access, session: Session, state: FormState) -> Response:
    from engine.web.volunteer.shifts import shifts_page

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
    from engine.web.staff.roster import roster_again

    state = FormState()
    if trigger not in STAFF_TRIGGERS:
        state.add(None, gettext(request, "Unknown action."))
    elif _fire(session, access, engine, swap_id, trigger, state) is not None:
        notice = gettext(request, "Swap approved: both shifts changed.") if trigger == "approve" \
            else gettext(request, "Swap refused.")
        return redirect(request, f"/p/{access.programme.id}/roster", notice)
    return roster_again(request, access, session, state)
