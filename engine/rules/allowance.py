"""Work-time allowance (volunteer time off, VTO; 工作时间内志愿服务时长/带薪志愿服务假) as pure decisions.

A policy grants ``hours`` per ``per`` (month or year, years starting on ``year_start``) to eligible
employees; what happens to unused hours at a period's end is ``period_end``:

* ``reset`` — every period starts afresh; what is left at its end lapses (forfeited);
* ``no_carry_over`` — for monthly allowances: what is left in one month rolls into the next within
  the same year, nothing passes the year end (for yearly allowances the same as ``reset``);
* ``capped_carry_over`` — what is left at the year's end passes into the next year up to
  ``carry_over_cap_hours``, the rest lapses (monthly allowances also roll month to month).

Eligibility: employment type, tenure on the day of the request, exclusions (flags such as being
on a performance plan). A request beyond what is left is approved for what is left, with the reason;
a request when nothing is left (or from an ineligible employee) is refused with the reason.
Hours are :class:`~decimal.Decimal`; periods are keyed ``YYYY`` (yearly) or ``YYYY-MM`` (monthly),
the year being the allowance year that starts on ``year_start``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MMDD = r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Eligibility(_Strict):
    employment_types: list[str] = Field(default_factory=list,
                                        description="who may use it (full_time, part_time …); empty: everyone")
    min_tenure_days: int = Field(default=0, ge=0, le=3650, description="days employed before the first request")
    exclusions: list[str] = Field(default_factory=list,
                                  description="employee flags that exclude (performance_plan, notice_period …)")


class AllowancePolicy(_Strict):
    hours: Decimal = Field(gt=0, le=2000, description="hours granted per period")
    per: Literal["month", "year"] = "year"
    year_start: str = Field(default="01-01", pattern=MMDD, description="first day of the allowance year (MM-DD)")
    period_end: Literal["reset", "no_carry_over", "capped_carry_over"] = "reset"
    carry_over_cap_hours: Decimal | None = Field(default=None, ge=0, description="most carried into the next year")
    step_hours: Decimal = Field(default=Decimal("0.5"), gt=0, le=24, description="requests count in steps of this")
    approval: Literal["manager", "none"] = Field(default="manager", description="who approves a request")
    eligibility: Eligibility = Field(default_factory=Eligibility)

    @model_validator(mode="after")
    def _carry(self) -> AllowancePolicy:
        if self.period_end == "capped_carry_over" and self.carry_over_cap_hours is None:
            raise ValueError("allowance.period_end: capped_carry_over needs allowance.carry_over_cap_hours")
        if self.period_end != "capped_carry_over" and self.carry_over_cap_hours is not None:
            raise ValueError(f"allowance.carry_over_cap_hours is only read with period_end: capped_carry_over "
                             f"(this policy says {self.period_end})")
        return self


@dataclass(frozen=True)
class Employee:
    employment_type: str
    hired_on: dt.date
    flags: frozenset[str] = frozenset()
    left_on: dt.date | None = None


@dataclass
class PeriodBalance:
    period: str
    start: dt.date
    end: dt.date  # inclusive
    granted: Decimal
    carried_in: Decimal
    used: Decimal
    left: Decimal
    forfeited: Decimal  # lapsing at the end of this period (0 for the current one until it ends)


@dataclass
class Decision:
    approved: Decimal = Decimal(0)
    refused: str | None = None
    reason: str | None = None  # why less than asked was approved
    rule: str | None = None
    left_after: Decimal = Decimal(0)
    notes: list[str] = field(default_factory=list)


def _n(x: Decimal | int) -> str:
    """A figure as people write it: 18, 0.5, 15000 (no trailing zeros, no exponent)."""
    d = Decimal(x).normalize()
    return format(d, "f")


def _mmdd(policy: AllowancePolicy) -> tuple[int, int]:
    m, d = policy.year_start.split("-")
    return int(m), int(d)


def year_of(policy: AllowancePolicy, on: dt.date) -> int:
    """The allowance year containing ``on`` (named after the calendar year it starts in)."""
    m, d = _mmdd(policy)
    return on.year if (on.month, on.day) >= (m, d) else on.year - 1


def year_bounds(policy: AllowancePolicy, year: int) -> tuple[dt.date, dt.date]:
    m, d = _mmdd(policy)
    start = dt.date(year, m, min(d, 28) if m == 2 else d)
    nxt = dt.date(year + 1, m, min(d, 28) if m == 2 else d)
    return start, nxt - dt.timedelta(days=1)


def periods_of_year(policy: AllowancePolicy, year: int) -> list[tuple[str, dt.date, dt.date]]:
    start, end = year_bounds(policy, year)
    if policy.per == "year":
        return [(str(year), start, end)]
    out = []
    cur = start
    for _ in range(12):
        nxt = _add_month(cur)
        out.append((f"{cur.year:04d}-{cur.month:02d}", cur, nxt - dt.timedelta(days=1)))
        cur = nxt
    return out


def _add_month(d: dt.date) -> dt.date:
    y, m = (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)
    return dt.date(y, m, min(d.day, 28))


def period_of(policy: AllowancePolicy, on: dt.date) -> str:
    for key, start, end in periods_of_year(policy, year_of(policy, on)):
        if start <= on <= end:
            return key
    raise AssertionError(on)  # pragma: no cover - the periods cover the year


def ineligible(policy: AllowancePolicy, employee: Employee, on: dt.date) -> str | None:
    """Why the employee may not use the allowance on ``on`` (bilingual, naming the rule), or None."""
    el = policy.eligibility
    if el.employment_types and employee.employment_type not in el.employment_types:
        return (f"用工类型 {employee.employment_type} 不享有志愿服务假（限 {'、'.join(el.employment_types)}）/ "
                f"employment type {employee.employment_type!r} has no allowance (only "
                f"{', '.join(el.employment_types)}) (rules.allowance.eligibility.employment_types)")
    tenure = (on - employee.hired_on).days
    if tenure < el.min_tenure_days:
        opens = employee.hired_on + dt.timedelta(days=el.min_tenure_days)
        return (f"入职满 {el.min_tenure_days} 天后可用（{opens.isoformat()} 起）/ usable after {el.min_tenure_days} days "
                f"employed (from {opens.isoformat()}) (rules.allowance.eligibility.min_tenure_days)")
    hit = sorted(employee.flags & set(el.exclusions))
    if hit:
        return (f"因 {', '.join(hit)} 暂不可用 / not available while {', '.join(hit)} "
                "(rules.allowance.eligibility.exclusions)")
    if employee.left_on is not None and on > employee.left_on:
        return f"已离职（{employee.left_on.isoformat()}）/ left on {employee.left_on.isoformat()}"
    return None


def balances(policy: AllowancePolicy, employee: Employee, used: Mapping[str, Decimal], upto: dt.date,
             since_year: int | None = None) -> list[PeriodBalance]:
    """Every period from the year of hire (or ``since_year``) to the one containing ``upto``: what was
    granted, carried in, used, left, and what lapsed at its end. ``used``: hours approved per period key."""
    first = max(year_of(policy, employee.hired_on), since_year if since_year is not None else -1)
    last = year_of(policy, upto)
    out: list[PeriodBalance] = []
    carry = Decimal(0)
    for year in range(first, last + 1):
        periods = periods_of_year(policy, year)
        for i, (key, start, end) in enumerate(periods):
            if start > upto:
                break
            granted = policy.hours if end >= employee.hired_on else Decimal(0)
            u = Decimal(used.get(key, 0))
            left = max(Decimal(0), carry + granted - u)
            ongoing = end >= upto
            last_of_year = i == len(periods) - 1
            if ongoing:
                out.append(PeriodBalance(key, start, end, granted, carry, u, left, Decimal(0)))
                break
            if policy.period_end == "reset":
                nxt = Decimal(0)
            elif not last_of_year:
                nxt = left  # no_carry_over and capped_carry_over roll month to month within the year
            elif policy.period_end == "capped_carry_over":
                nxt = min(left, policy.carry_over_cap_hours or Decimal(0))
            else:
                nxt = Decimal(0)
            out.append(PeriodBalance(key, start, end, granted, carry, u, left, left - nxt))
            carry = nxt
    return out


def left_on(policy: AllowancePolicy, employee: Employee, used: Mapping[str, Decimal], on: dt.date) -> Decimal:
    rows = balances(policy, employee, used, on)
    return rows[-1].left if rows else Decimal(0)


def decide(policy: AllowancePolicy, employee: Employee, used: Mapping[str, Decimal], on: dt.date,
           requested: Decimal) -> Decision:
    """A request for ``requested`` hours of service on ``on``: approved in full, approved for what is
    left (with the reason), or refused (ineligible, nothing left, not a positive figure)."""
    requested = Decimal(requested)
    if requested <= 0:
        return Decision(refused="申请时数须大于 0 / the hours asked must be above 0", rule="hours")
    why = ineligible(policy, employee, on)
    if why is not None:
        return Decision(refused=why, rule="rules.allowance.eligibility")
    left = left_on(policy, employee, used, on)
    step = policy.step_hours
    asked = (requested / step).to_integral_value(rounding=ROUND_FLOOR) * step
    if asked != requested:
        return Decision(refused=f"时数须为 {_n(step)} 小时的整数倍 / hours count in steps of {_n(step)} h "
                        "(rules.allowance.step_hours)", rule="rules.allowance.step_hours")
    available = (left / step).to_integral_value(rounding=ROUND_FLOOR) * step
    period = period_of(policy, on)
    if available <= 0:
        return Decision(refused=f"{period} 的志愿服务假已用完 / no allowance left for {period} "
                        f"({_n(policy.hours)} h per {policy.per}) (rules.allowance.hours)", rule="rules.allowance.hours")
    if requested > available:
        return Decision(approved=available, left_after=left - available, rule="rules.allowance.hours",
                        reason=f"申请 {_n(requested)} 小时，超出 {period} 剩余额度，按剩余 {_n(available)} 小时批准 / asked "
                        f"{_n(requested)} h, beyond what is left for {period}: approved for the {_n(available)} h left "
                        f"({_n(policy.hours)} h per {policy.per})")
    return Decision(approved=requested, left_after=left - requested)


def forfeited(policy: AllowancePolicy, employee: Employee, used: Mapping[str, Decimal], upto: dt.date,
              since_year: int | None = None) -> list[PeriodBalance]:
    """The ended periods in which hours lapsed (for the forfeited-hours report)."""
    return [b for b in balances(policy, employee, used, upto, since_year) if b.forfeited > 0]
