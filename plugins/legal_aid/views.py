"""What the API shows of a case: the whole file, or the masked management view (see :mod:`.access`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.sdk import Programme as LoadedProgramme
from engine.sdk.people import mask_id_number
from engine.sdk.tables import Volunteer, WorkflowInstance

from .access import View, mask_name
from .cases import CASE_WORKFLOW, precheck, rules_of
from .duelist import case_deadline_list, last_reports
from .law import DOCUMENT_NAMES, REFUSAL_NOTICE, Document, EndingGround, appeal_info
from .models import Case, CaseMember, CaseParty, ConflictCheck, LegalDocument, WorkLogEntry
from .models import LegalVolunteerProfile as Profile
from .qualifications import today_in

__all__ = ["case_file", "case_summary", "mask_id"]


def mask_id(value: str | None, sees: bool) -> str | None:
    if not value or sees:
        return value
    try:
        return mask_id_number(value)
    except ValueError:
        return value[:4] + "*" * max(len(value) - 6, 0) + value[-2:]


def _title(programme: LoadedProgramme, state: str) -> str | None:
    return programme.workflow(CASE_WORKFLOW).definition.state(state).title


def case_summary(programme: LoadedProgramme, case: Case, state: str, level: View,
                 clients: list[str] | None = None) -> dict[str, Any]:
    rules = rules_of(programme)
    out: dict[str, Any] = {
        "id": case.id, "number": case.number, "case_type": case.case_type,
        "case_type_title": rules.case_types.get(case.case_type), "state": state,
        "state_title": _title(programme, state), "received_on": case.received_on.isoformat(),
        "service_point": case.service_point, "channel": case.channel, "result": case.result,
        "closed_on": case.closed_on.isoformat() if case.closed_on else None, "view": level.value}
    if clients is not None:
        out["clients"] = clients if level is View.FULL else [mask_name(c) for c in clients]
    return out


def _members(session: Session, case: Case) -> list[dict[str, Any]]:
    rows = session.execute(select(CaseMember, Profile.kind, Volunteer.name).join(
        Profile, Profile.id == CaseMember.profile_id).join(Volunteer, Volunteer.id == Profile.volunteer_id).where(
        CaseMember.case_id == case.id).order_by(CaseMember.id)).all()
    return [{"id": m.id, "profile_id": m.profile_id, "name": name, "kind": kind, "role": m.role,
             "assigned_on": m.assigned_on.isoformat(),
             "released_on": m.released_on.isoformat() if m.released_on else None}
            for m, kind, name in rows]


def _parties(session: Session, case: Case, level: View, sees: bool) -> list[dict[str, Any]]:
    rows = session.scalars(select(CaseParty).where(CaseParty.case_id == case.id).order_by(CaseParty.id))
    if level is View.MASKED:
        return [{"id": p.id, "role": p.role, "kind": p.kind, "name": mask_name(p.name)} for p in rows]
    return [{"id": p.id, "ref": f"party:{p.id}", "role": p.role, "kind": p.kind, "name": p.name, "aliases": p.aliases,
             "id_number": mask_id(p.id_number, sees), "note": p.note} for p in rows]


def _precheck(case: Case, programme: LoadedProgramme) -> dict[str, Any]:
    res = precheck(case, rules_of(programme), today_in(programme))
    return {"decision": res.decision.value, "summary_zh": res.summary.zh, "summary_en": res.summary.en,
            "required_min_experience_years": res.required_min_experience_years,
            "missing_documents": [{"document": d.value, "zh": DOCUMENT_NAMES[d].zh, "en": DOCUMENT_NAMES[d].en}
                                  for d in res.missing_documents],
            "rules": [{"rule": r.rule.value, "outcome": r.outcome.value, "article": r.article,
                       "zh": r.explanation.zh, "en": r.explanation.en, "missing": [m.value for m in r.missing]}
                      for r in res.rules]}


def _conflicts(session: Session, case: Case, staff: bool) -> list[dict[str, Any]]:
    checks = session.scalars(select(ConflictCheck).where(ConflictCheck.case_id == case.id)
                             .order_by(ConflictCheck.id.desc()).limit(10))
    out = []
    for c in checks:
        item: dict[str, Any] = {"id": c.id, "occasion": c.occasion, "profile_id": c.profile_id, "actor": c.actor,
                                "checked_at": c.checked_at.isoformat(), "hits": len(c.hits), "blocking": c.blocking}
        if staff:
            item["details"] = c.hits
        out.append(item)
    return out


def _documents(session: Session, programme: LoadedProgramme, case: Case) -> list[dict[str, Any]]:
    rows = session.execute(select(LegalDocument, WorkflowInstance.state).join(
        WorkflowInstance, (WorkflowInstance.subject_type == "legal_document")
        & (WorkflowInstance.programme_id == programme.id)
        & (WorkflowInstance.subject_id == func_str(LegalDocument.id))).where(LegalDocument.case_id == case.id)).all()
    return [{"id": d.id, "doc_type": d.doc_type, "title": d.title, "state": state, "drafter_profile_id":
             d.drafter_profile_id, "reviewer_profile_id": d.reviewer_profile_id} for d, state in rows]


def func_str(col: Any) -> Any:
    from sqlalchemy import String, cast

    return cast(col, String)


def _work_log(session: Session, case: Case) -> list[dict[str, Any]]:
    rows = session.scalars(select(WorkLogEntry).where(WorkLogEntry.case_id == case.id).order_by(WorkLogEntry.id))
    return [{"id": w.id, "kind": w.kind, "happened_on": w.happened_on.isoformat(), "author": w.author,
             "minutes": w.minutes, "content": w.content} for w in rows]


def case_file(session: Session, engine: Any, programme: LoadedProgramme, case: Case, inst: WorkflowInstance,
              level: View, *, actor: str, roles: frozenset[str], sees: bool, staff: bool) -> dict[str, Any]:
    """The case as this viewer may see it (``level`` FULL or MASKED)."""
    rules = rules_of(programme)
    today = today_in(programme)
    out = case_summary(programme, case, inst.state, level)
    out.update({
        "instance_id": inst.id, "version": inst.version,
        "decided_on": case.decided_on.isoformat() if case.decided_on else None, "aid_granted": case.aid_granted,
        "assigned_on": case.assigned_on.isoformat() if case.assigned_on else None,
        "accepted_on": case.accepted_on.isoformat() if case.accepted_on else None,
        "deadlines": case_deadline_list(case, rules, last_reports(session, [case.id]).get(case.id), today),
        "members": _members(session, case), "parties": _parties(session, case, level, sees),
    })
    if level is not View.FULL:
        out["masked"] = ["summary", "application", "precheck", "parties.name", "parties.id_number", "work_log",
                         "conflicts", "evaluation", "closure_report", "client_feedback"]
        return out
    ending = EndingGround(case.ending_ground) if case.ending_ground else None
    out.update({
        "summary": case.summary, "application": case.application, "precheck": _precheck(case, programme),
        "supplement": {"requested_on": case.supplement_requested_on.isoformat() if case.supplement_requested_on
                       else None, "documents": [DOCUMENT_NAMES[Document(d)].zh for d in case.supplement_missing],
                       "received_on": case.supplement_received_on.isoformat() if case.supplement_received_on
                       else None},
        "consent": {"signed_on": case.consent_signed_on.isoformat() if case.consent_signed_on else None,
                    "note": case.consent_note},
        "evaluation": case.evaluation, "decline_reason": case.decline_reason, "referred_to": case.referred_to,
        "ending_ground": {"ground": ending.value, "article": ending.article, "text": ending.text} if ending else None,
        "client_satisfaction": case.client_satisfaction, "client_feedback": case.client_feedback,
        "closure_report": case.closure_report, "work_log": _work_log(session, case),
        "conflict_checks": _conflicts(session, case, staff), "documents": _documents(session, programme, case),
    })
    if inst.state in ("declined", "ended") or (case.aid_granted is False):
        info = appeal_info(rules)
        out["notice"] = {"refusal_zh": REFUSAL_NOTICE.zh, "refusal_en": REFUSAL_NOTICE.en, "appeal": info.model_dump()}
    statuses = engine.host.context(session, programme, actor=actor, roles=roles).triggers(inst.id)
    out["available"] = [{"trigger": t.trigger, "title": t.title, "to": t.to} for t in statuses if t.available]
    out["blocked"] = [{"trigger": t.trigger, "title": t.title, "to": t.to, "reasons": t.reasons,
                       "allowed_for_you": t.allowed_for_you} for t in statuses if not t.available]
    return out
