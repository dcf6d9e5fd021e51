"""Service hours and matching-grant claims (to the partner organisation, with status)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status
from sqlalchemy import select

from engine.inputs import Id
from engine.sdk.http import ProgrammeCtx, SessionDep

from .. import grants, service
from ..employees import employee
from ..models import Employee, GrantClaim, Service
from ..schemas import ClaimAnswerIn, ClaimIn, ServiceIn, TeamClaimIn
from .deps import PREFIX, STAFF, CorpDep, plan_rules, target_employee

router = APIRouter(prefix=PREFIX, tags=["corporate"])


@router.post("/services", status_code=status.HTTP_201_CREATED)
def record(body: ServiceIn, access: CorpDep, ctx: ProgrammeCtx, session: SessionDep) -> dict[str, Any]:
    """登记服务时长 Verified service of an employee at a partner (CSR office, the department's liaison, the partner)."""
    emp = employee(session, access.programme.id, body.employee_id)
    return service.view(service.record(ctx, access, emp, body))


@router.get("/services")
def services(access: CorpDep, session: SessionDep, employee_id: Id | None = None) -> list[dict[str, Any]]:
    emp = target_employee(session, access, employee_id)
    rows = session.scalars(select(Service).where(Service.employee_id == emp.id).order_by(Service.served_on, Service.id))
    return [service.view(s) for s in rows]


@router.post("/grants/claims", status_code=status.HTTP_201_CREATED)
def claim(body: ClaimIn, access: CorpDep, ctx: ProgrammeCtx, session: SessionDep) -> dict[str, Any]:
    """申请配捐 Claim a matching grant for unclaimed service at one partner (the employee, or the CSR office)."""
    if body.employee_id is not None:
        access.require(*STAFF, what="claiming for another employee")
    emp = target_employee(session, access, body.employee_id)
    return grants.claim(ctx, emp, body.partner, body.service_ids)


@router.post("/grants/team-claims", status_code=status.HTTP_201_CREATED)
def team_claim(body: TeamClaimIn, access: CorpDep, ctx: ProgrammeCtx) -> dict[str, Any]:
    """团队配捐 A team grant for a department that served together on a project (CSR office, its liaison)."""
    dept = plan_rules(access).department(body.department)
    if not (access.has(*STAFF) or (dept is not None and dept.liaison == access.actor)):
        access.require(*STAFF, what=f"a team grant for {body.department} (or its liaison)")
    return grants.view(grants.team_claim(ctx, body.proposal_id, body.department, body.served_on))


@router.get("/grants/claims")
def claims(access: CorpDep, session: SessionDep) -> list[dict[str, Any]]:
    """Claims the caller may see: all (CSR office), their organisation's (partner contacts), their own."""
    q = select(GrantClaim).where(GrantClaim.programme_id == access.programme.id)
    if not access.has(*STAFF):
        mine = [p.key for p in plan_rules(access).partners if access.actor in p.users]
        own = select(Employee.id).where(Employee.programme_id == access.programme.id,
                                        Employee.user_id == access.user.id)
        q = q.where(GrantClaim.partner.in_(mine) | GrantClaim.employee_id.in_(own))
    return [grants.view(c) for c in session.scalars(q.order_by(GrantClaim.id))]


@router.post("/grants/claims/{claim_id}/answer")
def answer(claim_id: Id, body: ClaimAnswerIn, access: CorpDep, ctx: ProgrammeCtx, session: SessionDep) -> dict[str, Any]:
    """合作机构确认/谢绝，执行办公室登记付款 The partner confirms or declines; the CSR office marks it paid."""
    c = grants.get_claim(session, access.programme.id, claim_id)
    return grants.view(grants.answer(ctx, access, c, body.status, body.note))
