"""Credit conversion: service hours → practice or moral-education credits, by a school's scheme.

A scheme (``rules.credits.<name>``, shipped as a pack, e.g. ``school-credits-example``) says:

* ``hours_per_credit`` (and per category in ``category_hours_per_credit``), credits rounded
  **down** to ``step`` (0.5 → half credits);
* which categories count (``counted_categories``; empty: every category) and which ways of
  capture (``captured``: e.g. leave out self-reported hours);
* caps: hours of one activity (``caps.record_hours``), credits of one project over all terms
  (``caps.project_credits``), credits of one term (``caps.term_credits``), credits of one category
  over all years (``caps.category_credits``);
* ``terms`` by month-day (a term may run over New Year); days outside every term count in that
  school year's holiday (假期);
* ``service_learning.components`` (e.g. preparation, action, reflection): with ``required``, a
  project's hours count only when every component is on record for that student and project;
* ``graduation``: the minimum credits over the student's years at the school, per category, per
  school year, and minimum hours.

The input is the student's *credited* minutes per record — what the programme's hours policy
(:mod:`engine.rules.hours`) already derived and the totals sum — over every programme of the same
organisation (WAVE2: totals accumulate per person × organisation, so a student's credits carry
across yearly programmes). Order of the steps, each shown in ``lines``: record cap → category and
capture filter → service-learning check → per (term, category, project) hours ÷ rate → project cap
→ round down per (term, category) → term cap → category cap (earliest terms first).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# the same forms as engine.rules.models (which imports this module for RulesPolicy)
Captured = Literal["checkin", "self_reported", "coordinator", "transferred"]
ALL_CAPTURED: list[Captured] = ["checkin", "self_reported", "coordinator", "transferred"]
MMDD = r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Term(_Strict):
    name: str = Field(min_length=1, max_length=60)
    start: str = Field(pattern=MMDD)
    end: str = Field(pattern=MMDD)


class Caps(_Strict):
    record_hours: Decimal | None = Field(default=None, gt=0, le=24, description="hours of one activity counted")
    project_credits: Decimal | None = Field(default=None, gt=0, description="credits one project gives, all terms")
    term_credits: Decimal | None = Field(default=None, gt=0, description="credits one term gives")
    category_credits: dict[str, Decimal] = Field(default_factory=dict, description="credits per category, all years")


class Graduation(_Strict):
    credits: Decimal = Field(ge=0, description="minimum credits over the student's years at the school")
    years: int = Field(default=3, ge=1, le=12, description="the school years counted (e.g. 3 for 高中)")
    per_year: Decimal | None = Field(default=None, ge=0, description="minimum credits in each school year")
    by_category: dict[str, Decimal] = Field(default_factory=dict, description="minimum credits per category")
    hours: Decimal | None = Field(default=None, ge=0, description="minimum counted hours")


class ServiceLearning(_Strict):
    components: list[str] = Field(min_length=1, description="e.g. preparation, action, reflection")
    required: bool = True


class CreditScheme(_Strict):
    title: str = Field(default="实践学分 Practice credits", max_length=120)
    hours_per_credit: Decimal = Field(gt=0)
    category_hours_per_credit: dict[str, Decimal] = Field(default_factory=dict)
    step: Decimal = Field(default=Decimal("0.5"), gt=0, description="credits are rounded down to a multiple")
    counted_categories: list[str] = Field(default_factory=list, description="empty: every category counts")
    captured: list[Captured] = Field(default_factory=lambda: list(ALL_CAPTURED))
    caps: Caps = Field(default_factory=Caps)
    terms: list[Term] = Field(default_factory=lambda: [Term(name="第一学期 autumn", start="09-01", end="01-31"),
                                                        Term(name="第二学期 spring", start="02-01", end="07-15")])
    graduation: Graduation | None = None
    service_learning: ServiceLearning | None = None

    @model_validator(mode="after")
    def _rates(self) -> CreditScheme:
        for cat, rate in self.category_hours_per_credit.items():
            if rate <= 0:
                raise ValueError(f"category_hours_per_credit.{cat} must be above 0")
        if not self.terms:
            raise ValueError("terms: at least one term")
        return self

    def rate(self, category: str) -> Decimal:
        return self.category_hours_per_credit.get(category, self.hours_per_credit)


@dataclass(frozen=True)
class CreditInput:
    """One record's credited minutes (net of corrections) and what it belongs to."""

    record_id: int
    day: dt.date
    category: str
    minutes: int
    captured: str = "checkin"
    project_id: int | None = None
    project_name: str | None = None


@dataclass
class CreditReport:
    scheme: str
    title: str
    total: Decimal = Decimal(0)
    hours_counted: Decimal = Decimal(0)
    by_term: dict[str, Decimal] = field(default_factory=dict)
    by_category: dict[str, Decimal] = field(default_factory=dict)
    by_year: dict[int, Decimal] = field(default_factory=dict)
    not_counted: list[tuple[int, str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    graduation_met: bool | None = None


def _mmdd(day: dt.date) -> tuple[int, int]:
    return day.month, day.day


def _parse(mmdd: str) -> tuple[int, int]:
    m, d = mmdd.split("-")
    return int(m), int(d)


def school_year(scheme: CreditScheme, day: dt.date) -> int:
    """The school year a day belongs to, named by the year it starts (first term's start)."""
    return day.year if _mmdd(day) >= _parse(scheme.terms[0].start) else day.year - 1


def term_of(scheme: CreditScheme, day: dt.date) -> tuple[int, int, str]:
    """(school year, term index, label) of ``day``; a day in no term is that year's holiday (假期)."""
    year = school_year(scheme, day)
    md = _mmdd(day)
    for i, term in enumerate(scheme.terms):
        start, end = _parse(term.start), _parse(term.end)
        inside = start <= md <= end if start <= end else (md >= start or md <= end)
        if inside:
            return year, i, f"{year}–{year + 1} {term.name}"
    return year, len(scheme.terms), f"{year}–{year + 1} 假期 holiday"


def _down(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).quantize(Decimal(1), rounding=ROUND_FLOOR) * step


def _fmt(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def convert(name: str, scheme: CreditScheme, records: list[CreditInput], *,
            components: dict[int | None, set[str]] | None = None,
            school_years: list[int] | None = None) -> CreditReport:
    """The credits these records give under ``scheme``, with the reason for each step.

    ``components``: the service-learning components on record per project (None: no project).
    ``school_years``: the student's school years at the school (for ``graduation.per_year``).
    """
    rep = CreditReport(scheme=name, title=scheme.title)
    caps = scheme.caps
    cells: dict[tuple[int, int, str], dict[str, dict[int | None, Decimal]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(Decimal)))
    labels: dict[tuple[int, int], str] = {}
    names: dict[int | None, str] = {}
    for rec in sorted(records, key=lambda r: (r.day, r.record_id)):
        if rec.minutes <= 0:
            continue
        if scheme.counted_categories and rec.category not in scheme.counted_categories:
            rep.not_counted.append((rec.record_id, f"类别 {rec.category} 不计学分 / category {rec.category!r} does "
                                                   f"not count for {scheme.title}"))
            continue
        if rec.captured not in scheme.captured:
            rep.not_counted.append((rec.record_id, f"{rec.captured} 方式记录的时长不计学分 / hours captured as "
                                                   f"{rec.captured!r} do not count"))
            continue
        if scheme.service_learning is not None and scheme.service_learning.required:
            have = (components or {}).get(rec.project_id, set())
            lacking = [c for c in scheme.service_learning.components if c not in have]
            if lacking:
                what = rec.project_name or (f"project {rec.project_id}" if rec.project_id else "（无项目 no project）")
                rep.not_counted.append((rec.record_id, f"「{what}」缺少服务学习环节：{'、'.join(lacking)} / "
                                                       f"{what!r} lacks service-learning components: "
                                                       f"{', '.join(lacking)}"))
                continue
        hours = Decimal(rec.minutes) / 60
        if caps.record_hours is not None and hours > caps.record_hours:
            rep.lines.append(f"记录 {rec.record_id}：{_fmt(hours)} 小时按单次上限计 {_fmt(caps.record_hours)} 小时 / "
                             f"record {rec.record_id}: {_fmt(hours)} h counted as the cap of {_fmt(caps.record_hours)} h")
            hours = caps.record_hours
        year, idx, label = term_of(scheme, rec.day)
        labels[(year, idx)] = label
        names[rec.project_id] = rec.project_name or ""
        cells[(year, idx, label)][rec.category][rec.project_id] += hours
        rep.hours_counted += hours
    project_used: dict[int | None, Decimal] = defaultdict(Decimal)
    category_used: dict[str, Decimal] = defaultdict(Decimal)
    for (year, _idx, label) in sorted(cells):
        term_total = Decimal(0)
        for category, projects in cells[(year, _idx, label)].items():
            raw = Decimal(0)
            for pid, hours in projects.items():
                credits = hours / scheme.rate(category)
                if caps.project_credits is not None and pid is not None:
                    room = max(Decimal(0), caps.project_credits - project_used[pid])
                    if credits > room:
                        rep.lines.append(f"{label} 项目「{names.get(pid) or pid}」已达项目上限 {_fmt(caps.project_credits)} "
                                         f"学分 / project {names.get(pid) or pid!r} reached its cap of "
                                         f"{_fmt(caps.project_credits)} credits")
                        credits = room
                    project_used[pid] += credits
                raw += credits
            got = _down(raw, scheme.step)
            if caps.term_credits is not None and term_total + got > caps.term_credits:
                got = max(Decimal(0), caps.term_credits - term_total)
                rep.lines.append(f"{label} 已达学期上限 {_fmt(caps.term_credits)} 学分 / {label} reached the term cap "
                                 f"of {_fmt(caps.term_credits)} credits")
            cap = caps.category_credits.get(category)
            if cap is not None and category_used[category] + got > cap:
                got = max(Decimal(0), cap - category_used[category])
                rep.lines.append(f"类别 {category} 已达上限 {_fmt(cap)} 学分 / category {category!r} reached its cap of "
                                 f"{_fmt(cap)} credits")
            category_used[category] += got
            term_total += got
            rep.by_category[category] = rep.by_category.get(category, Decimal(0)) + got
        rep.by_term[label] = rep.by_term.get(label, Decimal(0)) + term_total
        rep.by_year[year] = rep.by_year.get(year, Decimal(0)) + term_total
        rep.total += term_total
    if scheme.graduation is not None:
        rep.missing = graduation_gaps(scheme, rep, school_years)
        rep.graduation_met = not rep.missing
    return rep


def graduation_gaps(scheme: CreditScheme, rep: CreditReport, school_years: list[int] | None) -> list[str]:
    """What is still missing for graduation, one bilingual line per requirement not met."""
    grad = scheme.graduation
    assert grad is not None
    out = []
    if rep.total < grad.credits:
        out.append(f"{scheme.title}：还差 {_fmt(grad.credits - rep.total)} 学分（已有 {_fmt(rep.total)}，毕业需 "
                   f"{_fmt(grad.credits)}）/ {_fmt(grad.credits - rep.total)} credits still missing (have "
                   f"{_fmt(rep.total)}, graduation needs {_fmt(grad.credits)})")
    for category, need in grad.by_category.items():
        have = rep.by_category.get(category, Decimal(0))
        if have < need:
            out.append(f"类别 {category}：还差 {_fmt(need - have)} 学分（需 {_fmt(need)}）/ category {category!r}: "
                       f"{_fmt(need - have)} credits missing (needs {_fmt(need)})")
    if grad.per_year is not None:
        for year in school_years or sorted(rep.by_year):
            have = rep.by_year.get(year, Decimal(0))
            if have < grad.per_year:
                out.append(f"{year}–{year + 1} 学年：还差 {_fmt(grad.per_year - have)} 学分（每学年需 "
                           f"{_fmt(grad.per_year)}）/ school year {year}–{year + 1}: {_fmt(grad.per_year - have)} "
                           f"credits missing (each year needs {_fmt(grad.per_year)})")
    if grad.hours is not None and rep.hours_counted < grad.hours:
        out.append(f"还差 {_fmt(grad.hours - rep.hours_counted)} 小时计入时长（需 {_fmt(grad.hours)}）/ "
                   f"{_fmt(grad.hours - rep.hours_counted)} counted hours missing (needs {_fmt(grad.hours)})")
    return out
