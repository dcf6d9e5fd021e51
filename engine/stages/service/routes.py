"""HTTP routes of the service stage (under /api/v1/programmes/{programme_id}/…).

Roles: rostering (assign, cancel, substitute) — admin, coordinator; on-site work (check a
volunteer in or out, mark a no-show) — also team_leader; the volunteer checks in and out with
the shift's code; incidents are reported by anyone on duty and escalated or resolved by
team_leader and up. A refused request changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from engine.errors import Forbidden
from engine.http.deps import Access, AccessDep, EngineDep, ProgrammeId, SessionDep, oauth2
from engine.inputs import Id, Offset
from engine.stages.records.routes import committed, own_volunteer_id
from engine.stages.service import burst, checkin, hours, incidents, own, roster
from engine.stages.service.models import Checkin, Incident
from engine.stages.service.schemas import (
    ApproveIn,
    AssignIn,
    AssignmentOut,
    CheckinAtIn,
    CheckinOut,
    CheckoutIn,
    CodeIn,
    ConfirmIn,
    EscalateIn,
    HourReportIn,
    HourReportOut,
    IncidentIn,
    IncidentOut,
    RejectIn,
    ResolveIn,
    SubstituteIn,
    SwapIn,
    UnconfirmedOut,
)
from engine.store.base import utcnow
from engine.timeutil import aware

router = APIRouter(prefix="/programmes/{programme_id}", tags=["service"])

ROSTER = ("admin", "coordinator")
ON_SITE = ("admin", "coordinator", "team_leader")
STAFF = ("admin", "coordinator", "supervisor", "team_leader")
LEADERS = ("admin", "coordinator", "team_leader")


def _local(access: Access, value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else aware(value, access.programme.config.timezone)


def _checkin_reply(response: Response, row: tuple[Checkin, bool]) -> CheckinOut:
    """201 when this request wrote the row, 200 when it found it (a retry)."""
    ci, created = row
    response.status_code = 201 if created else 200
    return CheckinOut.of(ci)


# ------------------------------------------------------------------ the burst path (first: routes match in order)
@router.post("/checkin", response_model=CheckinOut, status_code=201)
def checkin_by_code(programme_id: ProgrammeId, body: CodeIn, request: Request,
                    token: Annotated[str | None, Depends(oauth2)]) -> JSONResponse:
    """The logged-in volunteer checks in with the shift's code (QR payload): 201 new, 200 repeat.

    Being rostered on that shift is the authorisation (no role beyond membership). This is the
    burst path, so it runs in one unit of work of its own (engine/stages/service/burst.py) rather
    than through ``AccessDep``/``SessionDep``; the same checks apply and refusals are theirs.
    """
    ci, created = burst.check_in(request.app.state.engine, programme_id, token, body.code)
    # a ready response: FastAPI skips re-validating it against response_model (kept for the docs)
    return JSONResponse(CheckinOut.of(ci).model_dump(mode="json"), status_code=201 if created else 200)


# ------------------------------------------------------------------ assignments
@router.post("/assignments", response_model=AssignmentOut, status_code=201)
def assign(body: AssignIn, access: AccessDep, engine: EngineDep, session: SessionDep) -> AssignmentOut:
    """Roster a volunteer on a shift; 422 lists every reason it is refused."""
    access.require(*ROSTER, what="rostering volunteers")
    a = roster.assign(session, access.programme, engine.host, body.shift_id, body.volunteer_id, actor=access.actor)
    return committed(session, AssignmentOut.of(a))


@router.get("/assignments", response_model=list[AssignmentOut])
def list_assignments(access: AccessDep, session: SessionDep, shift_id: Id | None = None,
                     volunteer_id: Id | None = None, status: str | None = None,
                     limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                     offset: Offset = 0) -> list[AssignmentOut]:
    """Assignments (staff: all; a volunteer: their own)."""
    if not access.has(*STAFF):
        own = own_volunteer_id(session, access)
        if own is None or (volunteer_id is not None and volunteer_id != own):
            raise Forbidden("只能查看本人的排班 / you may only see your own assignments")
        volunteer_id = own
    rows = roster.list_assignments(session, access.programme, shift_id=shift_id, volunteer_id=volunteer_id,
                                   status=status, limit=limit, offset=offset)
    return [AssignmentOut.of(a) for a in rows]


@router.delete("/assignments/{assignment_id}", response_model=AssignmentOut)
def cancel_assignment(assignment_id: Id, access: AccessDep, session: SessionDep) -> AssignmentOut:
    """Cancel an assignment before it is served (frees the place)."""
    access.require(*ROSTER, what="cancelling assignments")
    a = roster.cancel(session, access.programme, assignment_id, actor=access.actor)
    return committed(session, AssignmentOut.of(a))


def _own_id(session: Session, access: Access) -> int:
    vid = own_volunteer_id(session, access)
    if vid is None:
        raise Forbidden("你还没有志愿者档案 / you have no volunteer profile here")
    return vid


@router.post("/me/assignments/{assignment_id}/cancel", response_model=AssignmentOut)
def cancel_own_assignment(assignment_id: Id, access: AccessDep, session: SessionDep) -> AssignmentOut:
    """The volunteer takes themselves off a shift, until ``service.self_cancel_minutes_before`` the start."""
    a = own.cancel_own(session, access.programme, assignment_id, _own_id(session, access), actor=access.actor)
    return committed(session, AssignmentOut.of(a))


@router.post("/me/assignments/{assignment_id}/swap", response_model=AssignmentOut)
def swap_own_assignment(assignment_id: Id, body: SwapIn, access: AccessDep, engine: EngineDep,
                        session: SessionDep) -> AssignmentOut:
    """The volunteer moves to another shift of the same post (all rostering checks; all or nothing)."""
    a = own.swap_own(session, access.programme, engine.host, assignment_id, _own_id(session, access), body.shift_id,
                     actor=access.actor)
    return committed(session, AssignmentOut.of(a))


@router.post("/assignments/{assignment_id}/no-show", response_model=AssignmentOut)
def no_show(assignment_id: Id, access: AccessDep, session: SessionDep) -> AssignmentOut:
    access.require(*ON_SITE, what="recording a no-show")
    a = roster.mark_no_show(session, access.programme, assignment_id, actor=access.actor)
    return committed(session, AssignmentOut.of(a))


@router.post("/assignments/{assignment_id}/substitute", response_model=AssignmentOut, status_code=201)
def substitute(assignment_id: Id, body: SubstituteIn, access: AccessDep, engine: EngineDep,
               session: SessionDep) -> AssignmentOut:
    """Roster a substitute in the place of a no-show or cancelled assignment (points back to it)."""
    access.require(*ROSTER, what="rostering a substitute")
    a = roster.substitute(session, access.programme, engine.host, assignment_id, body.volunteer_id,
                          actor=access.actor)
    return committed(session, AssignmentOut.of(a))


# ------------------------------------------------------------------ check-in / check-out
@router.post("/assignments/{assignment_id}/checkin", response_model=CheckinOut, status_code=201)
def checkin_for(assignment_id: Id, body: CheckinAtIn, response: Response, access: AccessDep,
                session: SessionDep) -> CheckinOut:
    """A coordinator or team leader checks a rostered volunteer in (201 new, 200 repeat)."""
    access.require(*ON_SITE, what="checking volunteers in")
    row = checkin.check_in(session, access.programme, assignment_id, actor=access.actor, at=_local(access, body.at))
    return committed(session, _checkin_reply(response, row))


@router.post("/assignments/{assignment_id}/checkout", response_model=CheckinOut)
def checkout_for(assignment_id: Id, body: CheckoutIn, access: AccessDep, engine: EngineDep,
                 session: SessionDep) -> CheckinOut:
    """Check a volunteer out; writes the unverified service record once."""
    access.require(*ON_SITE, what="checking volunteers out")
    row = checkin.check_out(session, access.programme, engine.host, assignment_id, actor=access.actor,
                            at=_local(access, body.at), rating=body.rating, content=body.content)
    return committed(session, CheckinOut.of(row[0]))


@router.post("/checkout", response_model=CheckinOut)
def checkout_by_code(body: CodeIn, access: AccessDep, engine: EngineDep, session: SessionDep) -> CheckinOut:
    """The logged-in volunteer checks out with the shift's code."""
    row = checkin.check_out_by_code(session, access.programme, engine.host, access.user.id, body.code,
                                    actor=access.actor)
    return committed(session, CheckinOut.of(row[0]))


@router.get("/checkins/unconfirmed", response_model=list[UnconfirmedOut])
def list_unconfirmed(access: AccessDep, session: SessionDep) -> list[UnconfirmedOut]:
    """Automatic check-outs waiting for a coordinator; they count for nothing until confirmed."""
    access.require(*ON_SITE, what="automatic check-outs")
    out = []
    for ci, (vid, name, sid, s0, s1) in checkin.unconfirmed(session, access.programme):
        out.append(UnconfirmedOut(**CheckinOut.of(ci).model_dump(), volunteer_id=vid, volunteer_name=name,
                                  shift_id=sid, shift_starts_at=s0, shift_ends_at=s1))
    return out


@router.post("/checkins/{checkin_id}/confirm", response_model=CheckinOut)
def confirm_checkin(checkin_id: Id, body: ConfirmIn, access: AccessDep, engine: EngineDep,
                    session: SessionDep) -> CheckinOut:
    """Confirm an automatic check-out, optionally correcting the time; writes the record."""
    access.require("admin", "coordinator", what="confirming automatic check-outs")
    ci = checkin.confirm(session, access.programme, engine.host, checkin_id, actor=access.actor,
                         checked_out_at=_local(access, body.checked_out_at))
    return committed(session, CheckinOut.of(ci))


@router.post("/service/sweep")
def sweep(access: AccessDep, session: SessionDep) -> dict[str, list[int]]:
    """Close check-outs forgotten past service.auto_close_after_minutes (flagged, not counted)."""
    access.require("admin", "coordinator", what="closing forgotten check-outs")
    return committed(session, {"closed": checkin.close_forgotten_checkouts(session, access.programme, utcnow())})


# ------------------------------------------------------------------ hour reports
def _require_own_volunteer(session: Session, access: Access) -> int:
    vid = own_volunteer_id(session, access)
    if vid is None:
        raise Forbidden("你的账号没有关联志愿者档案 / your account has no volunteer profile")
    return vid


@router.post("/hour-reports", response_model=HourReportOut, status_code=201)
def report_hours(body: HourReportIn, access: AccessDep, session: SessionDep) -> HourReportOut:
    """A volunteer reports hours served off-schedule; they count only once approved."""
    vol = roster.get_volunteer(session, _require_own_volunteer(session, access))
    start, end = _local(access, body.started_at), _local(access, body.ended_at)
    assert start is not None and end is not None
    rep = hours.report_hours(session, access.programme, vol, started_at=start, ended_at=end, content=body.content,
                             project_id=body.project_id, post_id=body.post_id, actor=access.actor)
    return committed(session, HourReportOut.of(rep))


@router.get("/hour-reports", response_model=list[HourReportOut])
def list_hour_reports(access: AccessDep, session: SessionDep, status: str | None = None,
                      volunteer_id: Id | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                      offset: Offset = 0) -> list[HourReportOut]:
    if not access.has(*STAFF):
        volunteer_id = _require_own_volunteer(session, access)
    rows = hours.list_reports(session, access.programme, volunteer_id=volunteer_id, status=status, limit=limit,
                              offset=offset)
    return [HourReportOut.of(r) for r in rows]


@router.post("/hour-reports/{report_id}/approve", response_model=HourReportOut)
def approve_hours(report_id: Id, body: ApproveIn, access: AccessDep, engine: EngineDep,
                  session: SessionDep) -> HourReportOut:
    access.require("admin", "coordinator", what="approving hour reports")
    rep = hours.approve(session, access.programme, engine.host, report_id, actor=access.actor,
                        category=body.category, note=body.note)
    return committed(session, HourReportOut.of(rep))


@router.post("/hour-reports/{report_id}/reject", response_model=HourReportOut)
def reject_hours(report_id: Id, body: RejectIn, access: AccessDep, session: SessionDep) -> HourReportOut:
    access.require("admin", "coordinator", what="rejecting hour reports")
    rep = hours.reject(session, access.programme, report_id, actor=access.actor, note=body.note)
    return committed(session, HourReportOut.of(rep))


# ------------------------------------------------------------------ incidents
def _incident_out(session: Session, inc: Incident) -> IncidentOut:
    return IncidentOut.of(inc, [incidents.event_view(e) for e in incidents.events(session, inc.id)])


@router.post("/incidents", response_model=IncidentOut, status_code=201)
def report_incident(body: IncidentIn, access: AccessDep, session: SessionDep) -> IncidentOut:
    """Report an incident: staff at any time, a volunteer while on duty (checked in or on a running shift)."""
    if not access.has(*STAFF) and not incidents.on_duty(session, access.programme, own_volunteer_id(session, access),
                                                        utcnow()):
        raise Forbidden("只有在岗人员可以报告现场事件 / only people on duty (checked in, or rostered on a running shift) "
                        "may report an incident")
    inc = incidents.report(session, access.programme, category=body.category, description=body.description,
                           level=body.level, shift_id=body.shift_id, actor=access.actor)
    return committed(session, _incident_out(session, inc))


@router.get("/incidents", response_model=list[IncidentOut])
def list_incidents(access: AccessDep, session: SessionDep, status: str | None = None,
                   level: str | None = None) -> list[IncidentOut]:
    """Incidents (staff: all; others: those they reported)."""
    mine = None if access.has(*STAFF) else access.actor
    rows = incidents.list_incidents(session, access.programme, status=status, level=level, reported_by=mine)
    return [IncidentOut.of(i) for i in rows]


@router.get("/incidents/open")
def open_incidents(access: AccessDep, session: SessionDep) -> dict[str, list[IncidentOut]]:
    """Open incidents by level, highest first."""
    access.require(*STAFF, what="open incidents")
    return {lvl: [IncidentOut.of(i) for i in rows]
            for lvl, rows in incidents.open_by_level(session, access.programme).items()}


@router.get("/incidents/{incident_id}", response_model=IncidentOut)
def show_incident(incident_id: Id, access: AccessDep, session: SessionDep) -> IncidentOut:
    inc = incidents.get_incident(session, access.programme, incident_id)
    if not access.has(*STAFF) and inc.reported_by != access.actor:
        raise Forbidden(f"无权查看事件 {incident_id} / you may not see incident {incident_id}")
    return _incident_out(session, inc)


@router.post("/incidents/{incident_id}/escalate", response_model=IncidentOut)
def escalate_incident(incident_id: Id, body: EscalateIn, access: AccessDep, session: SessionDep) -> IncidentOut:
    """Up one level (or to a named higher one); refused past the top."""
    access.require(*LEADERS, what="escalating incidents")
    inc = incidents.escalate(session, access.programme, incident_id, actor=access.actor, to_level=body.to_level,
                             note=body.note)
    return committed(session, _incident_out(session, inc))


@router.post("/incidents/{incident_id}/resolve", response_model=IncidentOut)
def resolve_incident(incident_id: Id, body: ResolveIn, access: AccessDep, session: SessionDep) -> IncidentOut:
    access.require(*LEADERS, what="resolving incidents")
    inc = incidents.resolve(session, access.programme, incident_id, actor=access.actor, note=body.note)
    return committed(session, _incident_out(session, inc))
