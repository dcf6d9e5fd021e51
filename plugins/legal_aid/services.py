"""Services other than cases: consultations, drafted documents, legal-education talks (seed 000 篇5
服务项目与内容).

* A consultation needs the client's informed consent first (seed 000 篇5 知情同意); a law student gives
  one only when organised by a university or research institute (《法律援助法》第十七条第二款).
* A document follows the ``legal_document`` workflow; one drafted by a student or a junior is reviewed
  by a senior before it is sent (guards ``legal_aid.document_reviewer`` / ``legal_aid.document_reviewed``).
* A talk records place, audience and headcount (seed 000 篇5 普法宣传: 20 场、3000 人次).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from engine.errors import Conflict, Forbidden, InvalidInput
from engine.sdk import PluginHost
from engine.sdk import Programme as LoadedProgramme

from .access import is_member
from .assignment import get_profile
from .cases import ensure_writable, get_case, rules_of
from .law import StudentActivity
from .models import Consultation, LegalDocument, Talk
from .models import LegalVolunteerProfile as Profile
from .qualifications import duty_problems, student_activity_problem, today_in
from .schemas import ConsultationIn, DocumentIn, TalkIn

__all__ = ["DOCUMENT_WORKFLOW", "create_consultation", "create_document", "create_talk"]

DOCUMENT_WORKFLOW = "legal_document"


def _point(programme: LoadedProgramme, key: str | None) -> None:
    if key and rules_of(programme).point(key) is None:
        raise InvalidInput(f"未知的服务点 / unknown service point {key!r}", field="service_point")


def _date(programme: LoadedProgramme, value, field: str):  # type: ignore[no-untyped-def]
    today = today_in(programme)
    if value is not None and value > today:
        raise InvalidInput(f"日期晚于今天 / {field} is in the future", field=field)
    return value or today


def _acting(session: Session, programme: LoadedProgramme, profile_id: int | None, me: Profile | None) -> Profile:
    if profile_id is not None:
        return get_profile(session, programme, profile_id)
    if me is None:
        raise InvalidInput("请指定志愿者 profile_id / name the volunteer: profile_id", field="profile_id")
    return me


def create_consultation(session: Session, programme: LoadedProgramme, data: ConsultationIn, *, me: Profile | None,
                        actor: str) -> Consultation:
    if not data.consent_given:
        raise InvalidInput("提供咨询前须取得服务对象的知情同意（000 篇5 伦理审查）/ informed consent comes before any "
                           "service", field="consent_given")
    _point(programme, data.service_point)
    prof = _acting(session, programme, data.profile_id, me)
    problem = student_activity_problem(prof, StudentActivity.LEGAL_CONSULTATION)
    if problem:
        raise Forbidden(problem, field="profile_id")
    row = Consultation(programme_id=programme.id, service_point=data.service_point, channel=data.channel,
                       topic=data.topic, question=data.question, answer=data.answer, referral=data.referral,
                       client_name=data.client_name, profile_id=prof.id,
                       consulted_on=_date(programme, data.consulted_on, "consulted_on"),
                       consent_given=True, satisfaction=data.satisfaction, created_by=actor)
    session.add(row)
    session.flush()
    return row


def create_document(session: Session, programme: LoadedProgramme, host: PluginHost, data: DocumentIn, *,
                    me: Profile | None, user_id: int, actor: str) -> LegalDocument:
    """Start a draft; for a case, the drafter is on the case and the client's consent is on record."""
    prof = _acting(session, programme, data.drafter_profile_id, me)
    problem = student_activity_problem(prof, StudentActivity.DOCUMENT_DRAFTING)
    if problem:
        raise Forbidden(problem, field="drafter_profile_id")
    duties = duty_problems(prof, today_in(programme))
    if duties:
        raise Forbidden("; ".join(duties), field="drafter_profile_id")
    if data.case_id is not None:
        case = get_case(session, programme, data.case_id)
        ensure_writable(session, programme, case)
        if case.closed_on is not None:
            raise Conflict(f"案件 {case.number} 已结案 / case {case.number} is closed", field="case_id")
        if not is_member(session, case.id, user_id) and not _is_member_profile(session, case.id, prof.id):
            raise Forbidden("起草人须为本案的律师或助理 / the drafter must be a lawyer or assistant on the case",
                            field="drafter_profile_id")
        if case.consent_signed_on is None:
            raise Conflict("尚未记录受援人的知情同意 / the client's informed consent is not recorded",
                           field="case_id")
    row = LegalDocument(programme_id=programme.id, case_id=data.case_id, doc_type=data.doc_type, title=data.title,
                        drafter_profile_id=prof.id, created_by=actor)
    session.add(row)
    session.flush()
    host.context(session, programme, actor=actor).start(DOCUMENT_WORKFLOW, "legal_document", row.id)
    return row


def _is_member_profile(session: Session, case_id: int, profile_id: int) -> bool:
    from sqlalchemy import exists, select

    from .models import CaseMember

    return bool(session.scalar(select(exists().where(
        CaseMember.case_id == case_id, CaseMember.profile_id == profile_id, CaseMember.released_on.is_(None)))))


def create_talk(session: Session, programme: LoadedProgramme, data: TalkIn, *, actor: str) -> Talk:
    _point(programme, data.service_point)
    if data.speaker_profile_id is not None:
        get_profile(session, programme, data.speaker_profile_id)
    if data.held_on > today_in(programme):
        raise InvalidInput("讲座日期晚于今天：请在讲座后登记 / held_on is in the future: record a talk after it took "
                           "place", field="held_on")
    row = Talk(programme_id=programme.id, created_by=actor, **data.model_dump())
    session.add(row)
    session.flush()
    return row
