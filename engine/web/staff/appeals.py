"""Appeals against ledger entries in the pages: the volunteer files one from their ledger and reads
the decision there; admins and coordinators decide them from the queue (the API's endpoints)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from starlette.responses import Response

from engine.http.deps import Access, SessionDep
from engine.stages.rewards import appeal_routes
from engine.stages.rewards import routes as rewards_routes
from engine.web.kit.forms import FormState, attempt
from engine.web.kit.i18n import N_
from engine.web.kit.render import gettext, redirect, render
from engine.web.kit.routing import PageAccess, page_router
from engine.web.nav import MANAGERS
from engine.web.volunteer.common import own_volunteer

router = page_router()
STATUSES = (N_("open"), N_("upheld"), N_("dismissed"))  # drawn translated


def ledger_page(request: Request, access: Access, session: Any, form: FormState, status: int = 200) -> Response:
    vol = own_volunteer(session, access)
    entries = rewards_routes.list_ledger(access, session, volunteer_id=vol.id if vol else None, limit=200,
                                         offset=0) if vol else []
    mine = appeal_routes.list_appeals(access, session, status=None) if vol else []
    return render(request, "volunteer/ledger.html", {"entries": entries, "volunteer": vol, "form": form,
                                                     "appeals": {a.entry_id: a for a in mine}}, status=status)


@router.post("/p/{programme_id}/rewards/ledger/{entry_id}/appeal")
def file_appeal(request: Request, entry_id: int, access: PageAccess, session: SessionDep,
                reason: Annotated[str, Form(max_length=1000)] = "") -> Response:
    state = FormState(values={"entry_id": entry_id, "reason": reason})
    body = None
    try:
        body = appeal_routes.AppealIn(reason=reason)
    except ValueError:
        state.add(f"reason-{entry_id}", gettext(request, "Say in a few words why (at least 5 characters)."))
    if body is None or attempt(session, state, lambda: appeal_routes.file_appeal(entry_id, body, access,
                                                                                 session)) is None:
        return ledger_page(request, access, session, state, status=422)
    return redirect(request, f"/p/{access.programme.id}/rewards/ledger", gettext(request, "Appeal filed."))


def _queue(request: Request, access: Access, session: Any, form: FormState, status: int = 200) -> Response:
    access.require(*MANAGERS, what="the appeals")
    rows = appeal_routes.list_appeals(access, session, status=None)
    return render(request, "staff/appeals.html", {"open": [a for a in rows if a.status == "open"],
                                                  "done": [a for a in rows if a.status != "open"][:50],
                                                  "form": form}, status=status)


@router.get("/p/{programme_id}/appeals")
def queue(request: Request, access: PageAccess, session: SessionDep) -> Response:
    return _queue(request, access, session, FormState())


@router.post("/p/{programme_id}/appeals/{appeal_id}/decide")
def decide(request: Request, appeal_id: int, access: PageAccess, session: SessionDep,
           decision: Annotated[str, Form(max_length=10)], note: Annotated[str, Form(max_length=1000)] = "") -> Response:
    state = FormState(values={"note": note})
    body = None
    try:
        body = appeal_routes.DecisionIn(decision=decision, note=note)  # type: ignore[arg-type]
    except ValueError:
        state.add(f"note-{appeal_id}", gettext(request, "Give the volunteer a reason (at least 2 characters)."))
    if body is None or attempt(session, state, lambda: appeal_routes.decide_appeal(appeal_id, body, access,
                                                                                   session)) is None:
        return _queue(request, access, session, state, status=422)
    return redirect(request, f"/p/{access.programme.id}/appeals", gettext(request, "Decided."))
