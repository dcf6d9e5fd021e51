"""The caller in a legal-aid programme (404 for a programme of another plan type)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from engine.errors import Forbidden, NotFound
from engine.sdk.http import Access, AccessDep

from ..access import is_member, profile_of_user
from ..models import Case
from ..models import LegalVolunteerProfile as Profile

PREFIX = "/programmes/{programme_id}/legal-aid"


def legal_access(access: AccessDep) -> Access:
    if access.programme.plan_type_id != "legal_aid":
        raise NotFound(f"项目 {access.programme.id} 不是法律援助项目 / programme {access.programme.id!r} is not a "
                       "legal-aid programme")
    return access


LegalDep = Annotated[Access, Depends(legal_access)]


def me(session: Session, access: Access) -> Profile | None:
    """The caller's own legal-aid profile, if they are a volunteer of the programme."""
    return profile_of_user(session, access.programme.id, access.user.id)


def require_role_or_member(session: Session, access: Access, case: Case, *roles: str, what: str) -> None:
    """Allowed for these roles and for the case's own lawyers and assistants."""
    if access.has(*roles) or is_member(session, case.id, access.user.id):
        return
    raise Forbidden(f"需要角色 {'/'.join(roles)} 或为本案律师、助理 / {what} needs one of the roles {', '.join(roles)} "
                    f"or being a lawyer or assistant on case {case.number}")
