"""Request bodies of the legal-aid API (pydantic; a bad value is a 422 naming the field)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.inputs import Day, Id

from .conflict_rules import DeclarationKind, PartyRole
from .law import Application
from .rules import VolunteerKind


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PartyIn(_In):
    role: PartyRole
    kind: Literal["person", "org"] = "person"
    name: str = Field(min_length=1, max_length=200)
    aliases: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=20,
                               description="other names: aliases, former names, short names (曾用名、简称)")
    id_number: str | None = Field(default=None, max_length=32, description="resident ID or USCC")
    birth_date: Day | None = Field(default=None, description="date of birth, if known (a person without an ID "
                                   "number is still found by it in the conflict search)")
    note: str | None = Field(default=None, max_length=2000)


class CaseIn(_In):
    case_type: str = Field(min_length=1, max_length=63)
    service_point: str | None = Field(default=None, max_length=63)
    channel: Literal["walk_in", "phone", "online", "referral", "notice"] = "walk_in"
    summary: str = Field(min_length=1, max_length=20000)
    received_on: Day | None = None
    application: Application
    parties: list[PartyIn] = Field(min_length=1, max_length=50)


class SupplementIn(_In):
    on: Day | None = None


class SupplementReceivedIn(_In):
    documents: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=100)
    on: Day | None = None


class ConsentIn(_In):
    """Informed consent (seed 000 篇5 知情同意: 服务内容、范围、可能的风险、志愿者的身份)."""

    signed_on: Day
    informed_of: list[Literal["content", "scope", "risks", "volunteer_identity"]] = Field(min_length=1)
    note: str | None = Field(default=None, max_length=2000)


class MemberIn(_In):
    profile_id: Id
    role: Literal["lawyer", "assistant"] = "assistant"


class WaiverIn(_In):
    profile_id: Id
    party_ref: str = Field(pattern=r"^(party|declaration):\d{1,10}$", max_length=40)
    client_consent_signed_on: Day
    consent_document: str = Field(min_length=1, max_length=200, description="知情同意书编号或存档位置")
    note: str | None = Field(default=None, max_length=2000)


class ConflictCheckIn(_In):
    profile_id: Id | None = None


class WorkLogIn(_In):
    kind: Literal["work", "report", "meeting", "court", "mediation"] = "work"
    happened_on: Day | None = None
    minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    content: str = Field(min_length=1, max_length=20000)


class PersonIn(_In):
    name: str = Field(min_length=1, max_length=100)
    id_number: str = Field(min_length=15, max_length=24)
    phone: str | None = Field(default=None, max_length=20)


class ProfileIn(_In):
    volunteer_id: Id | None = None
    person: PersonIn | None = None
    username: str | None = Field(default=None, max_length=120, description="link the volunteer to this account")
    kind: VolunteerKind
    licence_no: str | None = Field(default=None, max_length=40)
    issuing_body: str | None = Field(default=None, max_length=200)
    licence_valid_until: Day | None = None
    years_of_practice: int = Field(default=0, ge=0, le=70)
    expertise: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=50)
    seniority: Literal["junior", "senior"] | None = None
    firm: str | None = Field(default=None, max_length=200)
    institution: str | None = Field(default=None, max_length=200)
    former_office: Literal["judge", "prosecutor"] | None = None
    left_office_on: Day | None = None


class ProfileUpdate(_In):
    licence_no: str | None = Field(default=None, max_length=40)
    issuing_body: str | None = Field(default=None, max_length=200)
    licence_valid_until: Day | None = None
    years_of_practice: int | None = Field(default=None, ge=0, le=70)
    expertise: list[Annotated[str, Field(max_length=100)]] | None = Field(default=None, max_length=50)
    seniority: Literal["junior", "senior"] | None = None
    firm: str | None = Field(default=None, max_length=200)
    institution: str | None = Field(default=None, max_length=200)
    active: bool | None = None


class AgreementsIn(_In):
    confidentiality_signed_on: Day | None = None
    no_payment_signed_on: Day | None = None


class DeclarationIn(_In):
    kind: DeclarationKind
    party_kind: Literal["person", "org"] = "person"
    name: str = Field(min_length=1, max_length=200)
    aliases: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=20)
    id_number: str | None = Field(default=None, max_length=32)
    birth_date: Day | None = Field(default=None, description="date of birth, if known")
    case_id: Id | None = Field(default=None, description="firm_represents: the legal-aid case in which the "
                               "volunteer's firm represents this party (same case: not waivable; none or another "
                               "case: waivable with the client's consent)")
    relation: str | None = Field(default=None, max_length=100, description="e.g. 配偶、父亲、任职单位")
    note: str | None = Field(default=None, max_length=2000)
    ended_on: Day | None = Field(default=None, description="former_client: when the engagement ended")


class ConsultationIn(_In):
    service_point: str | None = Field(default=None, max_length=63)
    channel: Literal["walk_in", "phone", "online"]
    topic: str = Field(min_length=1, max_length=63)
    question: str = Field(min_length=1, max_length=20000)
    answer: str = Field(min_length=1, max_length=20000)
    referral: str | None = Field(default=None, max_length=200)
    client_name: str | None = Field(default=None, max_length=100)
    profile_id: Id | None = None
    consulted_on: Day | None = None
    consent_given: bool = Field(description="informed consent was given before the consultation")
    satisfaction: int | None = Field(default=None, ge=1, le=5)


class DocumentIn(_In):
    case_id: Id | None = None
    doc_type: str = Field(min_length=1, max_length=40, description="e.g. 起诉状、答辩状、劳动仲裁申请书")
    title: str = Field(min_length=1, max_length=200)
    drafter_profile_id: Id | None = None


class TalkIn(_In):
    title: str = Field(min_length=1, max_length=200)
    topic: str | None = Field(default=None, max_length=63)
    place: str = Field(min_length=1, max_length=200)
    audience: str = Field(min_length=1, max_length=200)
    headcount: int = Field(ge=0, le=1_000_000)
    held_on: Day
    service_point: str | None = Field(default=None, max_length=63)
    speaker_profile_id: Id | None = None
