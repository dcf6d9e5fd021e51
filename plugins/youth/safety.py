"""Safety before an activity starts (seed 000 篇2): the ``activity`` workflow's ``start`` guards.

An activity is a shift with its team (the students and adults rostered on it, and the instructor
teachers added to it). Each guard names who or what is missing:

* ``youth.briefing_recorded`` — a safety briefing (安全教育) recorded for this activity;
* ``youth.risk_assessed`` — a risk assessment submitted and approved (by someone else);
* ``youth.insured_if_dangerous`` — insurance on record, valid on the day, when the post's category is
  in ``rules.dangerous_categories`` or the assessment marks it dangerous (志愿服务条例 第十七条第二款);
* ``youth.instructor_with_team`` — an instructor teacher (指导教师) with the team;
* ``youth.ratio_met`` — adults (adult volunteers and instructors) for the minors by age band:
  ⌈Σ minors_in_band ÷ minors_per_adult⌉ (``rules.ratio``; a ratio exactly met passes);
* ``youth.minors_cleared`` — every minor's guardian consent given (or, where the region allows,
  a guardian's presence recorded for this activity); ages are counted on the activity's date.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from sqlalchemy import select

from engine.sdk import GuardContext, age_on
from engine.sdk.tables import Assignment, Volunteer

from .models import ActivityInstructor, ActivitySafety, Teacher
from .rules import YouthRules

ART17 = "志愿服务条例 第十七条第二款"


def _shift_id(ctx: GuardContext) -> int:
    return int(ctx.instance.subject_id)


def safety_row(session: Any, shift_id: int) -> ActivitySafety | None:
    return session.scalars(select(ActivitySafety).where(ActivitySafety.shift_id == shift_id)).first()


def team(ctx: Any, shift_id: int) -> list[tuple[int, str, int]]:
    """(volunteer id, name, age on the activity's local date) of everyone rostered on the shift."""
    shift = ctx.shift(shift_id)
    day = ctx.local(shift.starts_at).date()
    rows = ctx.session.execute(select(Volunteer.id, Volunteer.name, Volunteer.birth_date)
                               .join(Assignment, Assignment.volunteer_id == Volunteer.id)
                               .where(Assignment.shift_id == shift_id, Assignment.status == "assigned")
                               .order_by(Volunteer.id)).all()
    return [(vid, name, age_on(birth, day)) for vid, name, birth in rows]


def instructors(session: Any, programme_id: str, shift_id: int) -> list[Teacher]:
    return list(session.scalars(select(Teacher).join(
        ActivityInstructor, (ActivityInstructor.user_id == Teacher.user_id) & (Teacher.programme_id == programme_id))
        .where(ActivityInstructor.shift_id == shift_id).order_by(Teacher.id)))


def check_briefing(ctx: Any, sid: int) -> list[str]:
    rules: YouthRules = ctx.rules
    row = safety_row(ctx.session, sid)
    if rules.require_briefing and (row is None or row.briefing_at is None):
        return [f"活动 {sid} 尚未记录安全教育 / no safety briefing recorded for activity {sid}"]
    return []


def check_risk(ctx: Any, sid: int) -> list[str]:
    rules: YouthRules = ctx.rules
    if not rules.require_risk_assessment:
        return []
    row = safety_row(ctx.session, sid)
    if row is None or row.risk_submitted_by is None:
        return [f"活动 {sid} 尚未提交风险评估 / no risk assessment submitted for activity {sid}"]
    if row.risk_approved_by is None:
        return [f"活动 {sid} 的风险评估待批准（{row.risk_submitted_by} 提交）/ the risk assessment of activity {sid} "
                f"(submitted by {row.risk_submitted_by}) is not approved"]
    return []


def is_dangerous(ctx: Any, shift_id: int) -> bool:
    rules: YouthRules = ctx.rules
    row = safety_row(ctx.session, shift_id)
    post = ctx.post(ctx.shift(shift_id).post_id)
    return bool(row is not None and row.dangerous) or post.category in rules.dangerous_categories


def check_insurance(ctx: Any, sid: int) -> list[str]:
    if not is_dangerous(ctx, sid):
        return []
    row = safety_row(ctx.session, sid)
    day = ctx.local(ctx.shift(sid).starts_at).date()
    if row is None or not row.policy_no:
        return [f"活动 {sid} 可能发生人身危险，尚未登记人身意外伤害保险（{ART17}）/ activity {sid} may be dangerous and "
                f"has no personal accident insurance on record ({ART17})"]
    if row.insured_until is not None and row.insured_until < day:
        return [f"活动 {sid} 的保险（{row.policy_no}）{row.insured_until} 到期，早于活动日 {day}（{ART17}）/ the insurance "
                f"{row.policy_no} ends {row.insured_until}, before the activity on {day} ({ART17})"]
    return []


def check_instructor(ctx: Any, sid: int) -> list[str]:
    rules: YouthRules = ctx.rules
    if rules.instructor_per_team and not instructors(ctx.session, ctx.programme.id, sid):
        return [f"活动 {sid} 没有指导教师带队 / no instructor teacher with the team of activity {sid}"]
    return []


def required_adults(rules: YouthRules, minor_ages: list[int]) -> tuple[int, dict[str, int]]:
    """Adults needed for these minors (⌈Σ n_band ÷ ratio_band⌉) and the count per band."""
    need = Fraction(0)
    per_band: dict[str, int] = {}
    low = 0
    for band in rules.ratio:
        n = sum(1 for a in minor_ages if low <= a <= band.max_age)
        if n:
            per_band[f"{low}–{band.max_age} 岁 1:{band.minors_per_adult}"] = n
            need += Fraction(n, band.minors_per_adult)
        low = band.max_age + 1
    return math.ceil(need), per_band


def check_ratio(ctx: Any, shift_id: int) -> list[str]:
    rules: YouthRules = ctx.rules
    people = team(ctx, shift_id)
    adult_age = ctx.minors_policy.adult_age if ctx.minors_policy is not None else 18
    minors = [age for _vid, _name, age in people if age < adult_age]
    adults = sum(1 for _vid, _name, age in people if age >= adult_age)
    adults += len(instructors(ctx.session, ctx.programme.id, shift_id))
    need, bands = required_adults(rules, minors)
    if adults >= need:
        return []
    detail = "，".join(f"{k}: {v} 人" for k, v in bands.items())
    return [f"活动 {shift_id} 需要至少 {need} 名成年人带队，现有 {adults} 名（{detail}；{rules.ratio_source}）/ activity "
            f"{shift_id} needs at least {need} adults for {len(minors)} minors, has {adults} ({detail})"]


def check_consent(ctx: Any, sid: int) -> list[str]:
    return [f"{name}（{age} 岁）：{why}" for vid, name, age in team(ctx, sid)
            if (why := ctx.consent_blocker(vid, sid, age))]


CHECKS = (check_briefing, check_risk, check_insurance, check_instructor, check_ratio, check_consent)


def missing(ctx: Any, shift_id: int) -> list[str]:
    """Everything that keeps this activity from starting (what the start guards will say)."""
    return [reason for check in CHECKS for reason in check(ctx, shift_id)]


def briefing_recorded(ctx: GuardContext) -> Iterable[str]:
    return check_briefing(ctx, _shift_id(ctx))


def risk_assessed(ctx: GuardContext) -> Iterable[str]:
    return check_risk(ctx, _shift_id(ctx))


def insured_if_dangerous(ctx: GuardContext) -> Iterable[str]:
    return check_insurance(ctx, _shift_id(ctx))


def instructor_with_team(ctx: GuardContext) -> Iterable[str]:
    return check_instructor(ctx, _shift_id(ctx))


def ratio_met(ctx: GuardContext) -> Iterable[str]:
    return check_ratio(ctx, _shift_id(ctx))


def minors_cleared(ctx: GuardContext) -> Iterable[str]:
    return check_consent(ctx, _shift_id(ctx))


GUARDS = (briefing_recorded, risk_assessed, insured_if_dangerous, instructor_with_team, ratio_met, minors_cleared)
