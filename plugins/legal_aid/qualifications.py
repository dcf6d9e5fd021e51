"""Who may represent, assist, draft, review and consult — each answer with the article behind it.

* Only a lawyer with a valid licence represents a client (《律师法》第五条、第十三条); former judges and
  prosecutors wait two years (《律师法》第四十一条); life-or-death cases need three years' practice
  (《法律援助法》第二十六条).
* Law students act only as assistants on a case that has a lawyer, and give consultations and draft
  documents only when organised by a university or research institute (《法律援助法》第十七条第二款).
* Every volunteer signs the confidentiality agreement (《法律援助法》第二十一条) and the no-payment
  declaration (第二十条) before their first case.
* A document drafted by a student or a junior is reviewed by a senior before it goes out (seed 000 篇5
  审核流程: 由资深律师志愿者进行审核把关).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .law import StudentActivity, student_may
from .law.articles import LA_17, LA_20, LA_21, LA_26, LL_13, LL_41
from .models import LegalVolunteerProfile
from .rules import PlanRules, VolunteerKind

if TYPE_CHECKING:
    from engine.sdk import Programme as LoadedProgramme

__all__ = [
    "assistant_problems",
    "duty_problems",
    "licence_valid",
    "may_review",
    "needs_review",
    "reason",
    "representation_problems",
    "seniority",
    "student_activity_problem",
    "today_in",
]


def reason(zh: str, en: str, article: str = "") -> str:
    """A guard reason: Chinese first (with the article), then English."""
    cite = f"（{article}）" if article else ""
    return f"{zh}{cite} / {en}"


def today_in(programme: LoadedProgramme) -> dt.date:
    """Today in the programme's time zone."""
    return dt.datetime.now(programme.config.tz).date()


def licence_valid(p: LegalVolunteerProfile, on: dt.date) -> bool:
    return bool(p.licence_no) and p.licence_valid_until is not None and p.licence_valid_until >= on


def seniority(p: LegalVolunteerProfile, rules: PlanRules) -> str:
    """``senior`` or ``junior``: the profile's own statement, else years of practice vs ``staffing``."""
    if p.seniority in ("senior", "junior"):
        return p.seniority
    if p.kind == VolunteerKind.LAWYER and p.years_of_practice >= rules.staffing.senior_min_years:
        return "senior"
    return "junior"


def may_review(p: LegalVolunteerProfile, rules: PlanRules, on: dt.date) -> bool:
    """May this volunteer review (审核) documents drafted by others?"""
    if p.kind not in rules.staffing.reviewer_kinds or not p.active:
        return False
    if p.kind == VolunteerKind.LAWYER:
        return licence_valid(p, on) and seniority(p, rules) == "senior"
    return True


def needs_review(p: LegalVolunteerProfile, rules: PlanRules, on: dt.date) -> bool:
    """Must what this volunteer drafts be reviewed before it goes out? Students and juniors: yes."""
    return not may_review(p, rules, on)


def duty_problems(p: LegalVolunteerProfile, on: dt.date) -> list[str]:
    """The confidentiality agreement and the no-payment declaration, signed by ``on``."""
    out: list[str] = []
    if p.confidentiality_signed_on is None or p.confidentiality_signed_on > on:
        out.append(reason("尚未签署保密协议", "has not signed the confidentiality agreement", LA_21.cite()))
    if p.no_payment_signed_on is None or p.no_payment_signed_on > on:
        out.append(reason("尚未签署不收取任何财物的承诺书", "has not signed the no-payment declaration",
                          LA_20.cite()))
    return out


def representation_problems(p: LegalVolunteerProfile, rules: PlanRules, on: dt.date, *, case_type: str,
                            min_years: int | None = None) -> list[str]:
    """Why this volunteer may not represent a client in a case of ``case_type`` (empty: they may)."""
    out: list[str] = []
    if not p.active:
        out.append(reason("该志愿者已停用", "this volunteer is inactive"))
    if p.kind == VolunteerKind.LAW_STUDENT:
        out.append(reason("法学专业学生只能作为已指派律师的案件的助理，不能承办案件",
                          "a law student may only assist on a case that has a lawyer, never represent",
                          f"{LA_17.cite(2)}、{LL_13.cite()}"))
    elif p.kind != VolunteerKind.LAWYER:
        out.append(reason("没有律师执业证书的人员不得从事诉讼代理或者辩护业务",
                          "only a licensed lawyer may represent a client", LL_13.cite()))
    elif not p.licence_no or p.licence_valid_until is None:
        out.append(reason("未登记律师执业证号及有效期", "no lawyer's licence number and validity on record",
                          LL_13.cite()))
    elif p.licence_valid_until < on:
        out.append(reason(f"律师执业证有效期至 {p.licence_valid_until}，已过期",
                          f"the lawyer's licence expired on {p.licence_valid_until}", LL_13.cite()))
    if p.former_office in ("judge", "prosecutor") and p.left_office_on is not None:
        years = rules.conflict.former_official_years
        try:
            until = p.left_office_on.replace(year=p.left_office_on.year + years)
        except ValueError:
            until = p.left_office_on.replace(year=p.left_office_on.year + years, day=28)
        if on < until:
            out.append(reason(f"曾任{'法官' if p.former_office == 'judge' else '检察官'}，{p.left_office_on} 离任，"
                              f"{until} 前不得担任诉讼代理人或者辩护人",
                              f"a former {p.former_office} who left office on {p.left_office_on} may not act as "
                              f"litigation agent or defender before {until}", LL_41.cite()))
    if min_years is not None and p.years_of_practice < min_years:
        out.append(reason(f"本案须由具有{min_years}年以上相关执业经历的律师担任，该律师为{p.years_of_practice}年",
                          f"this case needs a lawyer with at least {min_years} years of relevant practice; this "
                          f"one has {p.years_of_practice}", LA_26.cite()))
    if rules.staffing.require_expertise and case_type not in (p.expertise or []):
        title = rules.case_types.get(case_type, case_type)
        out.append(reason(f"专长不含本案类型「{title}」", f"expertise does not include the case type {case_type!r}",
                          "本项目按案件类型和志愿者专长指派 / programme rule staffing.require_expertise"))
    out.extend(duty_problems(p, on))
    return out


def assistant_problems(p: LegalVolunteerProfile, on: dt.date) -> list[str]:
    """Why this volunteer may not assist on a case (the case must also have a lawyer: see cases)."""
    out: list[str] = []
    if not p.active:
        out.append(reason("该志愿者已停用", "this volunteer is inactive"))
    out.extend(duty_problems(p, on))
    return out


def student_activity_problem(p: LegalVolunteerProfile, activity: StudentActivity) -> str | None:
    """For a law student: may they do ``activity``? (《法律援助法》第十七条第二款) ``None``: yes."""
    if p.kind != VolunteerKind.LAW_STUDENT:
        return None
    allowed, why = student_may(activity, organised_by_institution=bool(p.institution))
    return None if allowed else f"{why.zh} / {why.en}"
