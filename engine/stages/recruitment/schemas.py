"""Request and response models of the recruitment stage.

Constraints live here so a malformed request is a 422 naming the field before any rule runs; the
rules that need the store or the ID number (checksum, consistency, uniqueness) are in the service.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from engine import timeutil
from engine.inputs import Day, Id, Int
from engine.people import mask_id_number, mask_phone
from engine.stages.recruitment.models import Agreement, Enrolment, Volunteer

Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Item = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Items = Annotated[list[Item], Field(default_factory=list, max_length=50)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AccountIn(_In):
    """A login for the volunteer, created by a coordinator (given the volunteer role here)."""

    username: str = Field(min_length=1, max_length=120)
    password: str = Field(min_length=8, max_length=200)


class GuardianIn(_In):
    referred_by: Id | None = Field(default=None, description="推荐人: the volunteer number of whoever recommended "
                                                             "this person (rules.points.bonuses.referral)")
    guardian_consent: bool = False
    guardian_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None
    guardian_relationship: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)] | None = \
        Field(default=None, description="父亲/母亲/其他监护人 — who the guardian is to the volunteer")
    guardian_phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=30, pattern=r"^\+?[0-9][0-9 -]{4,28}$")] | None = \
        Field(default=None, description="the guardian's phone, to confirm the consent")


class VolunteerIn(GuardianIn):
    """The real-name registration fields (seed 003 附件1 §3(二)) plus the enrolment's own."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    id_number: str = Field(min_length=1, max_length=40, description="居民身份证号 (GB 11643), 18 位或旧 15 位")
    gender: str | None = Field(default=None, max_length=10, description="男/女/male/female; default: from the ID number")
    birth_date: Day | None = Field(default=None, description="default: from the ID number")
    phone: str = Field(min_length=1, max_length=30, description="大陆手机号 mainland mobile (联系方式)")
    skills: Items
    languages: Items
    qualifications: Items
    availability: Short | None = None
    unit: Short | None = None
    node: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None
    account: AccountIn | None = Field(default=None, description="coordinators only: create the person's login")
    consent: bool = Field(default=False, description="the registrant agrees to the organisation keeping their "
                                                     "details (志愿服务条例 第二十条); its time is recorded")


class EnrolmentIn(GuardianIn):
    volunteer_id: Id
    node: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None


class ClaimCodeIn(_In):
    claim_id: Id
    code: str = Field(pattern=r"^[0-9]{6}$", min_length=6, max_length=6, description="the 6-digit code sent to the phone")


class ClaimConfirmIn(_In):
    id_number: str = Field(min_length=1, max_length=40, description="the number on the ID card the coordinator saw")


class SignupIn(_In):
    username: str = Field(min_length=1, max_length=120)
    password: str = Field(min_length=1, max_length=1024)
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                       description="the code to finish signing up is sent here")
    display_name: str | None = Field(default=None, max_length=200)


class SignupConfirmIn(_In):
    signup_id: Id
    code: str = Field(pattern=r"^[0-9]{6}$", min_length=6, max_length=6)


class ApplicationIn(_In):
    post_id: Id
    volunteer_id: Id | None = Field(default=None, description="staff: whom for; volunteers: omit (yourself)")
    note: str | None = Field(default=None, max_length=2000)


class FireIn(_In):
    trigger: str = Field(min_length=1, max_length=63)
    expected_version: Int | None = Field(default=None, ge=1, description="optimistic lock: the version you saw")
    payload: dict[str, Any] = Field(default_factory=dict)


class AgreementIn(_In):
    application_id: Id
    signed_on: Day
    title: Short = "志愿服务协议书"
    guardian_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None


ImportMode = Literal["all_or_nothing", "good_rows"]


# ------------------------------------------------------------------ responses (plain dicts, masked)


def volunteer_out(v: Volunteer, *, reveal: bool, today: dt.date | None = None) -> dict[str, Any]:
    """A volunteer as shown to someone; ID number and phone masked unless ``reveal``
    (志愿服务条例 第二十条: no disclosure without the volunteer's consent). Whoever sees the ID
    number masked sees no birth date either, only the age: the birth date is eight of its digits."""
    on, born = today or timeutil.now().date(), v.birth_date
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return {
        "id": v.id, "name": v.name, "gender": v.gender, "birth_date": v.birth_date.isoformat() if reveal else None,
        "age": age,
        "id_number": v.id_number if reveal else mask_id_number(v.id_number),
        "phone": (v.phone if reveal else mask_phone(v.phone)) if v.phone else None,
        "skills": list(v.skills or []), "languages": list(v.languages or []),
        "qualifications": list(v.qualifications or []), "availability": v.availability, "unit": v.unit,
        "has_account": v.user_id is not None, "masked": not reveal,
    }


def enrolment_out(e: Enrolment) -> dict[str, Any]:
    return {"id": e.id, "volunteer_id": e.volunteer_id, "source": e.source, "node": e.node,
            "guardian_consent": e.guardian_consent, "guardian_name": e.guardian_name,
            "guardian_relationship": e.guardian_relationship,
            "guardian_phone": mask_phone(e.guardian_phone) if e.guardian_phone else None,
            "guardian_consent_at": e.guardian_consent_at.isoformat() if e.guardian_consent_at else None,
            "consent_at": e.consent_at.isoformat() if e.consent_at else None,
            "enrolled_at": e.enrolled_at.isoformat(), "referred_by": e.referred_by}


def agreement_out(a: Agreement) -> dict[str, Any]:
    return {"id": a.id, "application_id": a.application_id, "volunteer_id": a.volunteer_id, "title": a.title,
            "signed_on": a.signed_on.isoformat(), "guardian_name": a.guardian_name, "recorded_by": a.recorded_by}
