"""Employees' service (志愿服务时长): the engine's service record, verified, linked here to the
project and the partner organisation it was for (what grants and the CSR report read)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from engine.errors import Forbidden, InvalidInput
from engine.sdk import PlanContext

from .committee import proposal_of, state_of
from .employees import check_partner, check_skills, h2, rules_of
from .models import Employee, Service


def may_record(access: Any, emp: Employee, partner: str) -> bool:
    """The CSR office and admins; the employee's department liaison; the partner's own contacts."""
    if access.has("csr_office", "admin", "coordinator"):
        return True
    rules = access.programme.rules
    dept = rules.department(emp.department)
    if access.has("liaison") and dept is not None and dept.liaison == access.actor:
        return True
    p = rules.partner(partner)
    return bool(access.has("partner") and p is not None and access.actor in p.users)


def record(ctx: PlanContext, access: Any, emp: Employee, data: Any) -> Service:
    rules = rules_of(ctx)
    partner = data.partner
    if data.proposal_id is not None:
        p = proposal_of(ctx.session, ctx.programme.id, data.proposal_id)
        if p.kind != "project" or state_of(ctx, p) != "approved":
            raise InvalidInput(f"方案 {p.id} 不是已批准的项目 / proposal {p.id} is not an approved project",
                               field="proposal_id")
        partner = partner or p.partner
    if partner is None:
        raise InvalidInput("须指明合作机构 / name the partner organisation", field="partner")
    check_partner(rules, partner)
    check_skills(rules, data.skills_used, "skills_used")
    if not may_record(access, emp, partner):
        raise Forbidden("只有执行办公室、本部门联络员或该合作机构可以登记时长 / only the CSR office, the "
                        "department's liaison or the partner organisation records service")
    hh, mm = (int(x) for x in data.start.split(":"))
    start = dt.datetime.combine(data.served_on, dt.time(hh, mm), tzinfo=ctx.zone)
    minutes = int(Decimal(data.hours) * 60)
    rec = ctx.record_service(emp.volunteer_id, start.astimezone(dt.UTC),
                             (start + dt.timedelta(minutes=minutes)).astimezone(dt.UTC), minutes=minutes,
                             category="skills" if data.skills_used else "general",
                             content=f"corporate:{partner}", verified=True)
    row = Service(programme_id=ctx.programme.id, record_id=rec.id, employee_id=emp.id, proposal_id=data.proposal_id,
                  partner=partner, served_on=data.served_on, hours=(Decimal(rec.minutes) / 60).quantize(Decimal("0.01")), team=data.team,
                  skills_used=list(data.skills_used))
    ctx.session.add(row)
    ctx.session.flush()
    return row


def view(s: Service) -> dict[str, Any]:
    return {"id": s.id, "record_id": s.record_id, "employee_id": s.employee_id, "proposal_id": s.proposal_id,
            "partner": s.partner, "served_on": s.served_on.isoformat(), "hours": h2(s.hours), "team": s.team,
            "skills_used": s.skills_used, "claim_id": s.claim_id}
