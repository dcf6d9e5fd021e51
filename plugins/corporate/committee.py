"""The committee's approval of yearly plans and projects (志愿服务委员会: 审批项目方案和预算).

Votes are stored per member (one vote each, changeable until the decision); the ``proposal``
workflow's ``approve``/``reject`` pass only when the votes carry (``rules.committee``: ``quorum``
votes cast, abstentions counted for the quorum; approving votes above ``majority`` of the approving
and rejecting ones). The approved amount is the one sent with ``approve`` or, failing that, the
lowest amount an approving member named, or the amount asked. A plan's projects may not ask for
more than what is left of their plan's approved amount.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.errors import Conflict, InvalidInput, NotFound
from engine.sdk import GuardContext, PlanContext

from .models import BudgetLine, Outcome, Proposal, Vote

WORKFLOW = "proposal"
VOTES = ("approve", "reject", "abstain")


def proposal_of(session: Session, programme_id: str, proposal_id: int) -> Proposal:
    p = session.get(Proposal, proposal_id)
    if p is None or p.programme_id != programme_id:
        raise NotFound(f"没有方案 {proposal_id} / no proposal {proposal_id}", proposal_id=proposal_id)
    return p


def state_of(ctx: PlanContext, p: Proposal) -> str:
    inst = ctx.find_instance(WORKFLOW, "proposal", p.id)
    return inst.state if inst is not None else "draft"


def tally(session: Session, proposal_id: int) -> dict[str, int]:
    rows = session.execute(select(Vote.vote, func.count()).where(Vote.proposal_id == proposal_id)
                           .group_by(Vote.vote)).all()
    out = {v: 0 for v in VOTES}
    out.update({v: int(n) for v, n in rows})
    return out


def cast_vote(ctx: PlanContext, p: Proposal, vote: str, *, amount: Decimal | None, comment: str | None) -> Vote:
    if vote not in VOTES:
        raise InvalidInput(f"投票须为 {'/'.join(VOTES)} / vote must be one of {', '.join(VOTES)}", field="vote")
    if state_of(ctx, p) != "submitted":
        raise Conflict("只有审议中的方案可以投票 / only a proposal before the committee can be voted on",
                       field="proposal_id")
    if amount is not None and amount < 0:
        raise InvalidInput("金额不能为负 / the amount may not be negative", field="amount")
    row = ctx.session.scalar(select(Vote).where(Vote.proposal_id == p.id, Vote.voter == ctx.actor))
    if row is None:
        row = Vote(proposal_id=p.id, voter=ctx.actor, vote=vote)
        ctx.session.add(row)
    row.vote, row.amount, row.comment, row.at = vote, amount, comment, ctx.now
    ctx.session.flush()
    return row


def _carries(ctx: GuardContext, want: str) -> Iterator[str]:
    rules = ctx.programme.rules.committee  # type: ignore[attr-defined]
    t = tally(ctx.session, int(ctx.subject_id))
    cast = sum(t.values())
    if cast < rules.quorum:
        yield (f"投票 {cast} 票，未达法定人数 {rules.quorum} / {cast} votes cast, the quorum is {rules.quorum} "
               "(rules.committee.quorum)")
        return
    decided = t["approve"] + t["reject"]
    share = Decimal(t[want]) / decided if decided else Decimal(0)
    if share <= rules.majority:
        yield (f"{want} {t[want]} 票，未超过 {rules.majority:%} / {t[want]} of {decided} votes {want}, not above "
               f"{rules.majority * 100:g}% (rules.committee.majority)")


def votes_carry(ctx: GuardContext) -> Iterator[str]:
    yield from _carries(ctx, "approve")


def votes_reject(ctx: GuardContext) -> Iterator[str]:
    yield from _carries(ctx, "reject")


def budget_complete(ctx: GuardContext) -> Iterator[str]:
    p = proposal_of(ctx.session, ctx.programme.id, int(ctx.subject_id))
    lines = list(ctx.session.scalars(select(BudgetLine).where(BudgetLine.proposal_id == p.id)))
    if not lines and p.amount_requested > 0:
        yield "申请金额须分列预算明细 / an amount asked needs budget lines"
    planned = sum((ln.planned for ln in lines), Decimal(0))
    if lines and planned != p.amount_requested:
        yield (f"预算明细合计 {planned} 与申请金额 {p.amount_requested} 不符 / the budget lines add up to {planned}, "
               f"the amount asked is {p.amount_requested}")
    if p.kind == "project" and p.plan_id is not None:
        plan = proposal_of(ctx.session, ctx.programme.id, p.plan_id)
        if state_of(ctx, plan) != "approved":
            yield f"所属年度计划 {plan.id} 尚未批准 / its yearly plan {plan.id} is not approved"
        else:
            used = ctx.session.scalar(select(func.coalesce(func.sum(Proposal.amount_approved), 0)).where(
                Proposal.plan_id == plan.id, Proposal.id != p.id)) or 0
            left = (plan.amount_approved or Decimal(0)) - Decimal(used)
            if p.amount_requested > left:
                yield (f"申请 {p.amount_requested} 超出年度计划剩余 {left} / asks {p.amount_requested}, the plan has "
                       f"{left} left")


def submitter_may(ctx: GuardContext) -> Iterator[str]:
    """A liaison submits their own department's proposals only; the CSR office and admins any."""
    if ctx.roles & {"csr_office", "admin", "coordinator"}:
        return
    p = proposal_of(ctx.session, ctx.programme.id, int(ctx.subject_id))
    dept = ctx.programme.rules.department(p.department) if p.department else None  # type: ignore[attr-defined]
    if dept is None or dept.liaison != ctx.actor:
        yield (f"联络员只能提交本部门的方案 / a liaison submits their own department's proposals only "
               f"({p.department or 'no department'})")


def outcome_recorded(ctx: GuardContext) -> Iterator[str]:
    if ctx.session.scalar(select(Outcome.id).where(Outcome.proposal_id == int(ctx.subject_id))) is None:
        yield "结项前须登记成果 / record the outcome before closing"


def record_decision(ctx: GuardContext) -> None:
    p = proposal_of(ctx.session, ctx.programme.id, int(ctx.subject_id))
    comment = ctx.payload.get("comment")
    p.decision_comment = str(comment).strip() if comment else None
    if ctx.trigger == "approve":
        sent = ctx.payload.get("amount")
        if sent is not None:
            try:
                amount = Decimal(str(sent)).quantize(Decimal("0.01"))
            except (ArithmeticError, ValueError) as exc:
                raise InvalidInput("金额无效 / invalid amount", field="amount") from exc
        else:
            named = [v.amount for v in ctx.session.scalars(select(Vote).where(
                Vote.proposal_id == p.id, Vote.vote == "approve")) if v.amount is not None]
            amount = min(named) if named else p.amount_requested
        if not amount.is_finite() or amount < 0 or amount > p.amount_requested:
            raise InvalidInput(f"批准金额须在 0 到 {p.amount_requested} 之间 / the approved amount must be between 0 "
                               f"and {p.amount_requested}", field="amount")
        p.amount_approved = amount
    elif ctx.trigger == "reject":
        p.amount_approved = Decimal(0)


def budget(session: Session, p: Proposal) -> dict[str, Any]:
    lines = list(session.scalars(select(BudgetLine).where(BudgetLine.proposal_id == p.id).order_by(BudgetLine.id)))
    return {"lines": [{"id": ln.id, "item": ln.item, "planned": str(ln.planned), "actual": str(ln.actual),
                       "note": ln.note} for ln in lines],
            "planned": str(sum((ln.planned for ln in lines), Decimal(0))),
            "actual": str(sum((ln.actual for ln in lines), Decimal(0)))}


GUARDS = {"corporate.votes_carry": votes_carry, "corporate.votes_reject": votes_reject,
          "corporate.budget_complete": budget_complete,
          "corporate.submitter_may": submitter_may, "corporate.outcome_recorded": outcome_recorded}
ACTIONS = {"corporate.record_decision": record_decision}
