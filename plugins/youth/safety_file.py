"""Writing an activity's safety file: briefing, risk assessment, insurance, instructors, presence.

Each entry keeps who made it. A risk assessment is approved by someone other than who submitted it
(four eyes); changing it after approval (e.g. marking it dangerous) withdraws the approval. The
checks that read this file before the activity starts are in :mod:`.safety`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from engine.errors import Conflict, Forbidden, InvalidInput
from engine.sdk import PlanContext

from .models import ActivityInstructor, ActivitySafety, Teacher
from .safety import is_dangerous, safety_row, team


def _row(ctx: PlanContext, shift_id: int) -> ActivitySafety:
    ctx.shift(shift_id)  # 404 for a shift of another programme
    row = safety_row(ctx.session, shift_id)
    if row is None:
        row = ActivitySafety(programme_id=ctx.programme.id, shift_id=shift_id)
        ctx.session.add(row)
        ctx.session.flush()
    return row


def record_briefing(ctx: PlanContext, shift_id: int, note: str | None) -> ActivitySafety:
    row = _row(ctx, shift_id)
    row.briefing_by, row.briefing_at, row.briefing_note = ctx.actor, ctx.now, note
    ctx.session.flush()
    return row


def submit_risk(ctx: PlanContext, shift_id: int, summary: str, dangerous: bool) -> ActivitySafety:
    row = _row(ctx, shift_id)
    row.risk_summary, row.dangerous, row.risk_submitted_by = summary, dangerous, ctx.actor
    row.risk_approved_by = row.risk_approved_at = None
    ctx.session.flush()
    return row


def approve_risk(ctx: PlanContext, shift_id: int) -> ActivitySafety:
    row = _row(ctx, shift_id)
    if row.risk_submitted_by is None:
        raise Conflict(f"活动 {shift_id} 尚未提交风险评估 / no risk assessment submitted for activity {shift_id}")
    if row.risk_submitted_by == ctx.actor:
        raise Forbidden("风险评估须由提交人以外的人批准 / a risk assessment is approved by someone other than who "
                        "submitted it")
    row.risk_approved_by, row.risk_approved_at = ctx.actor, ctx.now
    ctx.session.flush()
    return row


def record_insurance(ctx: PlanContext, shift_id: int, insurer: str, policy_no: str, until: dt.date) -> ActivitySafety:
    row = _row(ctx, shift_id)
    row.insurer, row.policy_no, row.insured_until, row.insurance_recorded_by = insurer, policy_no, until, ctx.actor
    ctx.session.flush()
    return row


def add_instructor(ctx: PlanContext, shift_id: int, username: str) -> Teacher:
    ctx.shift(shift_id)
    user = ctx.user_by_name(username)
    teacher = None if user is None else ctx.session.scalars(select(Teacher).where(
        Teacher.programme_id == ctx.programme.id, Teacher.user_id == user.id)).first()
    if user is None or teacher is None:
        raise InvalidInput(f"{username} 不是本项目登记的指导教师 / {username!r} is not a registered instructor teacher "
                           "here", field="username")
    if ctx.session.scalars(select(ActivityInstructor.id).where(ActivityInstructor.shift_id == shift_id,
                                                               ActivityInstructor.user_id == user.id)).first() is None:
        ctx.session.add(ActivityInstructor(programme_id=ctx.programme.id, shift_id=shift_id, user_id=user.id,
                                           added_by=ctx.actor))
        ctx.session.flush()
    return teacher


def checklist(ctx: PlanContext, shift_id: int) -> dict[str, Any]:
    """The activity's safety file and what is still missing, as the start guards see it."""
    from .safety import instructors, missing

    shift = ctx.shift(shift_id)
    row = safety_row(ctx.session, shift_id)
    people = team(ctx, shift_id)
    return {
        "shift_id": shift_id, "date": ctx.local(shift.starts_at).date(), "team": len(people),
        "minors": sum(1 for p in people if p[2] < 18),
        "briefing": {"by": row.briefing_by, "at": row.briefing_at} if row and row.briefing_at else None,
        "risk": {"submitted_by": row.risk_submitted_by, "approved_by": row.risk_approved_by,
                 "dangerous": row.dangerous} if row and row.risk_submitted_by else None,
        "dangerous": is_dangerous(ctx, shift_id),
        "insurance": {"insurer": row.insurer, "policy_no": row.policy_no, "until": row.insured_until}
        if row and row.policy_no else None,
        "instructors": [t.name for t in instructors(ctx.session, ctx.programme.id, shift_id)],
        "missing": missing(ctx, shift_id),
    }


def start_activity(ctx: PlanContext, shift_id: int) -> Any:
    """Fire ``start`` on the activity's workflow instance (made on first use): the guards decide."""
    ctx.shift(shift_id)
    inst = ctx.find_instance("activity", "shift", shift_id) or ctx.start("activity", "shift", shift_id)
    return ctx.fire(inst, "start")


def record_presence(ctx: PlanContext, shift_id: int, volunteer_id: int, guardian_name: str) -> None:
    ctx.shift(shift_id)
    ctx.record_presence(shift_id, volunteer_id, guardian_name=guardian_name)
