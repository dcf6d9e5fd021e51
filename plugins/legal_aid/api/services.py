"""Consultations, documents, talks, the due list and the report.

Consultations and documents: volunteers (lawyer, law_teacher, student) and ``intake``/``supervisor``
record them; lists are whole for ``intake``/``supervisor``, the volunteer's own for volunteers, and
without client names for ``admin``/``coordinator``. Talks: any member lists them; staff and volunteers
record them. Due list: ``admin``, ``coordinator``, ``supervisor``, ``intake``. Report: ``admin``,
``coordinator``, ``supervisor``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status
from sqlalchemy import String, cast, select

from engine.errors import Forbidden
from engine.inputs import Days, Limit, Offset
from engine.sdk.http import EngineDep, SessionDep
from engine.sdk.tables import WorkflowInstance

from .. import services
from ..access import View, document_view_level, log_reads, mask_name
from ..cases import rules_of
from ..duelist import due_list
from ..models import Consultation, LegalDocument, Talk
from ..qualifications import today_in
from ..report import legal_aid_section
from ..schemas import ConsultationIn, DocumentIn, TalkIn
from .deps import PREFIX, LegalDep, me

router = APIRouter(prefix=PREFIX, tags=["legal_aid"])

VOLUNTEERS = ("lawyer", "law_teacher", "student")
STAFF = ("intake", "supervisor")


@router.post("/consultations", status_code=status.HTTP_201_CREATED)
def consult(body: ConsultationIn, access: LegalDep, session: SessionDep) -> dict[str, Any]:
    """法律咨询 Record a consultation (walk-in, phone, online): topic, answer, referral."""
    access.require(*VOLUNTEERS, *STAFF, what="recording a consultation")
    c = services.create_consultation(session, access.programme, body, me=me(session, access), actor=access.actor)
    return {"id": c.id, "profile_id": c.profile_id, "consulted_on": c.consulted_on.isoformat()}


@router.get("/consultations")
def consultations(access: LegalDep, session: SessionDep, limit: Limit = 100, offset: Offset = 0) -> list[dict[str, Any]]:
    q = select(Consultation).where(Consultation.programme_id == access.programme.id)
    full = access.has(*STAFF)
    if not full and not access.has("admin", "coordinator"):
        mine = me(session, access)
        if mine is None:
            raise Forbidden("无权查看咨询记录 / you may not see consultations")
        q = q.where(Consultation.profile_id == mine.id)
        full = True
    rows = session.scalars(q.order_by(Consultation.id).limit(min(limit, 1000)).offset(offset))
    return [{"id": c.id, "channel": c.channel, "topic": c.topic, "service_point": c.service_point,
             "consulted_on": c.consulted_on.isoformat(), "profile_id": c.profile_id, "referral": c.referral,
             "satisfaction": c.satisfaction, "client_name": c.client_name if full else mask_name(c.client_name),
             **({"question": c.question, "answer": c.answer} if full else {})} for c in rows]


def _doc_view(d: LegalDocument, state: str) -> dict[str, Any]:
    return {"id": d.id, "case_id": d.case_id, "doc_type": d.doc_type, "title": d.title, "state": state,
            "drafter_profile_id": d.drafter_profile_id, "reviewer_profile_id": d.reviewer_profile_id,
            "reviewed_on": d.reviewed_on.isoformat() if d.reviewed_on else None,
            "sent_on": d.sent_on.isoformat() if d.sent_on else None}


def _docs(access: Any) -> Any:
    return select(LegalDocument, WorkflowInstance.id, WorkflowInstance.state).join(
        WorkflowInstance, (WorkflowInstance.programme_id == LegalDocument.programme_id)
        & (WorkflowInstance.workflow == services.DOCUMENT_WORKFLOW)
        & (WorkflowInstance.subject_id == cast(LegalDocument.id, String))).where(
        LegalDocument.programme_id == access.programme.id)


@router.post("/documents", status_code=status.HTTP_201_CREATED)
def draft(body: DocumentIn, access: LegalDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """代书 Start a document; it follows the ``legal_document`` workflow (review before it goes out)."""
    access.require(*VOLUNTEERS, *STAFF, what="drafting a document")
    d = services.create_document(session, access.programme, engine.host, body, me=me(session, access),
                                 user_id=access.user.id, actor=access.actor)
    _, inst_id, state = session.execute(_docs(access).where(LegalDocument.id == d.id)).one()
    return {**_doc_view(d, state), "instance_id": inst_id}


@router.get("/documents")
def documents(access: LegalDep, session: SessionDep) -> list[dict[str, Any]]:
    """Documents this person may see (a document follows its case's confidentiality)."""
    out = []
    for d, inst_id, state in session.execute(_docs(access).order_by(LegalDocument.id)).all():
        if document_view_level(session, access.programme, d, access.user.id, access.roles) is View.FULL:
            out.append({**_doc_view(d, state), "instance_id": inst_id})
    log_reads(session, access.programme.id, sorted({r["case_id"] for r in out if r["case_id"] is not None}),
              access.actor, access.roles, "document_list", View.FULL)
    return out


@router.post("/talks", status_code=status.HTTP_201_CREATED)
def talk(body: TalkIn, access: LegalDep, session: SessionDep) -> dict[str, Any]:
    """普法讲座 Record a legal-education talk: place, audience, headcount."""
    access.require("admin", "coordinator", *VOLUNTEERS, *STAFF, what="recording a talk")
    t = services.create_talk(session, access.programme, body, actor=access.actor)
    return {"id": t.id, "title": t.title, "headcount": t.headcount}


@router.get("/talks")
def talks(access: LegalDep, session: SessionDep) -> list[dict[str, Any]]:
    rows = session.scalars(select(Talk).where(Talk.programme_id == access.programme.id).order_by(Talk.held_on))
    return [{"id": t.id, "title": t.title, "topic": t.topic, "place": t.place, "audience": t.audience,
             "headcount": t.headcount, "held_on": t.held_on.isoformat(), "service_point": t.service_point}
            for t in rows]


@router.get("/deadlines")
def deadlines(access: LegalDep, session: SessionDep, within_days: Days | None = None) -> list[dict[str, Any]]:
    """What is due (within ``within_days``, default ``reporting.due_soon_days``) or overdue, across open cases:
    case number, type, state, the deadline and its article — no names."""
    access.require("admin", "coordinator", *STAFF, what="the due list")
    return due_list(session, access.programme, rules_of(access.programme), today_in(access.programme), within_days)


@router.get("/report")
def report(access: LegalDep, session: SessionDep) -> dict[str, Any]:
    """The legal-aid report section (also offered to the engine through ``volunteer_report_sections``)."""
    access.require("admin", "coordinator", "supervisor", what="the report")
    return legal_aid_section(access.programme, session).to_dict()


