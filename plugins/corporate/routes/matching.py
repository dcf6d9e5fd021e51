"""Matching: employees ranked for a project (with the reasons), projects recommended to an employee."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import select

from engine.inputs import Id, Limit
from engine.sdk.http import ProgrammeCtx, SessionDep

from .. import matching
from ..committee import WORKFLOW, proposal_of
from ..models import Employee, Proposal
from .deps import PREFIX, STAFF, CorpDep, plan_rules, target_employee

router = APIRouter(prefix=PREFIX, tags=["corporate"])


@router.get("/proposals/{proposal_id}/matches")
def matches(proposal_id: Id, access: CorpDep, ctx: ProgrammeCtx, session: SessionDep,
            limit: Limit = 50) -> list[dict[str, Any]]:
    """技能匹配 Employees ranked for a project, each with why (CSR office; a liaison sees their department's)."""
    access.require(*STAFF, "liaison", what="matching employees to a project")
    p = proposal_of(session, access.programme.id, proposal_id)
    q = select(Employee).where(Employee.programme_id == access.programme.id)
    if not access.has(*STAFF):
        mine = [d.key for d in plan_rules(access).departments if d.liaison == access.actor]
        q = q.where(Employee.department.in_(mine))
    emps = list(session.scalars(q.order_by(Employee.id)))
    return [matching.view(m) for m in matching.rank(session, plan_rules(access), p, emps, on=ctx.today,
                                                    limit=limit)]


@router.get("/recommendations")
def recommendations(access: CorpDep, ctx: ProgrammeCtx, session: SessionDep) -> list[dict[str, Any]]:
    """为我推荐 Approved projects with places, best match first, with why (the employee)."""
    emp = target_employee(session, access, None)
    approved = {int(i.subject_id) for i in ctx.instances(WORKFLOW, state="approved", subject_type="proposal")}
    projects = [p for p in session.scalars(select(Proposal).where(
        Proposal.programme_id == access.programme.id, Proposal.kind == "project").order_by(Proposal.id))
        if p.id in approved]
    return [{"proposal_id": p.id, "title": p.title, "partner": p.partner, "score": str(m.score), "skills": m.skills,
             "missing": m.missing, "why": m.why}
            for p, m in matching.recommend(session, plan_rules(access), emp, projects)]
