"""Case routes. Reading a case is logged (who, when, what, and at which level: full, masked, refused).

Writes: registration, parties, application, supplement, conflict checks: ``intake`` and ``supervisor``;
waivers and members: ``supervisor`` (the case's lawyer may add assistants); consent: ``intake``,
``supervisor`` or the case's lawyer; work log: the case's lawyers and assistants, and ``supervisor``.
Transitions go through the engine's generic ``/instances/{instance_id}/fire`` (which asks this plan type
through ``volunteer_instance_access``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import Forbidden
from engine.inputs import Id, Limit, Offset
from engine.sdk.http import Access, EngineDep, SessionDep
from engine.sdk.tables import WorkflowInstance

from .. import assignment, cases
from ..access import FULL_ROLES, MASKED_ROLES, View, case_view_level, level_for, log_reads, member_case_ids
from ..law import Application
from ..models import Case, CaseParty, CaseReadLog
from ..schemas import (
    CaseIn,
    ConflictCheckIn,
    ConsentIn,
    MemberIn,
    PartyIn,
    SupplementIn,
    SupplementReceivedIn,
    WaiverIn,
    WorkLogIn,
)
from ..views import case_file, case_summary
from .deps import PREFIX, LegalDep, me, require_role_or_member

router = APIRouter(prefix=PREFIX, tags=["legal_aid"])

INTAKE = ("intake", "supervisor")


def open_case(session: Session, access: Access, case_id: Id, what: str) -> tuple[Case, View]:
    """Load a case for reading; refuse (403) those who may not see it, logging the refused look (the
    read itself is logged by :func:`_file`, which every route returning the file goes through)."""
    case = cases.get_case(session, access.programme, case_id)
    level = case_view_level(session, case.id, access.user.id, access.roles)
    if level is View.REFUSED:
        log_reads(session, access.programme.id, [case.id], access.actor, access.roles, what, level)
        session.commit()  # keep the refused read in the log
        raise Forbidden(f"案件资料保密，无权查看 / case files are confidential: you may not see case {case.number} "
                        "(intake staff, supervisors and the case's lawyers and assistants only)", case=case.number)
    return case, level


def _file(session: Session, engine: Any, access: Access, case: Case, level: View, what: str) -> dict[str, Any]:
    """The case file at ``level``, its read logged as ``what`` (whatever route returns it)."""
    log_reads(session, access.programme.id, [case.id], access.actor, access.roles, what, level)
    inst = cases.case_instance(session, access.programme, case)
    return case_file(session, engine, access.programme, case, inst, level, actor=access.actor, roles=access.roles,
                     sees=level is View.FULL, staff=bool(access.roles & FULL_ROLES))


def _writable(session: Session, access: Access, case_id: Id, *roles: str, what: str) -> Case:
    case = cases.get_case(session, access.programme, case_id)
    if roles:
        require_role_or_member(session, access, case, *roles, what=what)
    return case


@router.post("/cases", status_code=status.HTTP_201_CREATED)
def register_case(body: CaseIn, access: LegalDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """接案登记 Register a case with its parties; the intake conflict check runs at once."""
    access.require(*INTAKE, what="registering a case")
    case = cases.create_case(session, access.programme, engine.host, body, actor=access.actor)
    return _file(session, engine, access, case, View.FULL, "case_registered")


@router.get("/cases")
def list_cases(access: LegalDep, session: SessionDep, state: str | None = None, case_type: str | None = None,
               limit: Limit = 100, offset: Offset = 0) -> list[dict[str, Any]]:
    """Cases: the whole list for intake and supervisors, masked for admin and coordinators, the volunteer's
    own cases for lawyers and assistants. Every listed case is logged as read."""
    pid = access.programme.id
    on = ((WorkflowInstance.programme_id == Case.programme_id) & (WorkflowInstance.workflow == cases.CASE_WORKFLOW)
          & (WorkflowInstance.subject_type == "case") & (WorkflowInstance.subject_id == _str(Case.id)))
    q = select(Case, WorkflowInstance.state).join(WorkflowInstance, on).where(Case.programme_id == pid)
    mine = member_case_ids(session, pid, access.user.id)
    if not access.roles & (FULL_ROLES | MASKED_ROLES):
        q = q.where(Case.id.in_(mine))
    if state:
        q = q.where(WorkflowInstance.state == state)
    if case_type:
        q = q.where(Case.case_type == case_type)
    rows = session.execute(q.order_by(Case.id).limit(min(limit, 1000)).offset(offset)).all()
    visible = [(c, s, level_for(access.roles, c.id in mine)) for c, s in rows]
    clients: dict[int, list[str]] = {}
    for cid, name in session.execute(select(CaseParty.case_id, CaseParty.name).where(
            CaseParty.case_id.in_([c.id for c, _, _ in visible]), CaseParty.role == "client")):
        clients.setdefault(cid, []).append(name)
    for level in (View.FULL, View.MASKED):
        log_reads(session, pid, [c.id for c, _, lv in visible if lv is level], access.actor, access.roles,
                  "case_list", level)
    return [case_summary(access.programme, c, s, lv, clients.get(c.id, [])) for c, s, lv in visible]


def _str(col: Any) -> Any:
    from sqlalchemy import String, cast

    return cast(col, String)


@router.get("/cases/{case_id}")
def show_case(case_id: Id, access: LegalDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """The case file: whole, masked, or 403 — with deadlines, the pre-check explained rule by rule, parties,
    conflict checks, members, work log, and what can be fired now and what blocks it."""
    case, level = open_case(session, access, case_id, "case_file")
    return _file(session, engine, access, case, level, "case_file")


@router.get("/cases/{case_id}/read-log")
def read_log(case_id: Id, access: LegalDep, session: SessionDep) -> list[dict[str, Any]]:
    """Who read the case file, when, what and at which level (supervisors only)."""
    access.require("supervisor", what="the read log")
    case = cases.get_case(session, access.programme, case_id)
    rows = session.scalars(select(CaseReadLog).where(CaseReadLog.case_id == case.id).order_by(CaseReadLog.id))
    return [{"id": r.id, "actor": r.actor, "roles": r.roles, "what": r.what, "view": r.view, "at": r.at.isoformat()}
            for r in rows]


@router.post("/cases/{case_id}/parties", status_code=status.HTTP_201_CREATED)
def add_party(case_id: Id, body: PartyIn, access: LegalDep, session: SessionDep) -> dict[str, Any]:
    access.require(*INTAKE, what="adding a party")
    case = cases.get_case(session, access.programme, case_id)
    p = cases.add_party(session, access.programme, case, body, actor=access.actor)
    return {"id": p.id, "ref": f"party:{p.id}", "role": p.role, "name": p.name}


@router.put("/cases/{case_id}/application")
def update_application(case_id: Id, body: Application, access: LegalDep, engine: EngineDep,
                       session: SessionDep) -> dict[str, Any]:
    """Replace what the application says (matter, means, documents …); the pre-check reruns."""
    case = _writable(session, access, case_id, *INTAKE, what="changing the application")
    cases.update_application(session, access.programme, case, body, actor=access.actor)
    return _file(session, engine, access, case, View.FULL, "application_updated")


@router.post("/cases/{case_id}/supplement-request")
def supplement_request(case_id: Id, body: SupplementIn, access: LegalDep, engine: EngineDep,
                       session: SessionDep) -> dict[str, Any]:
    """一次性告知 The single request for every missing document (《法律援助法》第四十三条第二款)."""
    access.require(*INTAKE, what="requesting documents")
    case = cases.get_case(session, access.programme, case_id)
    cases.request_supplement(session, access.programme, case, body.on, actor=access.actor)
    return _file(session, engine, access, case, View.FULL, "supplement_requested")


@router.post("/cases/{case_id}/supplement-received")
def supplement_received(case_id: Id, body: SupplementReceivedIn, access: LegalDep, engine: EngineDep,
                        session: SessionDep) -> dict[str, Any]:
    access.require(*INTAKE, what="recording documents")
    case = cases.get_case(session, access.programme, case_id)
    cases.receive_supplement(session, access.programme, case, body, actor=access.actor)
    return _file(session, engine, access, case, View.FULL, "supplement_received")


@router.post("/cases/{case_id}/consent")
def record_consent(case_id: Id, body: ConsentIn, access: LegalDep, session: SessionDep) -> dict[str, Any]:
    """知情同意 The client's informed consent, before any service."""
    case = _writable(session, access, case_id, *INTAKE, what="recording consent")
    cases.record_consent(session, access.programme, case, body, actor=access.actor)
    return {"case_id": case.id, "consent_signed_on": case.consent_signed_on.isoformat() if case.consent_signed_on
            else None}


@router.post("/cases/{case_id}/conflict-check")
def conflict_check(case_id: Id, body: ConflictCheckIn, access: LegalDep, session: SessionDep) -> dict[str, Any]:
    """Search now, for the programme (no profile) or for one volunteer; the check is kept."""
    access.require(*INTAKE, what="a conflict check")
    case = cases.get_case(session, access.programme, case_id)
    prof = assignment.get_profile(session, access.programme, body.profile_id) if body.profile_id else None
    row = cases.store_check(session, access.programme, case, prof, "manual", access.actor)
    return {"id": row.id, "profile_id": row.profile_id, "blocking": row.blocking, "hits": row.hits}


@router.get("/cases/{case_id}/candidates")
def candidates(case_id: Id, access: LegalDep, session: SessionDep) -> list[dict[str, Any]]:
    """Lawyers for this case, eligible first (by expertise, then load), each with what stands in the way."""
    access.require(*INTAKE, what="the candidate list")
    case = cases.get_case(session, access.programme, case_id)
    return assignment.candidates(session, access.programme, case)


@router.post("/cases/{case_id}/waivers", status_code=status.HTTP_201_CREATED)
def waive(case_id: Id, body: WaiverIn, access: LegalDep, session: SessionDep) -> dict[str, Any]:
    """A supervisor waives a waivable conflict with the client's signed informed consent (规范第五十二条)."""
    access.require("supervisor", what="waiving a conflict")
    case = cases.get_case(session, access.programme, case_id)
    w = assignment.record_waiver(session, access.programme, case, body, actor=access.actor)
    return {"id": w.id, "profile_id": w.profile_id, "party_ref": w.party_ref, "rule": w.rule, "article": w.article}


@router.post("/cases/{case_id}/members", status_code=status.HTTP_201_CREATED)
def add_member(case_id: Id, body: MemberIn, access: LegalDep, session: SessionDep) -> dict[str, Any]:
    """Add an assistant (or co-counsel) to a case that has its lawyer; same checks as ``assign``."""
    case = cases.get_case(session, access.programme, case_id)
    if not access.has("supervisor"):
        mine = me(session, access)
        lawyers = {m.profile_id for m in cases.active_lawyers(session, case)}
        if body.role != "assistant" or mine is None or mine.id not in lawyers:
            raise Forbidden("只有督导或本案律师可以增加助理 / only a supervisor, or the case's lawyer adding an "
                            "assistant, may do this")
    m = assignment.add_member(session, access.programme, case, body, actor=access.actor)
    return {"id": m.id, "profile_id": m.profile_id, "role": m.role, "assigned_on": m.assigned_on.isoformat()}


@router.delete("/cases/{case_id}/members/{member_id}")
def release_member(case_id: Id, member_id: Id, access: LegalDep, session: SessionDep) -> dict[str, Any]:
    access.require("supervisor", what="releasing a member")
    case = cases.get_case(session, access.programme, case_id)
    m = assignment.release_member(session, access.programme, case, member_id, actor=access.actor)
    return {"id": m.id, "released_on": m.released_on.isoformat() if m.released_on else None}


@router.post("/cases/{case_id}/work-log", status_code=status.HTTP_201_CREATED)
def add_work_log(case_id: Id, body: WorkLogIn, access: LegalDep, session: SessionDep) -> dict[str, Any]:
    """过程记录 / 定期汇报: the case's lawyers and assistants record work and reports to the supervisor."""
    case = _writable(session, access, case_id, "supervisor", what="the work log")
    mine = me(session, access)
    row = cases.add_work_log(session, access.programme, case, body, profile_id=mine.id if mine else None,
                             actor=access.actor)
    return {"id": row.id, "kind": row.kind, "happened_on": row.happened_on.isoformat()}
