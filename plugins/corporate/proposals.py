"""Yearly plans and projects (年度计划与项目): created with their budget lines, started on the
``proposal`` workflow; budget actuals; outcomes; sign-ups (individual and team, 团队报名) with the
department quota."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.sdk import PlanContext

from .committee import WORKFLOW, budget, proposal_of, state_of, tally
from .employees import check_department, check_partner, check_skills, h2, rules_of
from .models import BudgetLine, Employee, Outcome, Proposal, Signup, Vote


def create(ctx: PlanContext, access: Any, data: Any) -> Proposal:
    rules = rules_of(ctx)
    if data.partner:
        check_partner(rules, data.partner)
    if data.department:
        check_department(rules, data.department)
    check_skills(rules, data.skills)
    if data.kind == "plan" and data.plan_id is not None:
        raise InvalidInput("年度计划不能隶属于其他计划 / a yearly plan belongs to no plan", field="plan_id")
    if data.kind == "project":
        if data.plan_id is None:
            raise InvalidInput("项目须隶属于一个年度计划 / a project belongs to a yearly plan", field="plan_id")
        plan = proposal_of(ctx.session, ctx.programme.id, data.plan_id)
        if plan.kind != "plan" or plan.year != data.year:
            raise InvalidInput(f"{plan.id} 不是 {data.year} 年度计划 / {plan.id} is not a {data.year} yearly plan",
                               field="plan_id")
    if access.has("liaison") and not access.has("csr_office", "admin", "coordinator"):
        dept = rules.department(data.department) if data.department else None
        if dept is None or dept.liaison != access.actor:
            raise Forbidden("联络员只能为本部门提交方案 / a liaison proposes for their own department only")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise InvalidInput("结束日期早于开始日期 / ends before it starts", field="ends_on")
    p = Proposal(programme_id=ctx.programme.id, kind=data.kind, year=data.year, plan_id=data.plan_id, title=data.title,
                 description=data.description, partner=data.partner, department=data.department, skills=data.skills,
                 slots=data.slots, hours_per_person=data.hours_per_person, starts_on=data.starts_on,
                 ends_on=data.ends_on, beneficiaries_planned=data.beneficiaries_planned,
                 amount_requested=data.amount_requested, created_by=ctx.actor)
    ctx.session.add(p)
    ctx.session.flush()
    for ln in data.budget:
        ctx.session.add(BudgetLine(proposal_id=p.id, item=ln.item, planned=ln.planned, note=ln.note))
    ctx.start(WORKFLOW, "proposal", p.id)
    ctx.session.flush()
    return p


def set_actual(ctx: PlanContext, p: Proposal, line_id: int, actual: Decimal, note: str | None) -> BudgetLine:
    if state_of(ctx, p) not in ("approved", "closed"):
        raise Conflict("只有已批准的方案登记实际支出 / actuals are recorded for approved proposals", field="proposal_id")
    ln = ctx.session.get(BudgetLine, line_id)
    if ln is None or ln.proposal_id != p.id:
        raise NotFound(f"没有预算明细 {line_id} / no budget line {line_id}", line_id=line_id)
    ln.actual = actual
    if note:
        ln.note = note
    ctx.session.flush()
    return ln


def record_outcome(ctx: PlanContext, p: Proposal, data: Any) -> Outcome:
    if p.kind != "project":
        raise InvalidInput("成果按项目登记 / outcomes are recorded per project", field="proposal_id")
    check_skills(rules_of(ctx), data.skills_transferred, "skills_transferred")
    row = ctx.session.scalar(select(Outcome).where(Outcome.proposal_id == p.id))
    if row is None:
        row = Outcome(proposal_id=p.id, recorded_by=ctx.actor)
        ctx.session.add(row)
    for k in ("completed", "completed_on", "beneficiaries", "satisfaction", "responses", "media_mentions",
              "people_trained", "skills_transferred"):
        setattr(row, k, getattr(data, k))
    row.recorded_by = ctx.actor
    ctx.session.flush()
    return row


def _signed(ctx: PlanContext, p: Proposal) -> list[tuple[Signup, Employee]]:
    return list(ctx.session.execute(select(Signup, Employee).join(Employee, Employee.id == Signup.employee_id).where(
        Signup.proposal_id == p.id, Signup.status == "signed_up")).all())  # type: ignore[arg-type]


def sign_up(ctx: PlanContext, p: Proposal, emps: list[Employee], team: str | None) -> list[Signup]:
    """Sign employees up (a team: one department's employees together). Refused past the project's slots
    or the department's quota (rules.departments[].quota), naming which."""
    if p.kind != "project" or state_of(ctx, p) != "approved":
        raise Conflict(f"{p.title} 不是已批准的项目 / {p.title} is not an approved project", field="proposal_id")
    rules = rules_of(ctx)
    current = _signed(ctx, p)
    have = {e.id for _, e in current}
    new = [e for e in emps if e.id not in have]
    if team is not None:
        wrong = [e.hr_id for e in new if e.department != team]
        if wrong:
            raise InvalidInput(f"{', '.join(wrong)} 不属于部门 {team} / not in department {team}", field="employee_ids")
    if p.slots and len(current) + len(new) > p.slots:
        raise Conflict(f"名额已满：{p.slots} 人，已报 {len(current)} / the project has {p.slots} places, "
                       f"{len(current)} taken", field="employee_ids")
    by_dept: dict[str, int] = {}
    for _, e in current:
        by_dept[e.department] = by_dept.get(e.department, 0) + 1
    for e in new:
        by_dept[e.department] = by_dept.get(e.department, 0) + 1
        dept = rules.department(e.department)
        if dept is not None and dept.quota is not None and by_dept[e.department] > dept.quota:
            raise Conflict(f"部门 {dept.name} 每个项目最多 {dept.quota} 人 / department {dept.key} may send at most "
                           f"{dept.quota} employees to one project (rules.departments.quota)", field="employee_ids")
    out = []
    for e in new:
        row = ctx.session.scalar(select(Signup).where(Signup.proposal_id == p.id, Signup.employee_id == e.id))
        if row is None:
            row = Signup(proposal_id=p.id, employee_id=e.id, created_by=ctx.actor)
            ctx.session.add(row)
        row.team, row.status = team, "signed_up"
        out.append(row)
    ctx.session.flush()
    return out


def signed_count(ctx: PlanContext, p: Proposal) -> int:
    return int(ctx.session.scalar(select(func.count()).select_from(Signup).where(
        Signup.proposal_id == p.id, Signup.status == "signed_up")) or 0)


def view(ctx: PlanContext, p: Proposal, *, full: bool) -> dict[str, Any]:
    inst = ctx.find_instance(WORKFLOW, "proposal", p.id)
    out: dict[str, Any] = {
        "id": p.id, "kind": p.kind, "year": p.year, "plan_id": p.plan_id, "title": p.title,
        "description": p.description, "partner": p.partner, "department": p.department, "skills": p.skills,
        "slots": p.slots, "hours_per_person": h2(p.hours_per_person),
        "starts_on": p.starts_on.isoformat() if p.starts_on else None,
        "ends_on": p.ends_on.isoformat() if p.ends_on else None, "beneficiaries_planned": p.beneficiaries_planned,
        "state": inst.state if inst else None, "instance_id": inst.id if inst else None,
        "signed_up": signed_count(ctx, p)}
    if full:
        votes = ctx.session.scalars(select(Vote).where(Vote.proposal_id == p.id).order_by(Vote.id))
        out.update({"amount_requested": h2(p.amount_requested), "amount_approved": h2(p.amount_approved),
                    "decision_comment": p.decision_comment, "budget": budget(ctx.session, p),
                    "tally": tally(ctx.session, p.id),
                    "votes": [{"voter": v.voter, "vote": v.vote, "amount": h2(v.amount), "comment": v.comment}
                              for v in votes]})
    return out
