"""The HR export for performance reviews (绩效挂钩): hours and impact per employee, as XLSX — only
employees who agreed, and of each only the fields they agreed to share (``PUT …/employees/me/consent``;
the fields a programme offers are ``rules.hr_export.fields``). A field not shared is left empty."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from engine.sdk import PlanContext

from .employees import h2, rules_of
from .models import Employee, GrantClaim, Outcome, Proposal, Service
from .report_render import append

HEAD = {"hours": "服务时长 Hours", "projects": "参与项目 Projects", "skills_used": "使用技能 Skills used",
        "grants": "配捐 Grants paid", "satisfaction": "项目满意度 Project satisfaction"}


def rows(ctx: PlanContext, start: dt.date, end: dt.date) -> tuple[list[str], list[list[Any]]]:
    s, pid = ctx.session, ctx.programme.id
    offered = rules_of(ctx).hr_export.fields
    emps = [e for e in s.scalars(select(Employee).where(Employee.programme_id == pid).order_by(Employee.hr_id))
            if e.share_with_hr]
    ids = [e.id for e in emps] or [0]
    hours: dict[int, Decimal] = defaultdict(Decimal)
    projects: dict[int, set[int]] = defaultdict(set)
    skills: dict[int, set[str]] = defaultdict(set)
    for svc in s.scalars(select(Service).where(Service.employee_id.in_(ids), Service.served_on >= start,
                                               Service.served_on <= end)):
        hours[svc.employee_id] += Decimal(svc.hours)
        if svc.proposal_id:
            projects[svc.employee_id].add(svc.proposal_id)
        skills[svc.employee_id].update(svc.skills_used or [])
    titles = {p.id: p.title for p in s.scalars(select(Proposal).where(Proposal.programme_id == pid))}
    sat = {o.proposal_id: o.satisfaction for o in s.scalars(select(Outcome))}
    grants: dict[int, Decimal] = defaultdict(Decimal)
    for c in s.scalars(select(GrantClaim).where(GrantClaim.employee_id.in_(ids), GrantClaim.status == "paid",
                                                GrantClaim.claimed_on >= start, GrantClaim.claimed_on <= end)):
        grants[int(c.employee_id or 0)] += Decimal(c.amount)
    columns = ["工号 HR id", "姓名 Name", "部门 Department", *(HEAD[f] for f in offered), "授权日期 Consent on"]
    out = []
    for e in emps:
        shared = set(e.share_with_hr) & set(offered)
        scores = [Decimal(str(sat[p])) for p in projects[e.id] if sat.get(p) is not None]
        values = {"hours": h2(hours[e.id]), "projects": "；".join(sorted(titles.get(p, str(p)) for p in projects[e.id])),
                  "skills_used": "、".join(sorted(skills[e.id])), "grants": h2(grants[e.id]),
                  "satisfaction": h2(sum(scores, Decimal(0)) / len(scores)) if scores else None}
        out.append([e.hr_id, ctx.volunteer(e.volunteer_id).name, e.department,
                    *(values[f] if f in shared else None for f in offered),
                    e.consent_on.isoformat() if e.consent_on else None])
    return columns, out


def xlsx(ctx: PlanContext, start: dt.date, end: dt.date) -> bytes:
    from openpyxl import Workbook

    columns, data = rows(ctx, start, end)
    wb = Workbook()
    ws = wb.active
    ws.title = "HR export"
    append(ws, [f"绩效参考：员工志愿服务（仅含员工授权共享的内容）/ For performance reviews: employee volunteering "
                f"(only what each employee agreed to share) {start.isoformat()} — {end.isoformat()}"])
    append(ws, columns)
    for r in data:
        append(ws, r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
