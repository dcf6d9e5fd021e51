"""The CSR report (企业员工志愿服务年度报告, seed 000 篇4 成果评估与报告) for a period, whole or per department:
hours, people, participations, beneficiaries, completion rate, satisfaction, media exposure, skills
transferred, the value of volunteer time at ``rules.value_of_time`` (with its source), grants paid,
budget planned and actual, work-time hours used. Figures only; :mod:`.report_render` draws them as
a page and as XLSX."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from engine import ReportSection
from engine.sdk.tables import WorkflowInstance

from .committee import WORKFLOW
from .employees import h2
from .models import BudgetLine, Employee, GrantClaim, Outcome, Proposal, Service, VtoRequest


def figures(session: Session, programme: Any, start: dt.date, end: dt.date,
            department: str | None = None) -> dict[str, Any]:
    s, pid = session, programme.id
    rules = programme.rules
    q = select(Service, Employee.department).join(Employee, Employee.id == Service.employee_id).where(
        Service.programme_id == pid, Service.served_on >= start, Service.served_on <= end)
    if department:
        q = q.where(Employee.department == department)
    hours = Decimal(0)
    people: set[int] = set()
    by_dept: dict[str, Decimal] = defaultdict(Decimal)
    by_partner: dict[str, Decimal] = defaultdict(Decimal)
    skills_used: Counter[str] = Counter()
    rows = s.execute(q).all()
    for svc, dept in rows:
        hours += Decimal(svc.hours)
        people.add(svc.employee_id)
        by_dept[dept] += Decimal(svc.hours)
        by_partner[svc.partner] += Decimal(svc.hours)
        skills_used.update(svc.skills_used or [])
    staff_q = select(func.count()).select_from(Employee).where(Employee.programme_id == pid)
    if department:
        staff_q = staff_q.where(Employee.department == department)
    staff = int(s.scalar(staff_q) or 0)

    pq = select(Proposal).where(Proposal.programme_id == pid, Proposal.kind == "project",
                                Proposal.year >= start.year, Proposal.year <= end.year)
    if department:
        pq = pq.where(Proposal.department == department)
    pq = pq.join(WorkflowInstance, (WorkflowInstance.programme_id == pid) & (WorkflowInstance.workflow == WORKFLOW)
                 & (WorkflowInstance.subject_type == "proposal")
                 & (WorkflowInstance.subject_id == cast(Proposal.id, String))).where(
        WorkflowInstance.state.in_(("approved", "closed")))
    projects = list(s.scalars(pq))
    outcomes = {o.proposal_id: o for o in s.scalars(select(Outcome).where(
        Outcome.proposal_id.in_([p.id for p in projects] or [0])))}
    completed = [o for o in outcomes.values() if o.completed]
    responses = sum(o.responses for o in outcomes.values() if o.satisfaction is not None)
    weighted = sum((Decimal(o.satisfaction) * o.responses for o in outcomes.values() if o.satisfaction is not None),
                   Decimal(0))
    transferred: Counter[str] = Counter()
    for o in outcomes.values():
        transferred.update(o.skills_transferred or [])
    planned = s.scalar(select(func.coalesce(func.sum(BudgetLine.planned), 0)).where(
        BudgetLine.proposal_id.in_([p.id for p in projects] or [0]))) or 0
    actual = s.scalar(select(func.coalesce(func.sum(BudgetLine.actual), 0)).where(
        BudgetLine.proposal_id.in_([p.id for p in projects] or [0]))) or 0

    gq = select(GrantClaim).outerjoin(Employee, Employee.id == GrantClaim.employee_id).where(
        GrantClaim.programme_id == pid, GrantClaim.claimed_on >= start, GrantClaim.claimed_on <= end)
    if department:
        gq = gq.where((Employee.department == department) | (GrantClaim.team == department))
    paid: dict[str, Decimal] = defaultdict(Decimal)
    pending: dict[str, Decimal] = defaultdict(Decimal)
    by_partner_paid: dict[str, Decimal] = defaultdict(Decimal)
    for c in s.scalars(gq):
        if c.status == "paid":
            paid[c.currency] += Decimal(c.amount)
            by_partner_paid[c.partner] += Decimal(c.amount)
        elif c.status in ("requested", "confirmed"):
            pending[c.currency] += Decimal(c.amount)

    vq = select(func.coalesce(func.sum(VtoRequest.hours_approved), 0)).join(
        Employee, Employee.id == VtoRequest.employee_id).where(
        VtoRequest.programme_id == pid, VtoRequest.status == "approved", VtoRequest.service_on >= start,
        VtoRequest.service_on <= end)
    if department:
        vq = vq.where(Employee.department == department)
    vto_hours = Decimal(str(s.scalar(vq) or 0))

    vot = rules.value_of_time
    value = None if vot is None else {"hourly_rate": h2(vot.hourly_rate), "currency": vot.currency,
                                      "source": vot.source, "amount": h2(hours * vot.hourly_rate)}
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()}, "department": department,
        "hours": h2(hours), "people": len(people), "participations": len(rows), "employees": staff,
        "participation_rate": h2(Decimal(len(people)) / staff * 100) if staff else None,
        "projects": len(projects), "projects_completed": len(completed),
        "completion_rate": h2(Decimal(len(completed)) / len(projects) * 100) if projects else None,
        "beneficiaries": sum(o.beneficiaries for o in outcomes.values()),
        "satisfaction": h2(weighted / responses) if responses else None, "satisfaction_responses": responses,
        "media_mentions": sum(o.media_mentions for o in outcomes.values()),
        "people_trained": sum(o.people_trained for o in outcomes.values()),
        "skills_transferred": dict(sorted(transferred.items())), "skills_used": dict(sorted(skills_used.items())),
        "value_of_time": value, "grants_paid": {k: h2(v) for k, v in sorted(paid.items())},
        "grants_pending": {k: h2(v) for k, v in sorted(pending.items())},
        "grants_paid_by_partner": {k: h2(v) for k, v in sorted(by_partner_paid.items())},
        "budget": {"planned": h2(planned), "actual": h2(actual)}, "vto_hours": h2(vto_hours),
        "hours_by_department": {k: h2(v) for k, v in sorted(by_dept.items())},
        "hours_by_partner": {k: h2(v) for k, v in sorted(by_partner.items())},
    }



def csr_section(session: Session, programme: Any) -> ReportSection:
    """The CSR figures over the programme's period, for the engine's programme report."""
    f = figures(session, programme, programme.config.period.start, programme.config.period.end)
    keys = ("hours", "people", "participations", "projects", "completion_rate", "beneficiaries", "satisfaction",
            "media_mentions", "grants_paid", "vto_hours")
    vot = f["value_of_time"]
    return ReportSection(
        title="企业员工志愿服务 Employee volunteering (CSR)", figures={k: f[k] for k in keys},
        columns=["部门 Department", "小时 Hours"], rows=[[k, v] for k, v in f["hours_by_department"].items()],
        notes=[f"志愿时间价值 value of volunteer time: {vot['amount']} {vot['currency']} "
               f"({vot['hourly_rate']}/h; {vot['source']})"] if vot else [], source="corporate")
