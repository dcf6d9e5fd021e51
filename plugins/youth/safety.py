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


def briefing_recorded(ctx: GuardContext) -> Iterable[str]:
    rules: YouthRules = ctx.rules  # type: ignore[assignment]
    row = safety_row(ctx.session, _shift_id(ctx))
    if rules.require_briefing and (row is None or row.briefing_at is None):
        yield f"活动 {_shift_id(ctx)} 尚未记录安全教育 / no safety briefing recorded for activity {_shift_id(ctx)}"


def risk_assessed(ctx: GuardContext) -> Iterable[str]:
    rules: YouthRules = ctx.rules  # type: ignore[assignment]
    if not rules.require_risk_assessment:
        return
    row = safety_row(ctx.session, _shift_id(ctx))
    if row is None or row.risk_submitted_by is None:
        yield f"活动 {_shift_id(ctx)} 尚未提交风险评估 / no risk assessment submitted for activity {_shift_id(ctx)}"
    elif row.risk_approved_by is None:
        yield (f"活动 {_shift_id(ctx)} 的风险评估待批准（{row.risk_submitted_by} 提交）/ the risk assessment of activity "
               f"{_shift_id(ctx)} (submitted by {row.risk_submitted_by}) is not approved")


def is_dangerous(ctx: Any, shift_id: int) -> bool:
    rules: YouthRules = ctx.rules
    row = safety_row(ctx.session, shift_id)
    post = ctx.post(ctx.shift(shift_id).post_id)
    return bool(row is not None and row.dangerous) or post.category in rules.dangerous_categories


def insured_if_dangerous(ctx: GuardContext) -> Iterable[str]:
    sid = _shift_id(ctx)
    if not is_dangerous(ctx, sid):
        return
    row = safety_row(ctx.session, sid)
    day = ctx.local(ctx.shift(sid).starts_at).date()
    if row is None or not row.policy_no:
        yield (f"活动 {sid} 可能发生人身危险，尚未登记人身意外伤害保险（{ART17}）/ activity {sid} may be dangerous and "
               f"has no personal accident insurance on record ({ART17})")
    elif row.insured_until is not None and row.insured_until < day:
        yield (f"活动 {sid} 的保险（{row.policy_no}）{row.insured_until} 到期，早于活动日 {day}（{ART17}）/ the insurance "
               f"{row.policy_no} ends {row.insured_until}, before the activity on {day} ({ART17})")


def instructor_with_team(ctx: GuardContext) -> Iterable[str]:
    rules: YouthRules = ctx.rules  # type: ignore[assignment]
    if rules.instructor_per_team and not instructors(ctx.session, ctx.programme.id, _shift_id(ctx)):
        yield f"活动 {_shift_id(ctx)} 没有指导教师带队 / no instructor teacher with the team of activity {_shift_id(ctx)}"


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


def ratio_check(ctx: Any, shift_id: int) -> list[str]:
    rules: YouthRules = ctx.rules
    people = team(ctx, shift_id)
    adult_age = ctx.minors_policy.adult_age if ctx.minors_policy is not None else 18
    minors = [age for _vid, _name, age in people if age < adult_age]
    adults = sum(1 for _vid, _name, age in people if age >= adult_age)
    teachers = instructors(ctx.session, ctx.programme.id, shift_id)
    adults += len(teachers)
    need, bands = required_adults(rules, minors)
    if adults >= need:
        return []
    detail = "，".join(f"{k}: {v} 人" for k, v in bands.items())
    return [f"活动 {shift_id} 需要至少 {need} 名成年人带队，现有 {adults} 名（{detail}；{rules.ratio_source}）/ activity "
            f"{shift_id} needs at least {need} adults for {len(minors)} minors, has {adults} ({detail})"]


def ratio_met(ctx: GuardContext) -> Iterable[str]:
    yield from ratio_check(ctx, _shift_id(ctx))


def minors_cleared(ctx: GuardContext) -> Iterable[str]:
    sid = _shift_id(ctx)
    for vid, name, age in team(ctx, sid):
        why = ctx.consent_blocker(vid, sid, age)
        if why:
            yield f"{name}（{age} 岁）：{why}"


GUARDS = (briefing_recorded, risk_assessed, insured_if_dangerous, instructor_with_team, ratio_met, minors_cleared)
