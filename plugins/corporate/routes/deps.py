"""The caller in a corporate programme (404 for a programme of another plan type)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from engine.errors import Forbidden, NotFound
from engine.sdk.http import Access, Caller

from ..employees import employee, employee_of_user, require_see
from ..models import Employee
from ..rules import PlanRules

PREFIX = "/programmes/{programme_id}/corporate"
STAFF = ("csr_office", "admin", "coordinator")


def corporate_access(access: Caller) -> Access:
    if access.programme.plan_type_id != "corporate":
        raise NotFound(f"项目 {access.programme.id} 不是企业志愿服务项目 / programme {access.programme.id!r} is not a "
                       "corporate programme")
    return access


CorpDep = Annotated[Access, Depends(corporate_access)]


def target_employee(session: Session, access: Access, employee_id: int | None) -> Employee:
    """The employee named (who must be visible to the caller), or the caller's own record."""
    if employee_id is None:
        me = employee_of_user(session, access.programme.id, access.user.id)
        if me is None:
            raise Forbidden("你不是本项目登记的员工 / you are not a registered employee of this programme")
        return me
    emp = employee(session, access.programme.id, employee_id)
    require_see(access, session, emp)
    return emp


def plan_rules(access: Access) -> PlanRules:
    """The programme's corporate rules (typed)."""
    rules = access.programme.rules
    assert isinstance(rules, PlanRules)
    return rules
