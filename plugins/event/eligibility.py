"""Open recruitment's conditions (rules.eligibility), as packs of figures from real calls.

Seed 004 三、2(2)①: 原则上年龄在18至65周岁之间（可根据实际情况适当放宽）的本市户籍人员，或在本市实际居住
时间已满半年以上、具有稳定职业和固定住所的外省市人员和境外人员 → ``min_age: 18``, ``max_age: 65``,
``residence: {local_household: true, min_months: 6}``. Olympic-style calls fix a birth-date cut-off
instead (``born_on_or_before``, e.g. Beijing 2022: 2004-01-01 及以前出生). Ages are reckoned on
``age_on`` (default: the event's first day). Each reason names the rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .rules import Eligibility

ADULT = 18
ART15 = "志愿服务条例 第十五条"


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def reasons(rules: Eligibility, *, birth_date: dt.date, on: dt.date, available_days: int,
            resident_months: int | None, local_household: bool, languages: list[str] | None = None) -> list[str]:
    out: list[str] = []
    day = rules.age_on or on
    age = age_on(birth_date, day)
    if age < rules.min_age:
        out.append(f"{day} 时年龄 {age} 岁，低于 {rules.min_age} 岁 / aged {age} on {day}, below eligibility.min_age "
                   f"{rules.min_age}")
    if rules.max_age is not None and age > rules.max_age:
        out.append(f"{day} 时年龄 {age} 岁，高于 {rules.max_age} 岁 / aged {age} on {day}, above eligibility.max_age "
                   f"{rules.max_age}")
    if rules.born_on_or_before is not None and birth_date > rules.born_on_or_before:
        out.append(f"须于 {rules.born_on_or_before} 及以前出生 / must be born on or before {rules.born_on_or_before} "
                   "(eligibility.born_on_or_before)")
    if available_days < rules.min_available_days:
        out.append(f"可服务 {available_days} 天，少于 {rules.min_available_days} 天 / {available_days} days available, "
                   f"fewer than eligibility.min_available_days {rules.min_available_days}")
    res = rules.residence
    if res is not None and not (res.local_household and local_household):
        months = resident_months or 0
        if res.min_months is None or months < res.min_months:
            need = f"本市户籍或在本市实际居住满 {res.min_months} 个月" if res.min_months is not None else "本市户籍"
            out.append(f"不符合居住条件：须{need}（现 {months} 个月）/ residence: needs a local household registration or "
                       f"{res.min_months} months' residence (has {months}) — eligibility.residence")
    wanted = rules.languages_any
    if wanted and not set(wanted) & {x.strip() for x in languages or []}:
        out.append(f"须能使用以下语言之一：{'、'.join(wanted)}（报名所填：{'、'.join(languages or []) or '无'}）/ needs one of "
                   f"the languages in eligibility.languages_any: {', '.join(wanted)} (declared: "
                   f"{', '.join(languages or []) or 'none'})")
    return out


def minor_reasons(recruitment: Any, *, birth_date: dt.date, on: dt.date, guardian_name: str | None) -> list[str]:
    """A person under 18 on ``on`` (the day the call reckons ages on):
    the programme must admit minors (``recruitment.minors_allowed``), hold consent as a workflow
    (``recruitment.guardian_consent: workflow``, so the liaison's paper form is recorded), and the
    row must name the guardian who signed (``guardian_name``). ``eligibility.min_age`` (e.g. 16) is
    checked by :func:`reasons`."""
    age = age_on(birth_date, on)
    if age >= ADULT:
        return []
    if not recruitment.minors_allowed:
        return [f"{on} 时 {age} 岁，未成年；本项目不接收未成年人（recruitment.minors_allowed: false）/ aged {age} on {on}, "
                f"a minor, and recruitment.minors_allowed is false ({ART15})"]
    if recruitment.guardian_consent != "workflow":
        return ["未成年人经活动报名须记录监护人书面同意，请设 recruitment.guardian_consent: workflow / a minor registered "
                "here needs the guardian's paper consent recorded: set recruitment.guardian_consent: workflow"]
    if not guardian_name:
        return [f"{on} 时 {age} 岁，须填写签署同意书的监护人姓名 guardian_name / aged {age} on {on}: give guardian_name, "
                f"the guardian who signed the consent ({ART15})"]
    return []
