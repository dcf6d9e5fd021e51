"""Confidentiality of case files (《法律援助法》第二十一条; 《律师法》第三十八条; seed 000 篇5 保密原则:
所有档案资料仅限授权人员查阅).

Who sees a case file:

=====================================================  ==========
intake staff (``intake``), supervisors (``supervisor``)   whole file (ID numbers included)
the case's lawyer(s) and assistants (active members)      whole file (they file on the client's behalf)
``admin`` and ``coordinator`` without the above           masked: number, type, state, dates, deadlines;
                                                          no names, ID numbers, facts or work log
everyone else (other volunteers, team leaders …)          refused (403)
=====================================================  ==========

Every read — whole, masked or refused — is written to ``la_case_reads`` (who, when, what). The same
rule answers the engine's generic workflow endpoints through ``volunteer_instance_access``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import Session

from engine.sdk.tables import Volunteer

from .models import CaseMember, CaseReadLog, LegalDocument
from .models import LegalVolunteerProfile as Profile

__all__ = [
    "FULL_ROLES",
    "MASKED_ROLES",
    "View",
    "case_view_level",
    "document_view_level",
    "level_for",
    "log_reads",
    "mask_name",
    "member_case_ids",
    "profile_of_user",
]

FULL_ROLES = frozenset({"intake", "supervisor"})
MASKED_ROLES = frozenset({"admin", "coordinator"})


class View(StrEnum):
    FULL = "full"
    MASKED = "masked"
    REFUSED = "refused"


def profile_of_user(session: Session, programme_id: str, user_id: int) -> Profile | None:
    """The legal-aid profile of the person logged in (through ``Volunteer.user_id``)."""
    return session.scalars(select(Profile).join(Volunteer, Volunteer.id == Profile.volunteer_id).where(
        Profile.programme_id == programme_id, Volunteer.user_id == user_id)).first()


def is_member(session: Session, case_id: int, user_id: int) -> bool:
    """Is this user an active lawyer or assistant on the case?"""
    return bool(session.scalar(select(exists().where(
        CaseMember.case_id == case_id, CaseMember.released_on.is_(None),
        CaseMember.profile_id == Profile.id, Profile.volunteer_id == Volunteer.id,
        Volunteer.user_id == user_id))))


def member_case_ids(session: Session, programme_id: str, user_id: int) -> set[int]:
    """The cases this user is an active lawyer or assistant on (one query)."""
    return set(session.scalars(select(CaseMember.case_id).join(Profile, Profile.id == CaseMember.profile_id)
                               .join(Volunteer, Volunteer.id == Profile.volunteer_id).where(
        CaseMember.programme_id == programme_id, CaseMember.released_on.is_(None), Volunteer.user_id == user_id)))


def level_for(roles: frozenset[str], member: bool) -> View:
    if roles & FULL_ROLES or member:
        return View.FULL
    if roles & MASKED_ROLES:
        return View.MASKED
    return View.REFUSED


def case_view_level(session: Session, case_id: int, user_id: int, roles: frozenset[str]) -> View:
    if roles & FULL_ROLES:
        return View.FULL
    return level_for(roles, is_member(session, case_id, user_id))


def document_view_level(session: Session, programme: Any, doc: LegalDocument, user_id: int,
                        roles: frozenset[str]) -> View:
    """A document follows its case; its drafter and anyone who may review documents also see it."""
    from .qualifications import may_review, today_in

    level = case_view_level(session, doc.case_id, user_id, roles) if doc.case_id is not None else (
        View.FULL if roles & FULL_ROLES else View.MASKED if roles & MASKED_ROLES else View.REFUSED)
    if level is View.FULL:
        return level
    prof = profile_of_user(session, programme.id, user_id)
    if prof is not None and (prof.id == doc.drafter_profile_id or
                             may_review(prof, programme.rules, today_in(programme))):
        return View.FULL
    return level


def log_reads(session: Session, programme_id: str, case_ids: list[int], actor: str, roles: frozenset[str],
              what: str, view: View) -> None:
    """Append one read-log row per case (one statement)."""
    if not case_ids:
        return
    session.execute(insert(CaseReadLog), [
        {"programme_id": programme_id, "case_id": cid, "actor": actor, "roles": sorted(roles), "what": what,
         "view": view.value} for cid in case_ids])


def mask_name(name: str | None) -> str | None:
    """``张小明`` → ``张**``; ``Zhang Xiaoming`` → ``Z*************``; organisations keep two characters."""
    if not name:
        return name
    keep = 2 if len(name) > 4 else 1
    return name[:keep] + "*" * (len(name) - keep)
