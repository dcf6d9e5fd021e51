"""Volunteer routes: profiles (qualifications), signed duties, declared interests.

Registering and updating profiles and recording signed agreements: ``admin``, ``coordinator``. Listing:
those and ``supervisor``, ``intake``. Declarations: the volunteer themself, ``admin``, ``coordinator``,
``supervisor``. ID numbers and phones are masked unless the role sees personal data.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import Forbidden
from engine.inputs import Id
from engine.sdk.http import Access, ProgrammeCtx, SessionDep
from engine.sdk.people import mask_phone
from engine.sdk.tables import Volunteer

from .. import volunteers
from ..assignment import get_profile
from ..cases import rules_of
from ..models import InterestDeclaration
from ..models import LegalVolunteerProfile as Profile
from ..qualifications import duty_problems, licence_valid, may_review, seniority, today_in
from ..schemas import AgreementsIn, DeclarationIn, ProfileIn, ProfileUpdate
from ..views import mask_id
from .deps import PREFIX, LegalDep, me

router = APIRouter(prefix=PREFIX, tags=["legal_aid"])

MANAGE = ("admin", "coordinator")
LIST = ("admin", "coordinator", "supervisor", "intake")


def _d(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def profile_view(session: Session, access: Access, p: Profile) -> dict[str, Any]:
    vol = session.get(Volunteer, p.volunteer_id)
    assert vol is not None
    rules, today = rules_of(access.programme), today_in(access.programme)
    own = vol.user_id == access.user.id
    sees = access.sees_personal_data() or own
    return {
        "id": p.id, "volunteer_id": vol.id, "name": vol.name, "kind": p.kind,
        "id_number": mask_id(vol.id_number, sees),
        "phone": vol.phone if sees or not vol.phone else mask_phone(vol.phone),
        "licence_no": p.licence_no, "issuing_body": p.issuing_body, "licence_valid_until": _d(p.licence_valid_until),
        "licence_valid": licence_valid(p, today), "years_of_practice": p.years_of_practice,
        "seniority": seniority(p, rules), "may_review": may_review(p, rules, today), "expertise": p.expertise,
        "firm": p.firm, "institution": p.institution, "former_office": p.former_office,
        "left_office_on": _d(p.left_office_on), "confidentiality_signed_on": _d(p.confidentiality_signed_on),
        "no_payment_signed_on": _d(p.no_payment_signed_on), "duties": duty_problems(p, today), "active": p.active,
        "user_linked": vol.user_id is not None,
    }


def _own_or(session: Session, access: Access, p: Profile, *roles: str, what: str) -> None:
    mine = me(session, access)
    if access.has(*roles) or (mine is not None and mine.id == p.id):
        return
    raise Forbidden(f"需要角色 {'/'.join(roles)} 或本人 / {what} needs one of the roles {', '.join(roles)} or being "
                    "the volunteer themself")


@router.post("/volunteers", status_code=status.HTTP_201_CREATED)
def register(body: ProfileIn, access: LegalDep, session: SessionDep, ctx: ProgrammeCtx) -> dict[str, Any]:
    """Register a legal-aid volunteer (existing registry entry, or a new one from name and ID number)."""
    access.require(*MANAGE, what="registering a legal-aid volunteer")
    p = volunteers.create_profile(ctx, body, actor=access.actor)
    return profile_view(session, access, p)


@router.get("/volunteers")
def list_profiles(access: LegalDep, session: SessionDep, kind: str | None = None) -> list[dict[str, Any]]:
    access.require(*LIST, what="the volunteer list")
    q = select(Profile).where(Profile.programme_id == access.programme.id)
    if kind:
        q = q.where(Profile.kind == kind)
    return [profile_view(session, access, p) for p in session.scalars(q.order_by(Profile.id))]


@router.get("/volunteers/{profile_id}")
def show(profile_id: Id, access: LegalDep, session: SessionDep) -> dict[str, Any]:
    p = get_profile(session, access.programme, profile_id)
    _own_or(session, access, p, *LIST, what="a volunteer's profile")
    return profile_view(session, access, p)


@router.patch("/volunteers/{profile_id}")
def update(profile_id: Id, body: ProfileUpdate, access: LegalDep, session: SessionDep) -> dict[str, Any]:
    """Renew a licence, change expertise, deactivate …"""
    access.require(*MANAGE, what="changing a volunteer's profile")
    p = volunteers.update_profile(session, access.programme, get_profile(session, access.programme, profile_id), body)
    return profile_view(session, access, p)


@router.post("/volunteers/{profile_id}/agreements")
def agreements(profile_id: Id, body: AgreementsIn, access: LegalDep, session: SessionDep) -> dict[str, Any]:
    """Record the signed confidentiality agreement and no-payment declaration (第二十一条、第二十条)."""
    access.require(*MANAGE, what="recording signed agreements")
    p = volunteers.record_agreements(session, access.programme, get_profile(session, access.programme, profile_id),
                                     body)
    return profile_view(session, access, p)


@router.post("/volunteers/{profile_id}/declarations", status_code=status.HTTP_201_CREATED)
def declare(profile_id: Id, body: DeclarationIn, access: LegalDep, session: SessionDep) -> dict[str, Any]:
    """Declare an interest (relative, employer, client of the firm, former client, matter handled as an
    official); it is indexed for conflict checks at once."""
    p = get_profile(session, access.programme, profile_id)
    _own_or(session, access, p, "admin", "coordinator", "supervisor", what="declaring an interest")
    d = volunteers.add_declaration(session, access.programme, p, body, actor=access.actor)
    return {"id": d.id, "ref": f"declaration:{d.id}", "kind": d.kind, "name": d.name}


@router.get("/volunteers/{profile_id}/declarations")
def declarations(profile_id: Id, access: LegalDep, session: SessionDep) -> list[dict[str, Any]]:
    p = get_profile(session, access.programme, profile_id)
    _own_or(session, access, p, "admin", "coordinator", "supervisor", what="a volunteer's declarations")
    sees = access.sees_personal_data()
    rows = session.scalars(select(InterestDeclaration).where(InterestDeclaration.profile_id == p.id)
                           .order_by(InterestDeclaration.id))
    return [{"id": d.id, "ref": f"declaration:{d.id}", "kind": d.kind, "party_kind": d.party_kind, "name": d.name,
             "aliases": d.aliases, "id_number": mask_id(d.id_number, sees), "relation": d.relation,
             "ended_on": _d(d.ended_on), "declared_on": _d(d.declared_on)} for d in rows]
