"""Matching grants for volunteer time (dollars for doers; 志愿时长配捐) as pure decisions.

A company gives a partner organisation ``rate_per_hour`` for each hour an employee served there,
once the employee has served ``min_hours`` at that one organisation in the grant year (then every
hour of that year counts, the ones below the minimum included), counting ``whole_hours`` only,
up to ``cap_per_employee_year`` per employee and grant year, if claimed within
``claim_window_days`` after the service (the last day of the window is the service day plus
``claim_window_days``). A team of at least ``team.min_members`` employees serving together earns
``team.amount`` for the organisation. Amounts are :class:`~decimal.Decimal` in ``currency``,
rounded to cents. The grant year of a service is the year (starting on ``year_start``) of the day
it was served, so December's hours count against December's year even if claimed in January.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from pydantic import BaseModel, ConfigDict, Field

MMDD = r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

CENT = Decimal("0.01")


class TeamGrant(_Strict):
    min_members: int = Field(ge=2, le=1000, description="employees serving together, at least")
    min_hours_each: Decimal = Field(default=Decimal(0), ge=0, description="hours each member served, at least")
    amount: Decimal = Field(gt=0, description="the grant for the event, in the policy's currency")
    max_per_team_year: int | None = Field(default=None, ge=1, description="team grants per team and year")


class GrantPolicy(_Strict):
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$", description="ISO 4217 code")
    rate_per_hour: Decimal = Field(gt=0, le=100_000)
    min_hours: Decimal = Field(default=Decimal(0), ge=0, le=2000,
                               description="hours at one organisation in the grant year before any grant")
    whole_hours: bool = Field(default=True, description="only whole hours earn (the fraction is dropped)")
    cap_per_employee_year: Decimal | None = Field(default=None, gt=0, description="most granted per employee a year")
    claim_window_days: int | None = Field(default=None, ge=0, le=3650,
                                          description="days after the service to claim (its last day included)")
    year_start: str = Field(default="01-01", pattern=MMDD)
    team: TeamGrant | None = None


@dataclass(frozen=True)
class Service:
    ref: str
    on: dt.date
    hours: Decimal
    organisation: str


@dataclass
class Line:
    organisation: str
    year: int
    hours: Decimal  # hours newly granted by this claim (whole when whole_hours)
    raw_hours: Decimal  # the claimed services' hours
    amount: Decimal
    status: str  # granted | below_minimum
    note: str | None = None


@dataclass
class Assessment:
    currency: str
    lines: list[Line] = field(default_factory=list)
    excluded: list[tuple[str, str]] = field(default_factory=list)  # (service ref, reason)
    notes: list[str] = field(default_factory=list)
    capped: bool = False

    @property
    def amount(self) -> Decimal:
        return sum((ln.amount for ln in self.lines), Decimal(0))

    @property
    def refused(self) -> str | None:
        if self.amount > 0 or any(ln.status == "below_minimum" for ln in self.lines):
            return None
        reasons = [r for _, r in self.excluded] + self.notes
        return "；".join(reasons) if reasons else "没有可申请的服务 / nothing to claim"


def _n(x: Decimal | int) -> str:
    """A figure as people write it: 18, 0.5, 15000 (no trailing zeros, no exponent)."""
    d = Decimal(x).normalize()
    return format(d, "f")


def grant_year(policy: GrantPolicy, on: dt.date) -> int:
    m, d = (int(x) for x in policy.year_start.split("-"))
    return on.year if (on.month, on.day) >= (m, d) else on.year - 1


def window_last_day(policy: GrantPolicy, served_on: dt.date) -> dt.date | None:
    return None if policy.claim_window_days is None else served_on + dt.timedelta(days=policy.claim_window_days)


def _money(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def assess(policy: GrantPolicy, services: Iterable[Service], *, claimed_on: dt.date,
           prior_raw: Mapping[tuple[str, int], Decimal] | None = None,
           prior_granted: Mapping[tuple[str, int], Decimal] | None = None,
           prior_paid: Mapping[int, Decimal] | None = None) -> Assessment:
    """What a claim for ``services`` earns.

    ``prior_raw``/``prior_granted``: hours claimed before and hours granted before, by (organisation,
    grant year) — earlier claims below the minimum count towards it; ``prior_paid``: amount granted to
    this employee before, by grant year (for the cap)."""
    prior_raw, prior_granted, prior_paid = prior_raw or {}, prior_granted or {}, prior_paid or {}
    out = Assessment(currency=policy.currency)
    groups: dict[tuple[str, int], Decimal] = {}
    for s in services:
        last = window_last_day(policy, s.on)
        if s.on > claimed_on:
            out.excluded.append((s.ref, f"服务日期 {s.on.isoformat()} 晚于申请日 / served on {s.on.isoformat()}, "
                                 "after the claim date"))
        elif last is not None and claimed_on > last:
            out.excluded.append((s.ref, f"申请期已过：{s.on.isoformat()} 的服务最迟 {last.isoformat()} 申请 / claim "
                                 f"window closed: service of {s.on.isoformat()} could be claimed until {last.isoformat()} "
                                 f"({policy.claim_window_days} days, rules.grants.claim_window_days)"))
        elif s.hours <= 0:
            out.excluded.append((s.ref, "时数为 0 / no hours"))
        else:
            key = (s.organisation, grant_year(policy, s.on))
            groups[key] = groups.get(key, Decimal(0)) + Decimal(s.hours)
    paid_now: dict[int, Decimal] = {}
    for (org, year), new in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        total = Decimal(prior_raw.get((org, year), 0)) + new
        if total < policy.min_hours:
            out.lines.append(Line(org, year, Decimal(0), new, Decimal(0), "below_minimum",
                                  f"{org} {year} 年累计 {_n(total)} 小时，未达 {_n(policy.min_hours)} 小时起配 / {_n(total)} h at "
                                  f"{org} in {year}, below the minimum of {_n(policy.min_hours)} h at one organisation "
                                  "(rules.grants.min_hours)"))
            continue
        countable = total.to_integral_value(rounding=ROUND_FLOOR) if policy.whole_hours else total
        hours = max(Decimal(0), countable - Decimal(prior_granted.get((org, year), 0)))
        amount = _money(hours * policy.rate_per_hour)
        note = None
        if policy.cap_per_employee_year is not None:
            room = policy.cap_per_employee_year - Decimal(prior_paid.get(year, 0)) - paid_now.get(year, Decimal(0))
            room = max(Decimal(0), room)
            if amount > room:
                out.capped = True
                note = (f"{year} 年度上限 {_n(policy.cap_per_employee_year)} {policy.currency}：本次 {amount} 中只配 {room} / "
                        f"cap of {_n(policy.cap_per_employee_year)} {policy.currency} for {year} reached: {room} of "
                        f"{amount} granted (rules.grants.cap_per_employee_year)")
                amount = _money(room)
        paid_now[year] = paid_now.get(year, Decimal(0)) + amount
        out.lines.append(Line(org, year, hours, new, amount, "granted", note))
    return out


def team_grant(policy: GrantPolicy, members: Mapping[str, Decimal], *, grants_this_year: int = 0) -> tuple[Decimal, str | None]:
    """(amount, refusal) for a team event: ``members`` maps each employee to the hours they served."""
    if policy.team is None:
        return Decimal(0), "本政策没有团队配捐 / this policy has no team grants (rules.grants.team)"
    t = policy.team
    counted = [k for k, h in members.items() if Decimal(h) >= t.min_hours_each and Decimal(h) > 0]
    if len(counted) < t.min_members:
        return Decimal(0), (f"团队配捐需至少 {t.min_members} 人各服务 {_n(t.min_hours_each)} 小时，现 {len(counted)} 人 / a team grant "
                            f"needs {t.min_members} employees serving {_n(t.min_hours_each)} h each, {len(counted)} did "
                            "(rules.grants.team.min_members)")
    if t.max_per_team_year is not None and grants_this_year >= t.max_per_team_year:
        return Decimal(0), (f"本年度团队配捐已达 {t.max_per_team_year} 次 / {t.max_per_team_year} team grants this year "
                            "already (rules.grants.team.max_per_team_year)")
    return _money(t.amount), None
