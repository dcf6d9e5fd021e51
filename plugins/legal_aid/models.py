"""The legal-aid plan type's tables (``la_*``), on the engine's ``Base``.

Volunteers stay in the engine's registry (``volunteers``); a :class:`LegalVolunteerProfile` adds the
professional side for one programme. A case's state lives in its ``case`` workflow instance and a
document's in its ``legal_document`` instance, as for every entity workflow. Every party and every
declared interest is also written to the conflict index (``la_conflict_keys``, see
:mod:`plugins.legal_aid.conflict`) when it is stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.sdk.tables import Base, EncryptedString, utcnow

from .conflict import ConflictIndex

CONFLICT_INDEX = ConflictIndex(Base.metadata)
"""The conflict-of-interest key table, created by this plan type's migration."""


class LegalVolunteerProfile(Base):
    """A volunteer's qualifications in one programme (《律师法》第五条、第十三条; 《法律援助法》第十七条)."""

    __tablename__ = "la_volunteer_profiles"
    __table_args__ = (UniqueConstraint("programme_id", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # lawyer | law_teacher | law_student
    licence_no: Mapped[str | None] = mapped_column(String(40))
    issuing_body: Mapped[str | None] = mapped_column(String(200))
    licence_valid_until: Mapped[dt.date | None]
    years_of_practice: Mapped[int] = mapped_column(default=0)
    expertise: Mapped[list[Any]] = mapped_column(default=list)
    seniority: Mapped[str | None] = mapped_column(String(10))  # junior | senior
    firm: Mapped[str | None] = mapped_column(String(200))
    institution: Mapped[str | None] = mapped_column(String(200))
    former_office: Mapped[str | None] = mapped_column(String(20))  # judge | prosecutor
    left_office_on: Mapped[dt.date | None]
    confidentiality_signed_on: Mapped[dt.date | None]
    no_payment_signed_on: Mapped[dt.date | None]
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class InterestDeclaration(Base):
    """An interest a volunteer declares: a relative, an employer, a client of their firm … (seed 000 篇5
    利益冲突: 主动申报是否存在与当事人或案件有利害关系的情况)."""

    __tablename__ = "la_declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("la_volunteer_profiles.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    party_kind: Mapped[str] = mapped_column(String(6))  # person | org
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    id_number: Mapped[str | None] = mapped_column(EncryptedString())  # encrypted at rest (issue 9)
    birth_date: Mapped[dt.date | None]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("la_cases.id"))  # firm_represents: the case it is in
    relation: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    ended_on: Mapped[dt.date | None]
    declared_on: Mapped[dt.date]
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Case(Base):
    """A legal-aid case (案件): the application, the decisions and the outcome."""

    __tablename__ = "la_cases"
    __table_args__ = (UniqueConstraint("programme_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    number: Mapped[str] = mapped_column(String(32))
    case_type: Mapped[str] = mapped_column(String(63), index=True)
    service_point: Mapped[str | None] = mapped_column(String(63))
    channel: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text)
    application: Mapped[dict[str, Any]] = mapped_column(default=dict)
    received_on: Mapped[dt.date]
    supplement_requested_on: Mapped[dt.date | None]
    supplement_missing: Mapped[list[Any]] = mapped_column(default=list)
    supplement_received_on: Mapped[dt.date | None]
    decided_on: Mapped[dt.date | None]
    aid_granted: Mapped[bool | None]
    assigned_on: Mapped[dt.date | None]
    consent_signed_on: Mapped[dt.date | None]
    consent_note: Mapped[str | None] = mapped_column(Text)
    evaluation: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    accepted_on: Mapped[dt.date | None]
    decline_reason: Mapped[str | None] = mapped_column(Text)
    referred_to: Mapped[str | None] = mapped_column(String(200))
    ending_ground: Mapped[str | None] = mapped_column(String(40))
    result: Mapped[str | None] = mapped_column(String(20), index=True)
    closed_on: Mapped[dt.date | None]
    client_satisfaction: Mapped[int | None]
    client_feedback: Mapped[str | None] = mapped_column(Text)
    closure_report: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CaseParty(Base):
    """A party to a case: the client, an adverse party, the opponent's agent, a related party."""

    __tablename__ = "la_case_parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("la_cases.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # client | adverse | opponent_agent | related
    kind: Mapped[str] = mapped_column(String(6))  # person | org
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    id_number: Mapped[str | None] = mapped_column(EncryptedString())  # encrypted at rest (issue 9)
    birth_date: Mapped[dt.date | None]  # as the party gave it; else the conflict search reads the ID number
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CaseMember(Base):
    """A volunteer on a case: the representing lawyer(s) and their assistants."""

    __tablename__ = "la_case_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("la_cases.id"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("la_volunteer_profiles.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # lawyer | assistant
    assigned_on: Mapped[dt.date]
    assigned_by: Mapped[str] = mapped_column(String(120))
    released_on: Mapped[dt.date | None]


class ConflictCheck(Base):
    """One conflict search, as it was run: at intake, at an assignment, or on request."""

    __tablename__ = "la_conflict_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("la_cases.id"), index=True)
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("la_volunteer_profiles.id"))
    occasion: Mapped[str] = mapped_column(String(20))  # intake | assignment | manual
    hits: Mapped[list[Any]] = mapped_column(default=list)
    blocking: Mapped[int] = mapped_column(default=0)
    actor: Mapped[str] = mapped_column(String(120))
    checked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ConflictWaiver(Base):
    """A supervisor's waiver of a waivable conflict, with the client's signed informed consent
    (《律师执业行为规范》第五十二条: 委托人……应当签署知情同意书)."""

    __tablename__ = "la_conflict_waivers"
    __table_args__ = (UniqueConstraint("case_id", "profile_id", "party_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("la_cases.id"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("la_volunteer_profiles.id"))
    party_ref: Mapped[str] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(String(40))
    article: Mapped[str] = mapped_column(String(200))
    client_consent_signed_on: Mapped[dt.date]
    consent_document: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    supervisor: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class WorkLogEntry(Base):
    """A case's work log: work done, and reports to the supervisor (seed 000 篇5 过程记录、定期汇报)."""

    __tablename__ = "la_work_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("la_cases.id"), index=True)
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("la_volunteer_profiles.id"))
    author: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # work | report | meeting | court
    happened_on: Mapped[dt.date]
    minutes: Mapped[int | None]
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CaseReadLog(Base):
    """Every read of a case file: who, when, what, and whether they saw it whole, masked or not at all."""

    __tablename__ = "la_case_reads"
    __table_args__ = (Index("ix_la_case_reads_case_at", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("la_cases.id"))
    actor: Mapped[str] = mapped_column(String(120))
    roles: Mapped[list[Any]] = mapped_column(default=list)
    what: Mapped[str] = mapped_column(String(40))
    view: Mapped[str] = mapped_column(String(10))  # full | masked | refused
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Consultation(Base):
    """A consultation (法律咨询): walk-in, phone or online; topic, answer, referral."""

    __tablename__ = "la_consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    service_point: Mapped[str | None] = mapped_column(String(63))
    channel: Mapped[str] = mapped_column(String(20))  # walk_in | phone | online
    topic: Mapped[str] = mapped_column(String(63), index=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    referral: Mapped[str | None] = mapped_column(String(200))
    client_name: Mapped[str | None] = mapped_column(String(100))
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("la_volunteer_profiles.id"), index=True)
    consulted_on: Mapped[dt.date]
    consent_given: Mapped[bool] = mapped_column(default=False)
    satisfaction: Mapped[int | None]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("la_cases.id"))
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LegalDocument(Base):
    """A drafted legal document (代书): type, drafter, reviewer; its status is its workflow state."""

    __tablename__ = "la_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("la_cases.id"), index=True)
    doc_type: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    drafter_profile_id: Mapped[int] = mapped_column(ForeignKey("la_volunteer_profiles.id"), index=True)
    reviewer_profile_id: Mapped[int | None] = mapped_column(ForeignKey("la_volunteer_profiles.id"))
    reviewed_on: Mapped[dt.date | None]
    review_note: Mapped[str | None] = mapped_column(Text)
    sent_on: Mapped[dt.date | None]
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Talk(Base):
    """A legal-education talk (普法讲座): place, audience, headcount."""

    __tablename__ = "la_talks"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str | None] = mapped_column(String(63))
    place: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(String(200))
    headcount: Mapped[int]
    held_on: Mapped[dt.date]
    service_point: Mapped[str | None] = mapped_column(String(63))
    speaker_profile_id: Mapped[int | None] = mapped_column(ForeignKey("la_volunteer_profiles.id"))
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
