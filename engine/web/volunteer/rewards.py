"""The catalogue and redeeming, my redemptions (cancel while the workflow allows), my ledger; and
for admin/coordinator the redemption queue (approve, fulfil). All through the API's endpoints."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from starlette.responses import Response

from engine.http.deps import EngineDep, SessionDep
from engine.stages.rewards import routes as rewards_routes
from engine.stages.rewards.schemas import FireIn, RedeemIn
from engine.web.kit.forms import FormState, attempt
from engine.web.kit.render import gettext, redirect, render
from engine.web.kit.routing import PageAccess, page_router
from engine.web.volunteer.common import own_volunteer

router = page_router()


def _catalogue(request: Request, access: Any, engine: Any, session: Any, form: FormState, status: int = 200) -> Response:
    vol = own_volunteer(session, access)
    items = rewards_routes.list_items(access, session)
    balances = rewards_routes.my_balances(access, session) if vol else []
    mine = rewards_routes.list_redemptions(access, session, volunteer_id=vol.id, limit=20, offset=0) if vol else []
    return render(request, "volunteer/rewards.html", {"items": items, "balances": balances, "mine": mine,
                                                      "volunteer": vol, "form": form}, status=status)


@router.get("/p/{programme_id}/rewards")
def catalogue(request: Request, access: PageAccess, engine: EngineDep, session: SessionDep) -> Response:
    return _catalogue(request, access, engine, session, FormState())


@router.post("/p/{programme_id}/rewards/redeem")
def redeem(request: Request, access: PageAccess, engine: EngineDep, session: SessionDep,
           item_id: Annotated[int, Form(ge=1)]) -> Response:
    state = FormState()
    done = attempt(session, state, lambda: rewards_routes.redeem(RedeemIn(item_id=item_id), access, engine, session))
    if done is None:
        return _catalogue(request, access, engine, session, state, status=422)
    return redirect(request, f"/p/{access.programme.id}/rewards",
                    gettext(request, "Redeemed: %(item)s. The points are held until it is handed over.")
                    % {"item": done.item_title})


@router.post("/p/{programme_id}/rewards/redemptions/{redemption_id}/fire")
def fire_redemption(request: Request, redemption_id: int, access: PageAccess, engine: EngineDep,
                    session: SessionDep, trigger: Annotated[str, Form(min_length=1, max_length=63)],
                    version: Annotated[int | None, Form(ge=1)] = None) -> Response:
    state = FormState()
    body = FireIn(trigger=trigger, expected_version=version)
    done = attempt(session, state, lambda: rewards_routes.fire_redemption(redemption_id, body, access, engine,
                                                                         session))
    staff = access.has(*rewards_routes.MANAGERS)
    if done is None:
        if staff:
            return _queue(request, access, session, state, status=422)
        return _catalogue(request, access, engine, session, state, status=422)
    back = "rewards/redemptions" if staff and request.query_params.get("from") == "queue" else "rewards"
    return redirect(request, f"/p/{access.programme.id}/{back}", gettext(request, "Done: ") + (done.state or ""))


def _queue(request: Request, access: Any, session: Any, form: FormState, status: int = 200,
           state: str | None = None) -> Response:
    access.require(*rewards_routes.MANAGERS, what="the redemption queue")
    rows = rewards_routes.list_redemptions(access, session, volunteer_id=None, limit=200, offset=0)
    if state:
        rows = [r for r in rows if r.state == state]
    wf = access.programme.workflow("redemption").definition
    return render(request, "staff/redemptions.html", {"rows": rows, "form": form, "workflow": wf}, status=status)


@router.get("/p/{programme_id}/rewards/redemptions")
def redemption_queue(request: Request, access: PageAccess, session: SessionDep, state: str | None = None) -> Response:
    return _queue(request, access, session, FormState(), state=state)


@router.get("/p/{programme_id}/rewards/ledger")
def my_ledger(request: Request, access: PageAccess, session: SessionDep) -> Response:
    from engine.web.staff.appeals import ledger_page

    return ledger_page(request, access, session, FormState())
