"""Case services: registration, parties, the application and its documents, consent, the work log.

Functions take ``(session, programme, …, actor)``, run inside the caller's transaction and raise
``engine`` errors with Chinese-then-English messages naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import Conflict, InvalidInput, NotFound
from engine.sdk import PluginHost
from engine.sdk import Programme as LoadedProgramme
from engine.sdk.people import IdNumberError, parse_id_number
from engine.sdk.tables import WorkflowInstance

from .conflicts import check_case, index_party
from .law import Application, Document, PreCheckResult, pre_check
from .law.articles import LA_43
from .models import Case, CaseMember, CaseParty, ConflictCheck, WorkLogEntry
from .qualifications import today_in
from .rules import PlanRules
from .schemas import CaseIn, ConsentIn, PartyIn, SupplementReceivedIn, WorkLogIn

__all__ = [
    "CASE_WORKFLOW",
    "add_party",
    "add_work_log",
    "application_of",
    "case_instance",
    "create_case",
    "ensure_writable",
    "get_case",
    "precheck",
    "receive_supplement",
    "record_consent",
    "request_supplement",
    "rules_of",
    "update_application",
]

CASE_WORKFLOW = "case"
CONSENT_ITEMS = ("content", "scope", "risks", "volunteer_identity")


def rules_of(programme: LoadedProgramme) -> PlanRules:
    rules = programme.rules
    assert isinstance(rules, PlanRules)
    return rules


def get_case(session: Session, programme: LoadedProgramme, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None or case.programme_id != programme.id:
        raise NotFound(f"没有案件 / programme {programme.id!r} has no case {case_id}", case=case_id)
    return case


def case_instance(session: Session, programme: LoadedProgramme, case: Case) -> WorkflowInstance:
    inst = session.scalars(select(WorkflowInstance).where(
        WorkflowInstance.programme_id == programme.id, WorkflowInstance.workflow == CASE_WORKFLOW,
        WorkflowInstance.subject_type == "case", WorkflowInstance.subject_id == str(case.id))).one_or_none()
    if inst is None:
        raise NotFound(f"案件 {case.number} 没有流程实例 / case {case.number} has no workflow instance")
    return inst


def ensure_writable(session: Session, programme: LoadedProgramme, case: Case) -> WorkflowInstance:
    """Archived (final-state) cases are read-only (seed 000 篇5 资料归档)."""
    inst = case_instance(session, programme, case)
    if programme.workflow(CASE_WORKFLOW).definition.state(inst.state).final:
        raise Conflict(f"案件 {case.number} 已归档，只读 / case {case.number} is archived and read-only",
                       state=inst.state)
    return inst


def application_of(case: Case) -> Application:
    return Application.model_validate(case.application)


def precheck(case: Case, rules: PlanRules, today: dt.date) -> PreCheckResult:
    """The eligibility pre-check of 《法律援助法》 on the case's application (see ``law.pre_check``)."""
    return pre_check(application_of(case), rules, today)


def _check_id(kind: str, id_number: str | None, where: str) -> str | None:
    if not id_number or not id_number.strip():
        return None
    if kind == "person":
        try:
            return parse_id_number(id_number).number
        except IdNumberError as exc:
            raise InvalidInput(f"{where}身份证号无效：{exc.zh} / {where}: invalid ID number: {exc.en}",
                               field=f"{where}.id_number") from exc
    return id_number.strip().upper()


def _party(session: Session, programme: LoadedProgramme, case: Case, p: PartyIn, where: str) -> CaseParty:
    row = CaseParty(programme_id=programme.id, case_id=case.id, role=p.role.value, kind=p.kind, name=p.name.strip(),
                    aliases=[a.strip() for a in p.aliases if a.strip()],
                    id_number=_check_id(p.kind, p.id_number, where), birth_date=p.birth_date, note=p.note)
    session.add(row)
    session.flush()
    index_party(session, row)
    return row


def create_case(session: Session, programme: LoadedProgramme, host: PluginHost, data: CaseIn, *,
                actor: str) -> Case:
    """Register a case (接案登记), index its parties, start its workflow and run the intake conflict check."""
    rules = rules_of(programme)
    today = today_in(programme)
    if data.case_type not in rules.case_types:
        raise InvalidInput(f"未知的案件类型 / unknown case type {data.case_type!r}; one of: "
                           f"{', '.join(rules.case_types)}", field="case_type")
    if data.service_point and rules.point(data.service_point) is None:
        raise InvalidInput(f"未知的服务点 / unknown service point {data.service_point!r}; one of: "
                           f"{', '.join(p.key for p in rules.service_points) or '(none configured)'}",
                           field="service_point")
    received = data.received_on or today
    if received > today:
        raise InvalidInput(f"收案日期 {received} 晚于今天 / received_on {received} is in the future",
                           field="received_on")
    if not any(p.role == "client" for p in data.parties):
        raise InvalidInput("至少登记一名受援人 / at least one party must have role 'client'", field="parties")
    case = Case(programme_id=programme.id, number="pending", case_type=data.case_type,
                service_point=data.service_point, channel=data.channel, summary=data.summary,
                application=data.application.model_dump(mode="json"), received_on=received, created_by=actor)
    session.add(case)
    session.flush()
    case.number = f"LA{received.year}-{case.id:05d}"
    for i, p in enumerate(data.parties):
        _party(session, programme, case, p, f"parties[{i}]")
    host.context(session, programme, actor=actor).start(CASE_WORKFLOW, "case", case.id)
    store_check(session, programme, case, None, "intake", actor)
    return case


def store_check(session: Session, programme: LoadedProgramme, case: Case, profile: Any, occasion: str,
                actor: str) -> ConflictCheck:
    """Run a conflict check and keep it (at intake, at assignment, on request)."""
    hits = check_case(session, programme.id, rules_of(programme), case, profile, today_in(programme))
    row = ConflictCheck(programme_id=programme.id, case_id=case.id, profile_id=profile.id if profile else None,
                        occasion=occasion, hits=[h.to_dict() for h in hits], blocking=sum(h.blocks for h in hits),
                        actor=actor)
    session.add(row)
    session.flush()
    return row


def add_party(session: Session, programme: LoadedProgramme, case: Case, data: PartyIn, *, actor: str) -> CaseParty:
    """Add a party; it is indexed at once and the next check finds it."""
    ensure_writable(session, programme, case)
    row = _party(session, programme, case, data, "party")
    store_check(session, programme, case, None, "intake", actor)
    return row


def update_application(session: Session, programme: LoadedProgramme, case: Case, app: Application, *,
                       actor: str) -> Case:
    ensure_writable(session, programme, case)
    if case.closed_on is not None:
        raise Conflict(f"案件 {case.number} 已结案 / case {case.number} is closed")
    case.application = app.model_dump(mode="json")
    return case


def request_supplement(session: Session, programme: LoadedProgramme, case: Case, on: dt.date | None, *,
                       actor: str) -> Case:
    """The single request for everything missing (《法律援助法》第四十三条第二款 一次性告知)."""
    ensure_writable(session, programme, case)
    if case.supplement_requested_on is not None:
        raise Conflict(f"已于 {case.supplement_requested_on} 一次性告知补充材料，不能再次要求（{LA_43.cite(2)}）/ the "
                       f"missing documents were already requested on {case.supplement_requested_on}; the law allows "
                       "one request naming everything", field="supplement")
    missing = precheck(case, rules_of(programme), today_in(programme)).missing_documents
    if not missing:
        raise InvalidInput("材料已齐全，无需补充 / nothing is missing", field="supplement")
    on = on or today_in(programme)
    if on < case.received_on:
        raise InvalidInput("告知日期早于收案日期 / request date before the application was received", field="on")
    case.supplement_requested_on = on
    case.supplement_missing = [d.value for d in missing]
    return case


def receive_supplement(session: Session, programme: LoadedProgramme, case: Case, data: SupplementReceivedIn, *,
                       actor: str) -> Case:
    """Record the documents that arrived, with the day they arrived."""
    ensure_writable(session, programme, case)
    if case.supplement_requested_on is None:
        raise Conflict("尚未要求补充材料 / no supplement was requested", field="supplement")
    try:
        docs = {Document(d) for d in data.documents}
    except ValueError as exc:
        raise InvalidInput(f"未知的材料 / unknown document: {exc}; one of: {', '.join(d.value for d in Document)}",
                           field="documents") from exc
    on = data.on or today_in(programme)
    if on < case.supplement_requested_on:
        raise InvalidInput("收到日期早于告知日期 / received before it was requested", field="on")
    app = application_of(case)
    case.application = app.model_copy(update={"documents": app.documents | docs}).model_dump(mode="json")
    case.supplement_received_on = on
    return case


def record_consent(session: Session, programme: LoadedProgramme, case: Case, data: ConsentIn, *,
                   actor: str) -> Case:
    """Informed consent before any service (seed 000 篇5 知情同意)."""
    ensure_writable(session, programme, case)
    missing = [i for i in CONSENT_ITEMS if i not in data.informed_of]
    if missing:
        raise InvalidInput(f"知情同意须告知服务内容、范围、可能的风险和志愿者身份，缺少：{', '.join(missing)} / informed consent "
                           f"must cover content, scope, risks and the volunteer's identity; missing: "
                           f"{', '.join(missing)}", field="informed_of")
    if data.signed_on > today_in(programme):
        raise InvalidInput("签署日期晚于今天 / signed_on is in the future", field="signed_on")
    case.consent_signed_on = data.signed_on
    case.consent_note = f"{actor}: {data.note or ''}".strip()
    return case


def active_lawyers(session: Session, case: Case) -> list[CaseMember]:
    return list(session.scalars(select(CaseMember).where(
        CaseMember.case_id == case.id, CaseMember.role == "lawyer", CaseMember.released_on.is_(None))))


def add_work_log(session: Session, programme: LoadedProgramme, case: Case, data: WorkLogIn, *, profile_id: int | None,
                 actor: str) -> WorkLogEntry:
    """A work-log entry or a report to the supervisor (seed 000 篇5 过程记录、定期汇报)."""
    ensure_writable(session, programme, case)
    if case.closed_on is not None:
        raise Conflict(f"案件 {case.number} 已结案 / case {case.number} is closed", field="work_log")
    if not active_lawyers(session, case):
        raise Conflict("案件尚未指派律师 / the case has no lawyer yet", field="work_log")
    on = data.happened_on or today_in(programme)
    if on > today_in(programme):
        raise InvalidInput("日期晚于今天 / happened_on is in the future", field="happened_on")
    row = WorkLogEntry(programme_id=programme.id, case_id=case.id, profile_id=profile_id, author=actor,
                       kind=data.kind, happened_on=on, minutes=data.minutes, content=data.content)
    session.add(row)
    session.flush()
    return row
