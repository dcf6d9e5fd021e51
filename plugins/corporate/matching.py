"""Skills-based matching (技能匹配, seed 000 篇4: 在招募时明确技能要求，确保人岗匹配).

A project asks for skills from the taxonomy (``rules.skills`` adds to the built-in one; a skill may
have a parent: ``programming`` → ``it``). An employee's score for a project is

    0.7 × skills covered + 0.3 × availability

* skills covered: the share of asked skills the employee has — in full when they have the skill or a
  child of it (asked ``it``, has ``programming``), half when they have only its parent (asked
  ``programming``, has ``it``);
* availability: the employee's hours a month against the project's hours per person (capped at 1).

Employees whose department has used its quota on the project, who have left, or who are already
signed up are not ranked. Every match says why: which skills matched and how, what is missing, the
hours, the department's places left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Employee, Proposal, Signup
from .rules import PlanRules

W_SKILLS, W_AVAIL = Decimal("0.7"), Decimal("0.3")


@dataclass
class Match:
    employee: Employee
    score: Decimal
    skills: list[dict[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    availability: Decimal = Decimal(0)
    quota_left: int | None = None
    why: str = ""


def _skill_credit(rules: PlanRules, asked: str, has: set[str]) -> tuple[Decimal, str | None, str | None]:
    if asked in has:
        return Decimal(1), asked, "exact"
    child = next((h for h in sorted(has) if rules.parent_of(h) == asked), None)
    if child is not None:
        return Decimal(1), child, "narrower"
    parent = rules.parent_of(asked)
    if parent is not None and parent in has:
        return Decimal("0.5"), parent, "broader"
    return Decimal(0), None, None


def score(rules: PlanRules, emp: Employee, p: Proposal, quota_left: int | None) -> Match:
    taxonomy = rules.taxonomy()
    has = set(emp.skills or ())
    matched, missing, total = [], [], Decimal(0)
    for asked in p.skills or []:
        credit, via, how = _skill_credit(rules, asked, has)
        total += credit
        if via is None:
            missing.append(asked)
        else:
            matched.append({"asked": asked, "has": via, "how": how, "title": taxonomy.get(via, via)})
    covered = total / len(p.skills) if p.skills else Decimal(1)
    need = Decimal(p.hours_per_person or 0)
    avail = Decimal(1) if need <= 0 else min(Decimal(1), Decimal(emp.available_hours_month) / need)
    s = (W_SKILLS * covered + W_AVAIL * avail).quantize(Decimal("0.001"))
    parts = [f"{m['has']}→{m['asked']} ({m['how']})" for m in matched]
    why = (f"技能 {', '.join(parts) or '无'}；缺 {', '.join(missing) or '无'}；每月可用 {emp.available_hours_month} 小时，"
           f"项目每人 {need} 小时 / skills {', '.join(parts) or 'none'}; missing {', '.join(missing) or 'none'}; "
           f"{emp.available_hours_month} h a month available for {need} h per person")
    if quota_left is not None:
        why += f"；部门余额 {quota_left} / {quota_left} place(s) left for the department"
    return Match(emp, s, matched, missing, avail.quantize(Decimal("0.001")), quota_left, why)


def _taken(session: Session, p: Proposal) -> tuple[set[int], dict[str, int]]:
    rows = session.execute(select(Employee.id, Employee.department).join(Signup, Signup.employee_id == Employee.id)
                           .where(Signup.proposal_id == p.id, Signup.status == "signed_up")).all()
    by_dept: dict[str, int] = {}
    for _, d in rows:
        by_dept[d] = by_dept.get(d, 0) + 1
    return {i for i, _ in rows}, by_dept


def _quota_left(rules: PlanRules, dept_key: str, by_dept: dict[str, int]) -> int | None:
    dept = rules.department(dept_key)
    return None if dept is None or dept.quota is None else dept.quota - by_dept.get(dept_key, 0)


def rank(session: Session, rules: PlanRules, p: Proposal, employees: list[Employee], *, on: Any,
         limit: int = 50) -> list[Match]:
    signed, by_dept = _taken(session, p)
    out = []
    for emp in employees:
        if emp.id in signed or (emp.left_on is not None and emp.left_on < on):
            continue
        left = _quota_left(rules, emp.department, by_dept)
        if left is not None and left <= 0:
            continue
        out.append(score(rules, emp, p, left))
    out.sort(key=lambda m: (-m.score, len(m.missing), m.employee.hr_id))
    return out[:limit]


def recommend(session: Session, rules: PlanRules, emp: Employee, projects: list[Proposal]) -> list[tuple[Proposal, Match]]:
    out = []
    for p in projects:
        signed, by_dept = _taken(session, p)
        if emp.id in signed or (p.slots and len(signed) >= p.slots):
            continue
        left = _quota_left(rules, emp.department, by_dept)
        if left is not None and left <= 0:
            continue
        out.append((p, score(rules, emp, p, left)))
    out.sort(key=lambda pm: (-pm[1].score, pm[0].id))
    return out


def view(m: Match) -> dict[str, Any]:
    e = m.employee
    return {"employee_id": e.id, "hr_id": e.hr_id, "department": e.department, "score": str(m.score),
            "skills": m.skills, "missing": m.missing, "availability": str(m.availability), "quota_left": m.quota_left,
            "why": m.why}
