"""Yearly plans and projects: proposals, committee votes, budgets, outcomes, sign-ups.

Transitions (submit, approve, reject, return_for_changes, close) use the engine's generic
``POST /programmes/{programme_id}/instances/{instance_id}/fire`` (``instance_id`` in each answer).
Amounts, budgets and votes are shown to the committee, the CSR office, liaisons and admins.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status
from sqlalchemy import select

from engine.inputs import Id
from engine.sdk.http import ProgrammeCtx, SessionDep

from .. import proposals
from ..committee import cast_vote, proposal_of
from ..employees import employee
from ..models import Proposal
from ..schemas import ActualIn, OutcomeIn, ProposalIn, SignupIn, TeamSignupIn, VoteIn, Year
from .deps import PREFIX, STAFF, CorpDep, plan_rules, target_employee

router = APIRouter(prefix=PREFIX + "/proposals", tags=["corporate"])
BOARD = (*STAFF, "committee", "liaison")


@router.post("", status_code=status.HTTP_201_CREATED)
def create(body: ProposalIn, access: CorpDep, ctx: ProgrammeCtx) -> dict[str, Any]:
    """年度计划或项目方案 A yearly plan or a project, with its budget lines (CSR office; a liaison for their department)."""
    access.require("csr_office", "admin", "liaison", what="proposing a plan or project")
    return proposals.view(ctx, proposals.create(ctx, access, body), full=True)


@router.get("")
def listing(access: CorpDep, ctx: ProgrammeCtx, session: SessionDep, year: Year | None = None,
            kind: str | None = None) -> list[dict[str, Any]]:
    q = select(Proposal).where(Proposal.programme_id == access.programme.id)
    if year is not None:
        q = q.where(Proposal.year == year)
    if kind:
        q = q.where(Proposal.kind == kind[:10])
    full = access.has(*BOARD)
    return [proposals.view(ctx, p, full=full) for p in session.scalars(q.order_by(Proposal.id))]


@router.get("/{proposal_id}")
def show(proposal_id: Id, access: CorpDep, ctx: ProgrammeCtx, session: SessionDep) -> dict[str, Any]:
    return proposals.view(ctx, proposal_of(session, access.programme.id, proposal_id), full=access.has(*BOARD))


@router.post("/{proposal_id}/votes")
def vote(proposal_id: Id, body: VoteIn, access: CorpDep, ctx: ProgrammeCtx, session: SessionDep) -> dict[str, Any]:
    """委员投票 A committee member's vote, with an amount and a comment (changeable until the decision)."""
    access.require("committee", what="voting")
    p = proposal_of(session, access.programme.id, proposal_id)
    cast_vote(ctx, p, body.vote, amount=body.amount, comment=body.comment)
    return proposals.view(ctx, p, full=True)


@router.put("/{proposal_id}/budget/{line_id}")
def actual(proposal_id: Id, line_id: Id, body: ActualIn, access: CorpDep, ctx: ProgrammeCtx,
           session: SessionDep) -> dict[str, Any]:
    """实际支出 The actual spent on a budget line (CSR office)."""
    access.require("csr_office", "admin", what="recording actual spending")
    p = proposal_of(session, access.programme.id, proposal_id)
    proposals.set_actual(ctx, p, line_id, body.actual, body.note)
    out: dict[str, Any] = proposals.view(ctx, p, full=True)["budget"]
    return out


@router.put("/{proposal_id}/outcome")
def outcome(proposal_id: Id, body: OutcomeIn, access: CorpDep, ctx: ProgrammeCtx, session: SessionDep) -> dict[str, Any]:
    """成果登记 Completion, beneficiaries, satisfaction, media mentions, skills passed on (CSR office, liaison)."""
    access.require("csr_office", "admin", "liaison", what="recording an outcome")
    p = proposal_of(session, access.programme.id, proposal_id)
    row = proposals.record_outcome(ctx, p, body)
    return {"proposal_id": p.id, "completed": row.completed, "beneficiaries": row.beneficiaries}


@router.post("/{proposal_id}/signups", status_code=status.HTTP_201_CREATED)
def sign_up(proposal_id: Id, body: SignupIn, access: CorpDep, ctx: ProgrammeCtx, session: SessionDep) -> dict[str, Any]:
    """报名 An employee signs up (or the CSR office signs them up)."""
    if body.employee_id is not None:
        access.require(*STAFF, what="signing up another employee")
    emp = target_employee(session, access, body.employee_id)
    p = proposal_of(session, access.programme.id, proposal_id)
    proposals.sign_up(ctx, p, [emp], None)
    return proposals.view(ctx, p, full=False)


@router.post("/{proposal_id}/team-signups", status_code=status.HTTP_201_CREATED)
def team_sign_up(proposal_id: Id, body: TeamSignupIn, access: CorpDep, ctx: ProgrammeCtx,
                 session: SessionDep) -> dict[str, Any]:
    """团队报名 A department signs up as a team (its liaison, or the CSR office)."""
    dept = plan_rules(access).department(body.department)
    if not (access.has("csr_office", "admin") or (dept is not None and dept.liaison == access.actor)):
        access.require("csr_office", "admin", what=f"a team sign-up for {body.department} (or its liaison)")
    p = proposal_of(session, access.programme.id, proposal_id)
    emps = [employee(session, access.programme.id, i) for i in body.employee_ids]
    proposals.sign_up(ctx, p, emps, body.department)
    return proposals.view(ctx, p, full=False)
