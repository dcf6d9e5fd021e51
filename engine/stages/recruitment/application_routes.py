"""HTTP routes for applications and agreements (included in the recruitment router).

Roles: staff roles per the ``application`` workflow YAML (screen/offer/activate/reject: admin,
coordinator; interview: also team_leader); a volunteer applies for themself and fires only on
their own application (agree, withdraw); supervisors and team leaders read.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from engine.errors import Forbidden, GuardsFailed
from engine.http.deps import Access, AccessDep, EngineDep, SessionDep
from engine.inputs import Id, Offset
from engine.stages.recruitment import applications as apps
from engine.stages.recruitment.access import STAFF, is_reader, my_volunteer
from engine.stages.recruitment.models import Application
from engine.stages.recruitment.schemas import AgreementIn, ApplicationIn, FireIn, agreement_out
from engine.stages.recruitment.service import enrolled_volunteer, own_volunteer

router = APIRouter(tags=["recruitment"])


def _own(session: Any, access: Access, app: Application) -> bool:
    mine = own_volunteer(session, access.user.id)
    return mine is not None and mine.id == app.volunteer_id


def _visible(session: Any, access: Access, application_id: Id) -> tuple[Application, bool]:
    app = apps.get_application(session, access.programme.id, application_id)
    own = _own(session, access, app)
    if not own and not is_reader(access):
        raise Forbidden(f"只能查看自己的报名 / you may see only your own applications (application {application_id})")
    return app, own


@router.post("/applications", status_code=201)
def apply(body: ApplicationIn, access: AccessDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """Apply to a post: for yourself (volunteer), or for ``volunteer_id`` (admin, coordinator).
    422 with ``reasons`` when not eligible; 409 when already applied."""
    mine = own_volunteer(session, access.user.id)
    if body.volunteer_id is None or (mine is not None and body.volunteer_id == mine.id):
        access.require("volunteer", *STAFF, what="applying")
        vol = my_volunteer(session, access)
    else:
        access.require(*STAFF, what="applying for someone else")
        vol = enrolled_volunteer(session, access.programme.id, body.volunteer_id)
    app, _inst, reminders = apps.apply(session, access.programme, engine.host, vol, body.post_id, note=body.note,
                                       actor=access.actor)
    view = apps.application_view(session, access.programme, engine.host, app, actor=access.actor,
                                 roles=access.roles, own=vol.user_id == access.user.id)
    return {**view, "eligible": True, "reasons": [], "reminders": reminders}


@router.get("/applications")
def list_applications(access: AccessDep, session: SessionDep, post_id: Id | None = None,
                      state: str | None = Query(None, max_length=63), volunteer_id: Id | None = None,
                      limit: int = Query(100, ge=1, le=500), offset: Offset = 0) -> dict[str, Any]:
    """Applications filtered by post and state (staff, team leaders, supervisors); volunteers get their own."""
    if not is_reader(access):
        access.require("volunteer", what="applications")
        volunteer_id = my_volunteer(session, access).id
    rows, total = apps.list_applications(session, access.programme.id, post_id=post_id, state=state,
                                         volunteer_id=volunteer_id, limit=limit, offset=offset)
    return {"total": total, "items": [apps.application_row(a, s) for a, s in rows]}


@router.get("/applications/{application_id}")
def show_application(application_id: Id, access: AccessDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """One application: state, the triggers you can fire now, and the blocked ones with reasons."""
    app, own = _visible(session, access, application_id)
    return apps.application_view(session, access.programme, engine.host, app, actor=access.actor,
                                 roles=access.roles, own=own)


@router.post("/applications/{application_id}/fire")
def fire(application_id: Id, body: FireIn, access: AccessDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """Fire a trigger (screen, interview, offer, agree, activate, reject, withdraw). 403: your roles
    may not; 409: wrong state or stale version; 422: guards refuse (logged, reasons listed)."""
    app, own = _visible(session, access, application_id)
    result = apps.fire(session, access.programme, engine.host, app, body.trigger, actor=access.actor,
                       roles=access.roles, own=own, expected_version=body.expected_version, payload=body.payload)
    if not result.ok:
        session.commit()  # keep the refusal in the transition log
        raise GuardsFailed(body.trigger, result.reasons)
    return apps.application_view(session, access.programme, engine.host, app, actor=access.actor,
                                 roles=access.roles, own=own)


@router.post("/agreements", status_code=201)
def record_agreement(body: AgreementIn, access: AccessDep, session: SessionDep) -> dict[str, Any]:
    """Record a signed 志愿服务协议书 for an offered application (admin, coordinator)."""
    access.require(*STAFF, what="recording agreements")
    app = apps.get_application(session, access.programme.id, body.application_id)
    row = apps.record_agreement(session, access.programme, app, signed_on=body.signed_on, title=body.title,
                                guardian_name=body.guardian_name, actor=access.actor)
    return agreement_out(row)

