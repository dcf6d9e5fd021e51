"""The company: departments and partners (from the programme's rules), employees, consent to share."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status
from sqlalchemy import select

from engine.inputs import Id
from engine.sdk.http import ProgrammeCtx, SessionDep

from .. import employees as emps
from ..models import Employee
from ..schemas import ConsentIn, EmployeeIn, FlagsIn
from .deps import PREFIX, STAFF, CorpDep, plan_rules, target_employee

router = APIRouter(prefix=PREFIX, tags=["corporate"])


@router.get("/company")
def company(access: CorpDep) -> dict[str, Any]:
    """公司、部门与联络员、合作机构 The company, its departments (with liaisons) and partner organisations."""
    rules = plan_rules(access)
    partners = [{"key": p.key, "name": p.name, "kind": p.kind,
                 **({"contact": p.contact.model_dump()} if access.has(*STAFF, "liaison", "partner") else {})}
                for p in rules.partners]
    return {"company": rules.company.model_dump(mode="json"),
            "departments": [d.model_dump(mode="json") for d in rules.departments], "partners": partners,
            "skills": rules.taxonomy()}


@router.post("/employees", status_code=status.HTTP_201_CREATED)
def add(body: EmployeeIn, access: CorpDep, ctx: ProgrammeCtx) -> dict[str, Any]:
    """登记员工 Register an employee: HR id, department, manager, skills (the CSR office)."""
    access.require("csr_office", "admin", what="registering employees")
    emp = emps.add_employee(ctx, body)
    return emps.view(emp, body.name)


@router.get("/employees")
def listing(access: CorpDep, ctx: ProgrammeCtx, session: SessionDep, department: str | None = None) -> list[dict[str, Any]]:
    """Employees the caller may see: all (CSR office), their department's (liaison), their team (manager)."""
    q = select(Employee).where(Employee.programme_id == access.programme.id)
    if department:
        q = q.where(Employee.department == department[:63])
    out = []
    for emp in session.scalars(q.order_by(Employee.id)):
        if emps.may_see(access, session, emp):
            out.append(emps.view(emp, ctx.volunteer(emp.volunteer_id).name))
    return out


@router.get("/employees/me")
def me(access: CorpDep, ctx: ProgrammeCtx, session: SessionDep) -> dict[str, Any]:
    emp = target_employee(session, access, None)
    return emps.view(emp, ctx.volunteer(emp.volunteer_id).name)


@router.put("/employees/{employee_id}/flags")
def flags(employee_id: Id, body: FlagsIn, access: CorpDep, session: SessionDep) -> dict[str, Any]:
    """Exclusion flags (performance_plan, notice_period …) set by HR / the CSR office."""
    access.require("csr_office", "admin", what="setting employee flags")
    emp = emps.employee(session, access.programme.id, employee_id)
    emp.flags = sorted(set(body.flags))
    session.flush()
    return emps.view(emp)


@router.put("/employees/me/consent")
def consent(body: ConsentIn, access: CorpDep, ctx: ProgrammeCtx, session: SessionDep) -> dict[str, Any]:
    """绩效共享授权 What the employee agrees to share with HR for performance reviews (empty: nothing)."""
    emp = target_employee(session, access, None)
    emps.set_consent(ctx, emp, body.fields, user_id=access.user.id)
    return {"share_with_hr": emp.share_with_hr, "consent_on": emp.consent_on.isoformat() if emp.consent_on else None}
