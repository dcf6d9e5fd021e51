"""Putting volunteers on a case: qualification, duties and conflicts, waivers, candidates.

One function, :func:`assignment_problems`, says why a volunteer may not join a case in a role; the
``assign`` guard, the member endpoint and the candidate list all use it, so the rule is the same
whichever door is used. "At every assignment the engine searches" (issue §5): each successful
assignment stores its conflict check.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.errors import Conflict, GuardsFailed, InvalidInput, NotFound
from engine.sdk import Programme as LoadedProgramme
from engine.sdk.tables import Volunteer

from .cases import active_lawyers, ensure_writable, precheck, rules_of, store_check
from .conflict_rules import Severity
from .conflicts import ConflictHit, blocking, check_case, classify_hits, gather, waivers_of
from .law.articles import LA_17
from .models import Case, CaseMember, ConflictWaiver
from .models import LegalVolunteerProfile as Profile
from .qualifications import assistant_problems, reason, representation_problems, today_in
from .rules import VolunteerKind
from .schemas import MemberIn, WaiverIn

__all__ = ["add_member", "assignment_problems", "candidates", "get_profile", "record_waiver", "release_member"]


def get_profile(session: Session, programme: LoadedProgramme, profile_id: Any) -> Profile:
    try:
        pid = int(profile_id)
    except (TypeError, ValueError):
        raise InvalidInput(f"志愿者编号无效 / invalid volunteer profile id {profile_id!r}", field="profile_id") from None
    prof = session.get(Profile, pid)
    if prof is None or prof.programme_id != programme.id:
        raise NotFound(f"没有该法律援助志愿者 / no legal-aid volunteer profile {pid} in programme {programme.id!r}",
                       field="profile_id")
    return prof


def _open_cases(session: Session, profile_id: int) -> int:
    return session.scalar(select(func.count()).select_from(CaseMember).join(Case, Case.id == CaseMember.case_id).where(
        CaseMember.profile_id == profile_id, CaseMember.role == "lawyer", CaseMember.released_on.is_(None),
        Case.closed_on.is_(None))) or 0


def _qualification(session: Session, programme: LoadedProgramme, case: Case, prof: Profile, role: str,
                   today: dt.date) -> list[str]:
    rules = rules_of(programme)
    out: list[str] = []
    if session.scalar(select(func.count()).select_from(CaseMember).where(
            CaseMember.case_id == case.id, CaseMember.profile_id == prof.id, CaseMember.released_on.is_(None))):
        out.append(reason("该志愿者已在本案中", "this volunteer is already on the case"))
    if role == "lawyer":
        min_years = precheck(case, rules, today).required_min_experience_years
        out.extend(representation_problems(prof, rules, today, case_type=case.case_type, min_years=min_years))
        cap = rules.staffing.max_open_cases
        if cap is not None and _open_cases(session, prof.id) >= cap:
            out.append(reason(f"该律师在办案件已达上限 {cap} 件", f"already holds the maximum of {cap} open cases",
                              "项目设定 staffing.max_open_cases"))
    else:
        if not active_lawyers(session, case):
            out.append(reason("案件尚未指派律师，助理只能在已有律师的案件中协助",
                              "an assistant may only join a case that has a lawyer",
                              LA_17.cite(2) if prof.kind == VolunteerKind.LAW_STUDENT else ""))
        out.extend(assistant_problems(prof, today))
    return out


def assignment_problems(session: Session, programme: LoadedProgramme, case: Case, prof: Profile, role: str,
                        today: dt.date | None = None) -> tuple[list[str], list[ConflictHit]]:
    """Why ``prof`` may not join ``case`` as ``role`` (lawyer | assistant), and the conflict hits."""
    today = today or today_in(programme)
    reasons = _qualification(session, programme, case, prof, role, today)
    hits = check_case(session, programme.id, rules_of(programme), case, prof, today)
    reasons.extend(h.reason() for h in blocking(hits))
    return reasons, hits


def add_member(session: Session, programme: LoadedProgramme, case: Case, data: MemberIn, *, actor: str) -> CaseMember:
    """Add a co-counsel or an assistant to a case that already has its lawyer (the first lawyer comes
    through the workflow's ``assign`` trigger)."""
    ensure_writable(session, programme, case)
    if case.closed_on is not None:
        raise Conflict(f"案件 {case.number} 已结案 / case {case.number} is closed")
    if data.role == "lawyer" and not active_lawyers(session, case):
        raise Conflict("首位律师须通过流程触发器 assign 指派 / assign the first lawyer with the 'assign' trigger",
                       field="role")
    prof = get_profile(session, programme, data.profile_id)
    reasons, _ = assignment_problems(session, programme, case, prof, data.role)
    if reasons:
        raise GuardsFailed("add_member", reasons)
    return join(session, programme, case, prof, data.role, actor=actor)


def join(session: Session, programme: LoadedProgramme, case: Case, prof: Profile, role: str, *,
         actor: str) -> CaseMember:
    """Write the membership and keep the conflict check it passed."""
    today = today_in(programme)
    row = CaseMember(programme_id=programme.id, case_id=case.id, profile_id=prof.id, role=role, assigned_on=today,
                     assigned_by=actor)
    session.add(row)
    if role == "lawyer" and case.assigned_on is None:
        case.assigned_on = today
    session.flush()
    store_check(session, programme, case, prof, "assignment", actor)
    return row


def release_member(session: Session, programme: LoadedProgramme, case: Case, member_id: int, *,
                   actor: str) -> CaseMember:
    ensure_writable(session, programme, case)
    row = session.get(CaseMember, member_id)
    if row is None or row.case_id != case.id:
        raise NotFound(f"本案没有该成员 / case {case.number} has no member {member_id}")
    row.released_on = today_in(programme)
    return row


def record_waiver(session: Session, programme: LoadedProgramme, case: Case, data: WaiverIn, *,
                  actor: str) -> ConflictWaiver:
    """A supervisor waives a waivable hit with the client's signed informed consent
    (《律师执业行为规范》第五十二条第二款). Non-waivable hits (第五十一条; 《律师法》第三十九条) are refused."""
    ensure_writable(session, programme, case)
    prof = get_profile(session, programme, data.profile_id)
    today = today_in(programme)
    hits = [h for h in check_case(session, programme.id, rules_of(programme), case, prof, today)
            if h.party_ref == data.party_ref]
    if not hits:
        raise InvalidInput(f"对该志愿者没有命中 {data.party_ref} / no conflict hit {data.party_ref} for this volunteer",
                           field="party_ref")
    forbidden = [h for h in hits if h.severity == Severity.FORBIDDEN]
    if forbidden:
        h = forbidden[0]
        raise InvalidInput(f"该利益冲突不可豁免：{h.explanation_zh}（{h.article}）/ this conflict can never be waived: "
                           f"{h.explanation_en}", field="party_ref", article=h.article, rule=h.conflict_rule)
    waivable = [h for h in hits if h.severity == Severity.WAIVABLE]
    if not waivable:
        raise InvalidInput("该命中不构成利益冲突，无需豁免 / this hit is not a conflict; nothing to waive",
                           field="party_ref")
    if data.client_consent_signed_on > today or data.client_consent_signed_on < case.received_on:
        raise InvalidInput("知情同意书签署日期须在收案之后、今天之前 / the consent must be signed between the case's "
                           "receipt and today", field="client_consent_signed_on")
    if data.party_ref in waivers_of(session, case.id, prof.id):
        raise Conflict("已豁免 / already waived", field="party_ref")
    h = waivable[0]
    row = ConflictWaiver(programme_id=programme.id, case_id=case.id, profile_id=prof.id, party_ref=data.party_ref,
                         rule=h.conflict_rule, article=h.article, client_consent_signed_on=data.client_consent_signed_on,
                         consent_document=data.consent_document, note=data.note, supervisor=actor)
    session.add(row)
    session.flush()
    return row


def candidates(session: Session, programme: LoadedProgramme, case: Case) -> list[dict[str, Any]]:
    """Every lawyer of the programme for this case: eligible ones first, by expertise, then by load.

    The search runs once; its hits are classified for each lawyer (seed 000 篇5: 根据案件类型和志愿者专长).
    """
    rules = rules_of(programme)
    today = today_in(programme)
    g = gather(session, programme.id, rules, case)
    rows = session.execute(select(Profile, Volunteer.name).join(Volunteer, Volunteer.id == Profile.volunteer_id).where(
        Profile.programme_id == programme.id, Profile.kind == VolunteerKind.LAWYER, Profile.active.is_(True))).all()
    waived: dict[int, set[str]] = {}
    for pid, ref in session.execute(select(ConflictWaiver.profile_id, ConflictWaiver.party_ref).where(
            ConflictWaiver.case_id == case.id)):
        waived.setdefault(pid, set()).add(ref)
    out = []
    for prof, name in rows:
        reasons = _qualification(session, programme, case, prof, "lawyer", today)
        hits = classify_hits(g, rules, prof, waived.get(prof.id, set()), today)
        reasons.extend(h.reason() for h in blocking(hits))
        out.append({"profile_id": prof.id, "name": name, "expertise_match": case.case_type in (prof.expertise or []),
                    "open_cases": _open_cases(session, prof.id), "years_of_practice": prof.years_of_practice,
                    "eligible": not reasons, "reasons": reasons,
                    "waivable_hits": [h.party_ref for h in hits if h.severity == Severity.WAIVABLE and not h.waived]})
    return sorted(out, key=lambda r: (not r["eligible"], not r["expertise_match"], r["open_cases"], r["name"]))
