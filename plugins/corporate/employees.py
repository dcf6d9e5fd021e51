"""Employees (员工志愿者): registry volunteers linked to their HR id, department, manager and skills,
and what each agreed to share with HR for performance reviews (绩效挂钩, only with consent)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.sdk import PlanContext

from .models import Employee
from .rules import PlanRules


def rules_of(ctx: PlanContext) -> PlanRules:
    rules = ctx.programme.rules
    assert isinstance(rules, PlanRules)
    return rules


def check_department(rules: PlanRules, key: str, field: str = "department") -> None:
    if rules.department(key) is None:
        raise InvalidInput(f"未知部门 {key!r} / unknown department {key!r}; known: "
                           f"{', '.join(d.key for d in rules.departments)}", field=field)


def check_skills(rules: PlanRules, skills: list[str], field: str = "skills") -> None:
    taxonomy = rules.taxonomy()
    bad = [s for s in skills if s not in taxonomy]
    if bad:
        raise InvalidInput(f"未知技能 {', '.join(bad)} / unknown skills {', '.join(bad)} (rules.skills adds "
                           "more)", field=field)


def check_partner(rules: PlanRules, key: str, field: str = "partner") -> None:
    if rules.partner(key) is None:
        raise InvalidInput(f"未知合作机构 {key!r} / unknown partner organisation {key!r}; known: "
                           f"{', '.join(p.key for p in rules.partners) or '(none)'}", field=field)


def add_employee(ctx: PlanContext, data: Any) -> Employee:
    rules = rules_of(ctx)
    check_department(rules, data.department)
    check_skills(rules, data.skills)
    s = ctx.session
    if s.scalar(select(Employee.id).where(Employee.programme_id == ctx.programme.id, Employee.hr_id == data.hr_id)):
        raise Conflict(f"工号 {data.hr_id} 已登记 / HR id {data.hr_id} is already registered", field="hr_id")
    vol = ctx.register_person(data.name, data.id_number, phone=data.phone)
    ctx.enrol_volunteer(vol.id, source="corporate")
    user_id = None
    if data.username:
        user = ctx.user_by_name(data.username)
        if user is None:
            raise InvalidInput(f"没有账号 {data.username} / no account {data.username}", field="username")
        ctx.link_account(vol.id, user.id)
        user_id = user.id
    if s.scalar(select(Employee.id).where(Employee.programme_id == ctx.programme.id, Employee.volunteer_id == vol.id)):
        raise Conflict("此人已登记为员工 / this person is already registered as an employee", field="id_number")
    row = Employee(programme_id=ctx.programme.id, volunteer_id=vol.id, user_id=user_id, hr_id=data.hr_id,
                   department=data.department, employment_type=data.employment_type, hired_on=data.hired_on,
                   left_on=data.left_on, manager=data.manager, flags=list(data.flags), skills=list(data.skills),
                   available_hours_month=data.available_hours_month)
    s.add(row)
    s.flush()
    return row


def employee(session: Session, programme_id: str, employee_id: int) -> Employee:
    row = session.get(Employee, employee_id)
    if row is None or row.programme_id != programme_id:
        raise NotFound(f"没有员工 {employee_id} / no employee {employee_id}", employee_id=employee_id)
    return row


def employee_of_user(session: Session, programme_id: str, user_id: int) -> Employee | None:
    return session.scalar(select(Employee).where(Employee.programme_id == programme_id, Employee.user_id == user_id))


def may_see(access: Any, session: Session, emp: Employee) -> bool:
    """The employee, their manager, their department's liaison, the CSR office and admins."""
    if access.has("csr_office", "admin", "coordinator"):
        return True
    if emp.user_id == access.user.id or emp.manager == access.actor:
        return True
    dept = access.programme.rules.department(emp.department)
    return bool(access.has("liaison") and dept is not None and dept.liaison == access.actor)


def require_see(access: Any, session: Session, emp: Employee) -> None:
    if not may_see(access, session, emp):
        raise Forbidden(f"无权查看员工 {emp.id} / you may not see employee {emp.id}")


def lock(session: Session, emp: Employee) -> None:
    """Take the employee's row for this unit of work (FOR UPDATE on PostgreSQL; SQLite has one writer), so
    two decisions or claims for one employee are made one after the other, each seeing the other's result."""
    session.execute(select(Employee.id).where(Employee.id == emp.id).with_for_update())


def set_consent(ctx: PlanContext, emp: Employee, fields: list[str], *, user_id: int) -> Employee:
    if emp.user_id != user_id:
        raise Forbidden("只有员工本人可以决定与人力资源共享的内容 / only the employee decides what HR may see")
    allowed = rules_of(ctx).hr_export.fields
    bad = [f for f in fields if f not in allowed]
    if bad:
        raise InvalidInput(f"不可共享 {', '.join(bad)} / {', '.join(bad)} cannot be shared; allowed: "
                           f"{', '.join(allowed)}", field="fields")
    emp.share_with_hr = sorted(set(fields))
    emp.consent_on = ctx.today if fields else None
    ctx.session.flush()
    return emp


def view(emp: Employee, name: str | None = None) -> dict[str, Any]:
    return {"id": emp.id, "hr_id": emp.hr_id, "name": name, "department": emp.department,
            "employment_type": emp.employment_type, "hired_on": emp.hired_on.isoformat(),
            "left_on": emp.left_on.isoformat() if emp.left_on else None, "manager": emp.manager,
            "flags": emp.flags, "skills": emp.skills, "available_hours_month": h2(emp.available_hours_month),
            "share_with_hr": emp.share_with_hr, "volunteer_id": emp.volunteer_id}


def h2(value: Decimal | int | str | None) -> str | None:
    """Hours or money as text with two decimals ("18.00"), the one form every answer uses."""
    return None if value is None else str(Decimal(str(value)).quantize(Decimal("0.01")))


__all__ = [
    "add_employee",
    "check_department",
    "check_partner",
    "check_skills",
    "dt",
    "employee",
    "employee_of_user",
    "h2",
    "may_see",
    "require_see",
    "rules_of",
    "set_consent",
    "view",
]
