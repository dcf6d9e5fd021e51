"""The volunteer's own page, registration (real-name fields and consent), records download and
leaving a programme. Every action goes through the API's endpoint function for it."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from engine.errors import Forbidden
from engine.http.deps import Access, EngineDep, SessionDep
from engine.stages.records import routes as records_routes
from engine.stages.recruitment import applications as apps
from engine.stages.recruitment import routes as recruitment_routes
from engine.stages.recruitment.schemas import VolunteerIn
from engine.stages.recruitment.service import enrolment_of
from engine.stages.rewards import referral
from engine.stages.rewards import routes as rewards_routes
from engine.stages.rewards.models import Balance
from engine.store.base import utcnow
from engine.web.kit.forms import FormDep, FormState, attempt, form_values, parse
from engine.web.kit.render import gettext, redirect, render
from engine.web.kit.routing import PageAccess, page_router
from engine.web.volunteer.common import my_assignments, own_volunteer, posts_by_id

router = page_router()
LISTS = ("skills", "languages", "qualifications")


def progress(session: Session, access: Access, volunteer_id: int) -> dict[str, Any]:
    """Hours, level, what the next level needs, and balances: the API's own answers."""
    level = rewards_routes.volunteer_level(volunteer_id, access, session)
    balances = session.scalars(select(Balance).where(Balance.programme_id == access.programme.id,
                                                     Balance.volunteer_id == volunteer_id).order_by(Balance.unit))
    return {"level": level, "balances": list(balances)}


@router.get("/p/{programme_id}/me")
def my_page(request: Request, access: PageAccess, engine: EngineDep, session: SessionDep) -> Response:
    vol = own_volunteer(session, access)
    ctx: dict[str, Any] = {"volunteer": vol, "referrals": referral.offered(access.programme)}
    if vol is not None:
        ctx["enrolment"] = enrolment_of(session, access.programme.id, vol.id)
        ctx["upcoming"] = my_assignments(session, access, vol.id, upcoming_only=True, now=utcnow(), limit=5)
        rows, _ = apps.list_applications(session, access.programme.id, volunteer_id=vol.id, limit=20)
        posts = posts_by_id(session, access.programme.id)
        wf = access.programme.workflow(apps.WORKFLOW).definition
        ctx["applications"] = [{"app": a, "state": wf.state(s).title or s, "post": posts.get(a.post_id)}
                               for a, s in rows]
        ctx.update(progress(session, access, vol.id))
    return render(request, "volunteer/me.html", ctx)


@router.get("/p/{programme_id}/me/register")
def register_form(request: Request, access: PageAccess, session: SessionDep) -> Response:
    vol = own_volunteer(session, access)
    values = {"name": access.user.display_name} if vol is None else {"name": vol.name}
    return render(request, "volunteer/register.html", {"form": FormState(values=values), "volunteer": vol,
                                                       "referrals": referral.offered(access.programme)})


@router.post("/p/{programme_id}/me/register")
def register(request: Request, access: PageAccess, engine: EngineDep, session: SessionDep, form: FormDep) -> Response:
    data = form_values(form)
    for key in LISTS:  # typed as "急救, 驾驶" → a list
        if key in data:
            data[key] = [p.strip() for p in data[key].replace("，", ",").split(",") if p.strip()]
    consent = data.pop("consent", None) == "yes"
    data["consent"] = consent  # recorded with its time on the enrolment
    data["guardian_consent"] = data.get("guardian_consent") == "yes"
    for key in ("guardian_name", "guardian_relationship", "guardian_phone", "referred_by"):
        if not data.get(key):
            data.pop(key, None)
    state = FormState(values={k: ", ".join(v) if isinstance(v, list) else v for k, v in data.items()})
    if not consent:
        state.add("consent", gettext(request, "Please agree, or we cannot register you."))
    body = parse(VolunteerIn, data, state)
    reply = None
    if body is not None and state.ok:
        reply = attempt(session, state, lambda: recruitment_routes.register_me(body, access, engine, session,
                                                                               Response()))
    if reply is None:
        return render(request, "volunteer/register.html", {"form": state, "volunteer": None,
                                                           "referrals": referral.offered(access.programme)}, status=422)
    session.commit()
    notice = gettext(request, "You are registered.")
    for warning in reply.get("warnings", []):
        notice += "\n" + str(warning)
    return redirect(request, f"/p/{access.programme.id}/me", notice)


@router.get("/p/{programme_id}/me/records")
def my_records(request: Request, access: PageAccess, session: SessionDep) -> Response:
    records = records_routes.list_records(access, session, limit=1000, offset=0)
    vol = own_volunteer(session, access)
    totals = records_routes.totals_volunteer(vol.id, access, session) if vol else None
    return render(request, "volunteer/records.html", {"records": records, "totals": totals, "volunteer": vol})


@router.get("/p/{programme_id}/me/records/download")
def download_records(access: PageAccess, session: SessionDep, format: str = "csv") -> Response:
    """The API's portable export of the reader's own verified records (CSV or JSON)."""
    if format not in ("csv", "json"):
        format = "csv"
    if access.has(*records_routes.WRITERS):  # the export route reads "no volunteer_id" as "whose?" for staff
        vol = own_volunteer(session, access)
        if vol is None:
            raise Forbidden("你没有志愿者档案 / you have no volunteer profile")
        return records_routes.export(access, session, volunteer_id=vol.id, format=format)  # type: ignore[arg-type]
    return records_routes.export(access, session, volunteer_id=None, format=format)  # type: ignore[arg-type]


@router.get("/p/{programme_id}/me/leave")
def leave_form(request: Request, access: PageAccess) -> Response:
    return render(request, "volunteer/leave.html", {"form": FormState()})


@router.post("/p/{programme_id}/me/leave")
def leave(request: Request, access: PageAccess, engine: EngineDep, session: SessionDep) -> Response:
    from engine.stages.recruitment.leave import leave_programme

    state = FormState()
    done = attempt(session, state, lambda: leave_programme(session, access.programme, engine.host, access.user,
                                                           actor=access.actor))
    if done is None:
        return render(request, "volunteer/leave.html", {"form": state}, status=422)
    session.commit()
    return redirect(request, "/", gettext(request, "You have left the programme. Your records are kept."))
