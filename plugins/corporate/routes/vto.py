"""Work-time allowance (VTO) requests, decisions, balances and the forfeited-hours report."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status
from sqlalchemy import select

from engine.inputs import Day, Id
from engine.sdk.http import ProgrammeCtx, SessionDep

from .. import vto
from ..employees import employee
from ..models import Employee, VtoRequest
from ..schemas import DecisionIn, VtoIn, Year
from .deps import PREFIX, STAFF, CorpDep, target_employee

router = APIRouter(prefix=PREFIX + "/vto", tags=["corporate"])


@router.post("/requests", status_code=status.HTTP_201_CREATED)
def ask(body: VtoIn, access: CorpDep, ctx: ProgrammeCtx, session: SessionDep) -> dict[str, Any]:
    """申请工作时间志愿服务 Ask for work-time hours (the employee, or the CSR office for them)."""
    if body.employee_id is not None:
        access.require(*STAFF, what="asking for another employee")
    emp = target_employee(session, access, body.employee_id)
    return vto.view(vto.request(ctx, emp, body.service_on, body.hours, body.proposal_id))


@router.post("/requests/{request_id}/decision")
def decide(request_id: Id, body: DecisionIn, access: CorpDep, ctx: ProgrammeCtx, session: SessionDep) -> dict[str, Any]:
    """经理审批 The manager approves (for what is left, with the reason) or refuses."""
    req = vto.get_request(session, access.programme.id, request_id)
    emp = employee(session, access.programme.id, req.employee_id)
    return vto.view(vto.decide(ctx, emp, req, approve=body.approve, comment=body.comment, access=access))


@router.get("/requests")
def requests(access: CorpDep, session: SessionDep, status_: str | None = None) -> list[dict[str, Any]]:
    """Requests the caller may see: their own, their reports' (manager), all (CSR office)."""
    q = select(VtoRequest, Employee).join(Employee, Employee.id == VtoRequest.employee_id).where(
        VtoRequest.programme_id == access.programme.id)
    if status_:
        q = q.where(VtoRequest.status == status_[:16])
    if not access.has(*STAFF):
        q = q.where((Employee.user_id == access.user.id) | (Employee.manager == access.actor))
    return [vto.view(r) for r, _ in session.execute(q.order_by(VtoRequest.id))]


@router.get("/balance")
def balance(access: CorpDep, ctx: ProgrammeCtx, session: SessionDep, employee_id: Id | None = None,
            on: Day | None = None) -> dict[str, Any]:
    """剩余额度 What is granted, carried in, used and left in the period of ``on`` (default today)."""
    emp = target_employee(session, access, employee_id)
    return vto.balance(ctx, emp, on or ctx.today)


@router.get("/forfeited")
def forfeited(access: CorpDep, ctx: ProgrammeCtx, session: SessionDep, upto: Day | None = None,
              since_year: Year | None = None, department: str | None = None) -> list[dict[str, Any]]:
    """期末作废时数 Hours that lapsed at the end of each ended period (CSR office, admins)."""
    access.require(*STAFF, what="the forfeited-hours report")
    q = select(Employee).where(Employee.programme_id == access.programme.id)
    if department:
        q = q.where(Employee.department == department[:63])
    return vto.forfeited_report(ctx, list(session.scalars(q.order_by(Employee.id))), upto or ctx.today, since_year)
