"""Hours-based awards by age band over a service year (e.g. the US President's Volunteer Service Award).

A scheme (``rules.age_awards``, shipped as a pack such as ``pvsa``) lists age bands, each with levels
by hours; the service year starts on ``year_start`` (MM-DD) and a person's band is decided by their
age on the year's first or last day (``age_on``). ``groups`` gives the levels for a family or group
(the members' hours summed over the same year, at least ``group_min_members`` people). Hours are
the credited hours the totals sum (:mod:`engine.rules.hours`). The function is pure: the caller
passes each year's hours.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MMDD = r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AwardLevel(_Strict):
    name: str = Field(min_length=1, max_length=60)
    hours: Decimal = Field(gt=0)


def _ascending(levels: list[AwardLevel], what: str) -> None:
    hours = [lv.hours for lv in levels]
    if hours != sorted(hours) or len(set(hours)) != len(hours):
        raise ValueError(f"{what}: levels from the fewest hours to the most, each figure once")


class AgeBand(_Strict):
    name: str = Field(min_length=1, max_length=60)
    min_age: int = Field(ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)
    levels: list[AwardLevel] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> AgeBand:
        _ascending(self.levels, f"age band {self.name!r}")
        if self.max_age is not None and self.max_age < self.min_age:
            raise ValueError(f"age band {self.name!r}: max_age below min_age")
        return self


class AgeAwardsPolicy(_Strict):
    title: str = Field(min_length=1, max_length=120)
    year_start: str = Field(default="01-01", pattern=MMDD)
    age_on: Literal["year_start", "year_end"] = "year_end"
    bands: list[AgeBand] = Field(min_length=1)
    groups: list[AwardLevel] = Field(default_factory=list)
    group_min_members: int = Field(default=2, ge=2, le=1000)
    lifetime: AwardLevel | None = None

    @model_validator(mode="after")
    def _bands(self) -> AgeAwardsPolicy:
        bands = sorted(self.bands, key=lambda b: b.min_age)
        for a, b in itertools.pairwise(bands):
            if a.max_age is None or a.max_age >= b.min_age:
                raise ValueError(f"age bands {a.name!r} and {b.name!r} overlap")
        if self.groups:
            _ascending(self.groups, "groups")
        return self


def service_year(policy: AgeAwardsPolicy, day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the service year containing ``day``."""
    m, d = (int(x) for x in policy.year_start.split("-"))
    start = dt.date(day.year, m, d)
    if day < start:
        start = dt.date(day.year - 1, m, d)
    end = dt.date(start.year + 1, m, d) - dt.timedelta(days=1)
    return start, end


def band_for(policy: AgeAwardsPolicy, age: int) -> AgeBand | None:
    for band in policy.bands:
        if age >= band.min_age and (band.max_age is None or age <= band.max_age):
            return band
    return None


def award_for(policy: AgeAwardsPolicy, birth: dt.date, year_start: dt.date, hours: Decimal) -> dict[str, object]:
    """The level reached in one service year (or None), the band, and the hours to the next level."""
    start, end = service_year(policy, year_start)
    on = start if policy.age_on == "year_start" else end
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    band = band_for(policy, age)
    if band is None:
        return {"band": None, "age": age, "level": None, "next": None, "hours": hours, "year": (start, end)}
    reached = [lv for lv in band.levels if hours >= lv.hours]
    higher = [lv for lv in band.levels if hours < lv.hours]
    nxt = {"level": higher[0].name, "hours_missing": higher[0].hours - hours} if higher else None
    return {"band": band.name, "age": age, "level": reached[-1].name if reached else None, "next": nxt,
            "hours": hours, "year": (start, end)}


def group_award(policy: AgeAwardsPolicy, member_hours: list[Decimal]) -> str | None:
    """A family or group's level: members' hours summed; None below the lowest level or too few members."""
    if len([h for h in member_hours if h > 0]) < policy.group_min_members:
        return None
    total = sum(member_hours, Decimal(0))
    reached = [lv.name for lv in policy.groups if total >= lv.hours]
    return reached[-1] if reached else None
