"""Work-time allowance requests (工作时间内志愿服务 / VTO) on the engine's allowance policy.

An employee asks for hours on a day; their manager (or the CSR office) decides. At the decision the
engine's :func:`allowance.decide` runs on what is approved so far: in full, for what is left (with
the reason), or refused (ineligible, nothing left). With ``approval: none`` the request is decided
at once. Balances and forfeited hours come from :func:`allowance.balances`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.errors import Conflict, Forbidden, NotFound
from engine.sdk import PlanContext
from engine.sdk.policies import AllowancePolicy, allowance
from engine.sdk.policies import Employee as PolicyEmployee

from .employees import h2, lock
from .models import Employee, VtoRequest


def policy_of(ctx: PlanContext) -> AllowancePolicy:
    pol = ctx.programme.rules_policy.allowance
    if pol is None:
        raise Conflict("本项目没有工作时间志愿服务假政策 / this programme has no work-time allowance "
                       "(rules.allowance or a pack)", field="rules.allowance")
    return pol


def as_policy_employee(emp: Employee) -> PolicyEmployee:
    return PolicyEmployee(emp.employment_type, emp.hired_on, frozenset(emp.flags or ()), emp.left_on)


def used_by_period(session: Session, employee_id: int) -> dict[str, Decimal]:
    rows = session.execute(select(VtoRequest.period, func.sum(VtoRequest.hours_approved)).where(
        VtoRequest.employee_id == employee_id, VtoRequest.status == "approved").group_by(VtoRequest.period)).all()
    return {p: Decimal(str(h)) for p, h in rows}


def request(ctx: PlanContext, emp: Employee, service_on: dt.date, hours: Decimal,
            proposal_id: int | None = None) -> VtoRequest:
    pol = policy_of(ctx)
    req = VtoRequest(programme_id=ctx.programme.id, employee_id=emp.id, proposal_id=proposal_id, service_on=service_on,
                     period=allowance.period_of(pol, service_on), hours_requested=hours, created_by=ctx.actor)
    ctx.session.add(req)
    ctx.session.flush()
    if pol.approval == "none":
        _apply(ctx, pol, emp, req, approve=True, comment=None)
    return req


def _apply(ctx: PlanContext, pol: AllowancePolicy, emp: Employee, req: VtoRequest, *, approve: bool,
           comment: str | None) -> None:
    req.decided_by, req.decided_at = ctx.actor, ctx.now
    if not approve:
        req.status, req.hours_approved = "refused", Decimal(0)
        req.reason = comment or "经理未批准 / not approved by the manager"
        return
    lock(ctx.session, emp)
    d = allowance.decide(pol, as_policy_employee(emp), used_by_period(ctx.session, emp.id), req.service_on,
                         Decimal(req.hours_requested))
    if d.refused is not None:
        req.status, req.hours_approved, req.reason = "refused", Decimal(0), d.refused
    else:
        req.status, req.hours_approved = "approved", d.approved
        req.reason = "；".join(x for x in (d.reason, comment) if x) or None
    ctx.session.flush()


def decide(ctx: PlanContext, emp: Employee, req: VtoRequest, *, approve: bool, comment: str | None,
           access: Any) -> VtoRequest:
    if req.status != "pending":
        raise Conflict(f"申请 {req.id} 已处理（{req.status}）/ request {req.id} is already {req.status}",
                       field="request_id")
    if not (emp.manager == access.actor or access.has("csr_office", "admin")):
        raise Forbidden("只有员工的直属经理或执行办公室可以审批 / only the employee's manager or the CSR office "
                        "decides (rules.allowance.approval: manager)")
    if emp.user_id is not None and emp.user_id == access.user.id:
        raise Forbidden("不能审批自己的申请 / you may not decide your own request")
    _apply(ctx, policy_of(ctx), emp, req, approve=approve, comment=comment)
    return req


def get_request(session: Session, programme_id: str, request_id: int) -> VtoRequest:
    req = session.get(VtoRequest, request_id)
    if req is None or req.programme_id != programme_id:
        raise NotFound(f"没有申请 {request_id} / no request {request_id}", request_id=request_id)
    return req


def balance(ctx: PlanContext, emp: Employee, on: dt.date) -> dict[str, Any]:
    pol = policy_of(ctx)
    rows = allowance.balances(pol, as_policy_employee(emp), used_by_period(ctx.session, emp.id), on)
    cur = rows[-1] if rows else None
    why = allowance.ineligible(pol, as_policy_employee(emp), on)
    return {"employee_id": emp.id, "on": on.isoformat(), "period": cur.period if cur else None,
            "granted": h2(cur.granted) if cur else "0.00", "carried_in": h2(cur.carried_in) if cur else "0.00",
            "used": h2(cur.used) if cur else "0.00", "left": h2(cur.left) if cur else "0.00", "eligible": why is None,
            "ineligible_reason": why, "policy": {"hours": h2(pol.hours), "per": pol.per, "period_end": pol.period_end}}


def forfeited_report(ctx: PlanContext, employees: list[Employee], upto: dt.date,
                     since_year: int | None = None) -> list[dict[str, Any]]:
    """Hours that lapsed at each ended period's end, per employee (为期末作废时数报告)."""
    pol = policy_of(ctx)
    out = []
    for emp in employees:
        for b in allowance.forfeited(pol, as_policy_employee(emp), used_by_period(ctx.session, emp.id), upto,
                                     since_year):
            out.append({"employee_id": emp.id, "hr_id": emp.hr_id, "department": emp.department, "period": b.period,
                        "granted": h2(b.granted), "carried_in": h2(b.carried_in), "used": h2(b.used),
                        "forfeited": h2(b.forfeited)})
    return out


def view(req: VtoRequest) -> dict[str, Any]:
    return {"id": req.id, "employee_id": req.employee_id, "service_on": req.service_on.isoformat(),
            "period": req.period, "hours_requested": h2(req.hours_requested),
            "hours_approved": h2(req.hours_approved), "status": req.status,
            "reason": req.reason, "decided_by": req.decided_by, "proposal_id": req.proposal_id}
