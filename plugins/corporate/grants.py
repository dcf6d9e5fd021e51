"""Matching-grant claims (时长配捐) on the engine's grant policy, sent to the partner organisation.

An employee (or the CSR office for them) claims their unclaimed service at one partner; the engine's
:func:`grants.assess` decides what each (organisation, grant year) earns given the employee's earlier
claims. A line below the minimum is kept as ``below_minimum`` (its hours count towards the minimum
later); a granted line goes to the partner as ``requested``; the partner ``confirmed`` or
``declined`` it; the CSR office marks it ``paid``. Services outside the claim window stay unclaimed
and are listed with the reason. Team grants: a department's team that served together on a project.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.sdk import PlanContext
from engine.sdk.policies import GrantPolicy, grants
from engine.sdk.policies import Service as PolicyService

from .employees import check_department, check_partner, h2, lock, rules_of
from .models import Employee, GrantClaim, Proposal, Service, Signup

LIVE = ("below_minimum", "over_cap", "requested", "confirmed", "paid")
ANSWERS = {"requested": ("confirmed", "declined"), "confirmed": ("paid", "declined")}


def policy_of(ctx: PlanContext) -> GrantPolicy:
    pol = ctx.programme.rules_policy.grants
    if pol is None:
        raise Conflict("本项目没有配捐政策 / this programme has no matching-grant policy (rules.grants or a pack)",
                       field="rules.grants")
    return pol


def _priors(session: Session, emp_id: int) -> tuple[dict[tuple[str, int], Decimal], dict[tuple[str, int], Decimal],
                                                   dict[int, Decimal]]:
    raw: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    granted: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    paid: dict[int, Decimal] = defaultdict(Decimal)
    for c in session.scalars(select(GrantClaim).where(GrantClaim.employee_id == emp_id, GrantClaim.status.in_(LIVE))):
        raw[(c.partner, c.year)] += Decimal(c.raw_hours)
        granted[(c.partner, c.year)] += Decimal(c.granted_hours)
        paid[c.year] += Decimal(c.amount)
    return raw, granted, paid


def claim(ctx: PlanContext, emp: Employee, partner: str, service_ids: list[int] | None) -> dict[str, Any]:
    pol = policy_of(ctx)
    check_partner(rules_of(ctx), partner)
    lock(ctx.session, emp)
    q = select(Service).where(Service.employee_id == emp.id, Service.partner == partner, Service.claim_id.is_(None),
                              Service.team.is_(None))
    if service_ids is not None:
        q = q.where(Service.id.in_(service_ids))
    services = list(ctx.session.scalars(q.order_by(Service.served_on, Service.id)))
    if not services:
        raise InvalidInput(f"在 {partner} 没有未申请的服务 / no unclaimed service at {partner}", field="service_ids")
    raw, granted, paid = _priors(ctx.session, emp.id)
    today = ctx.today
    result = grants.assess(pol, [PolicyService(str(s.id), s.served_on, Decimal(s.hours), s.partner) for s in services],
                           claimed_on=today, prior_raw=raw, prior_granted=granted, prior_paid=paid)
    if not result.lines:
        raise Conflict(result.refused or "没有可申请的服务 / nothing to claim", field="service_ids")
    excluded = {ref for ref, _ in result.excluded}
    claims = []
    for line in result.lines:
        status = "below_minimum" if line.status == "below_minimum" else ("requested" if line.amount > 0 else "over_cap")
        c = GrantClaim(programme_id=ctx.programme.id, employee_id=emp.id, partner=line.organisation, year=line.year,
                       claimed_on=today, raw_hours=line.raw_hours, granted_hours=line.hours, amount=line.amount,
                       currency=pol.currency, status=status, note=line.note, created_by=ctx.actor)
        ctx.session.add(c)
        ctx.session.flush()
        for s in services:
            if str(s.id) not in excluded and grants.grant_year(pol, s.served_on) == line.year:
                s.claim_id = c.id
        claims.append(c)
    ctx.session.flush()
    return {"claims": [view(c) for c in claims], "amount": h2(result.amount), "currency": pol.currency,
            "capped": result.capped, "excluded": [{"service_id": int(ref), "reason": why} for ref, why in result.excluded]}


def team_claim(ctx: PlanContext, proposal_id: int, department: str, served_on: dt.date) -> GrantClaim:
    pol = policy_of(ctx)
    check_department(rules_of(ctx), department)
    from .committee import proposal_of

    p = proposal_of(ctx.session, ctx.programme.id, proposal_id)
    ctx.session.execute(select(Proposal.id).where(Proposal.id == p.id).with_for_update())  # one team claim at a time
    members = {e for e, in ctx.session.execute(select(Signup.employee_id).where(
        Signup.proposal_id == p.id, Signup.team == department, Signup.status == "signed_up"))}
    rows = ctx.session.execute(select(Service.employee_id, func.sum(Service.hours)).where(
        Service.proposal_id == p.id, Service.served_on == served_on, Service.employee_id.in_(members or {0}))
        .group_by(Service.employee_id)).all()
    hours = {str(e): Decimal(str(h)) for e, h in rows}
    last = grants.window_last_day(pol, served_on)
    if last is not None and ctx.today > last:
        raise Conflict(f"申请期已过（最迟 {last.isoformat()}）/ the claim window closed on {last.isoformat()} "
                       "(rules.grants.claim_window_days)", field="served_on")
    year = grants.grant_year(pol, served_on)
    before = ctx.session.scalar(select(func.count()).select_from(GrantClaim).where(
        GrantClaim.programme_id == ctx.programme.id, GrantClaim.team == department, GrantClaim.year == year,
        GrantClaim.status.in_(LIVE))) or 0
    amount, refused = grants.team_grant(pol, hours, grants_this_year=int(before))
    if refused is not None:
        raise Conflict(refused, field="department")
    if p.partner is None:
        raise InvalidInput("项目没有合作机构 / the project names no partner organisation", field="proposal_id")
    c = GrantClaim(programme_id=ctx.programme.id, team=department, proposal_id=p.id, partner=p.partner, year=year,
                   claimed_on=ctx.today, raw_hours=sum(hours.values(), Decimal(0)), granted_hours=Decimal(0),
                   amount=amount, currency=pol.currency, status="requested",
                   note=f"团队配捐 {len(hours)} 人 / team grant, {len(hours)} employees", created_by=ctx.actor)
    ctx.session.add(c)
    ctx.session.flush()
    return c


def answer(ctx: PlanContext, access: Any, c: GrantClaim, status: str, note: str | None) -> GrantClaim:
    partner = rules_of(ctx).partner(c.partner)
    if status in ("confirmed", "declined"):
        if not (access.has("partner") and partner is not None and access.actor in partner.users):
            raise Forbidden(f"只有 {c.partner} 的联系人可以确认或谢绝 / only {c.partner}'s contacts confirm or decline")
    elif not access.has("csr_office", "admin"):
        raise Forbidden("只有执行办公室可以登记付款 / only the CSR office records a payment")
    if status not in ANSWERS.get(c.status, ()):
        raise Conflict(f"配捐申请 {c.id} 为 {c.status}，不能改为 {status} / grant claim {c.id} is {c.status}, it cannot "
                       f"become {status}", field="status")
    c.status, c.decided_by, c.decided_at = status, ctx.actor, ctx.now
    if note:
        c.note = f"{c.note}；{note}" if c.note else note
    if status == "declined":
        # the services may be claimed again (e.g. at the right organisation)
        for s in ctx.session.scalars(select(Service).where(Service.claim_id == c.id)):
            s.claim_id = None
    ctx.session.flush()
    return c


def get_claim(session: Session, programme_id: str, claim_id: int) -> GrantClaim:
    c = session.get(GrantClaim, claim_id)
    if c is None or c.programme_id != programme_id:
        raise NotFound(f"没有配捐申请 {claim_id} / no grant claim {claim_id}", claim_id=claim_id)
    return c


def view(c: GrantClaim) -> dict[str, Any]:
    return {"id": c.id, "employee_id": c.employee_id, "team": c.team, "proposal_id": c.proposal_id,
            "partner": c.partner, "year": c.year, "claimed_on": c.claimed_on.isoformat(), "raw_hours": h2(c.raw_hours),
            "granted_hours": h2(c.granted_hours), "amount": h2(c.amount), "currency": c.currency, "status": c.status,
            "note": c.note}
