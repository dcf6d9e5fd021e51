"""The rule policies as pydantic models: hours, points, levels, redemption, time bank.

Every key has a default that changes nothing (credited minutes = served minutes, no points, no
levels, no limits), so a programme without ``rules.pack`` behaves as before. Figures a person
reads are hours (``100`` h); the engine counts integer minutes internally so a threshold is met
exactly. Contradictions (a floor above a cap, levels out of order …) are refused here, so
``volunteer check`` reports them at the line of the key.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# --- added for youth (issue 13): credit conversion, minors' rules, awards by age band, honours, see their modules ---
from engine.rules.age_awards import AgeAwardsPolicy
from engine.rules.allowance import AllowancePolicy  # --- added for corporate ---
from engine.rules.credits import CreditScheme
from engine.rules.grants import GrantPolicy  # --- added for corporate ---
from engine.rules.honours import HonoursPolicy
from engine.rules.minors import MinorsPolicy
from engine.rules.shifts import ShiftsPolicy  # --- added for event (shift rules) ---

Captured = Literal["checkin", "self_reported", "coordinator", "transferred"]
ALL_CAPTURED: list[Captured] = ["checkin", "self_reported", "coordinator", "transferred"]
Period = Literal["month", "quarter", "year"]
MMDD = r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Rounding(_Strict):
    """Round to a multiple of ``step`` (minutes for hours; the unit's own figure elsewhere).

    ``nearest`` and ``half_up`` round a half step up (0.005 → 0.01); ``half_even`` rounds it to the
    even step (0.005 → 0.00, 0.015 → 0.02: banker's rounding, no drift upwards over many entries)."""

    step: Decimal = Field(default=Decimal(1), gt=0)
    mode: Literal["down", "up", "nearest", "half_up", "half_even"] = "down"


class Travel(_Strict):
    """民政部《志愿服务记录办法》(2012): service time excludes round-trip travel (counted: false)."""

    counted: bool = False
    minutes: int = Field(default=0, ge=0, le=600, description="travel minutes credited per activity when counted")


class HoursPolicy(_Strict):
    """How a record's credited minutes derive from its raw check-in/check-out times."""

    count_from: Literal["checkin", "shift"] = Field(
        default="checkin", description="checkin: the times served; shift: clipped to the shift's start and end")
    travel: Travel = Field(default_factory=Travel)
    rounding: Rounding = Field(default_factory=Rounding, description="step in minutes (15 = quarter hour)")
    min_minutes: int = Field(default=0, ge=0, le=1440, description="an activity shorter than this credits nothing")
    cap_per_activity_hours: Decimal | None = Field(default=None, gt=0, le=24)
    cap_per_day_hours: Decimal | None = Field(default=None, gt=0, le=24)
    exclude_from_levels: list[str] = Field(default_factory=list, description="categories not counted for levels")
    level_kinds: list[Captured] | None = Field(
        default=None, description="captured kinds counted for levels (default: rewards.level_hours_from)")

    @model_validator(mode="after")
    def _caps(self) -> HoursPolicy:
        if self.rounding.step > 60 * 24:
            raise ValueError("hours.rounding.step is in minutes and may not exceed a day (1440)")
        if (self.cap_per_activity_hours is not None and self.cap_per_day_hours is not None
                and self.cap_per_activity_hours > self.cap_per_day_hours):
            raise ValueError(f"hours.cap_per_activity_hours ({self.cap_per_activity_hours}) is above "
                             f"hours.cap_per_day_hours ({self.cap_per_day_hours}): one activity could never reach it")
        return self


class Streak(_Strict):
    """Every N-th counted service earns a bonus. Without ``break_on_no_show`` / ``max_gap_days``
    the N-th, 2N-th … service (net of reversals) earns it; with either, the services must be
    consecutive: a no-show on a rostered shift, or more than ``max_gap_days`` between two services,
    starts the count again (seed 001 §1(一) 连续参与满10次, "consecutive" as the community defines it)."""

    every: int = Field(ge=1, le=10_000, description="every N counted services …")
    points: Decimal = Field(ge=0, description="… earn this many points")
    break_on_no_show: bool = Field(default=False, description="a no-show on a rostered shift ends the streak")
    max_gap_days: int | None = Field(default=None, ge=1, le=3660,
                                     description="more days than this between two services end the streak")

    @property
    def breaks(self) -> bool:
        return self.break_on_no_show or self.max_gap_days is not None


class RatingBonus(_Strict):
    """A share of a record's (rounded) points added when the beneficiary's rating is at least
    ``min_stars`` (seed 001 §1(三): 五星评价可额外获得10%积分), rounded as the points are."""

    min_stars: int = Field(ge=1, le=5)
    percent: Decimal = Field(gt=0, le=1000)


class Referral(_Strict):
    """Points to whoever recommended a newcomer (推荐), e.g. 海林 第九条: 每成功推荐一位志愿者注册积分为2分.

    Awarded once per newcomer: when they are enrolled (``after_services: 0``), or when their N-th
    counted service is verified, so a recommendation counts only once the newcomer has served."""

    points: Decimal = Field(gt=0)
    after_services: int = Field(default=0, ge=0, le=100, description="0: on enrolment; N: after the newcomer's N-th service")
    max_per_year: int | None = Field(default=None, ge=1, le=1000, description="referral awards one person may earn a year")


class Bonuses(_Strict):
    first_service: Decimal = Field(default=Decimal(0), ge=0)
    streak: Streak | None = None
    referral: Referral | None = None


class Reset(_Strict):
    """Spendable points expire: each year on ``year_start`` (seed 001: 年度清零), lifetime points kept."""

    yearly: bool = False
    year_start: str = Field(default="01-01", pattern=MMDD)
    lifetime_unit: str | None = Field(default="lifetime_points", max_length=32,
                                      description="a never-reset mirror of every earning; null: none")
    lifetime: bool = Field(default=True, description="mirror every earning into lifetime_unit (seed 001 终身成就积分)")

    @field_validator("year_start")
    @classmethod
    def _every_year(cls, value: str) -> str:
        month, day = (int(x) for x in value.split("-"))
        if (month, day) == (2, 29):
            raise ValueError("reset.year_start 02-29 is not a day every year has: the year would start only in leap "
                             "years")
        return value

    @property
    def mirror_unit(self) -> str | None:
        return self.lifetime_unit if self.lifetime else None


class PointsPolicy(_Strict):
    unit: str = Field(default="points", max_length=32)
    per_hour: dict[str, Decimal] = Field(default_factory=dict, description="rate per hour by category (or class)")
    category_map: dict[str, str] = Field(default_factory=dict, description="record category → a per_hour key")
    default_rate: Decimal | None = Field(default=None, ge=0, description="rate for unlisted categories; null: none")
    earn_from: list[Captured] = Field(default_factory=lambda: list(ALL_CAPTURED))
    cap_hours_per_activity: Decimal | None = Field(default=None, gt=0, le=24)
    rating: dict[int, Decimal] = Field(default_factory=dict, description="beneficiary rating → multiplier")
    rating_bonus: RatingBonus | None = Field(default=None, description="a share added from a rating up (五星 +10 %)")
    outcomes: dict[str, Decimal] = Field(default_factory=dict, description="outcome → multiplier (0 zeroes it)")
    bonuses: Bonuses = Field(default_factory=Bonuses)
    reset: Reset = Field(default_factory=Reset)
    min_hours_to_redeem: Decimal = Field(default=Decimal(0), ge=0)
    rounding: Rounding = Field(default_factory=lambda: Rounding(step=Decimal("0.01"), mode="nearest"))

    @model_validator(mode="after")
    def _known(self) -> PointsPolicy:
        for rate in self.per_hour.values():
            if rate < 0:
                raise ValueError("points.per_hour rates may not be negative")
        for cat, key in self.category_map.items():
            if key not in self.per_hour:
                raise ValueError(f"points.category_map.{cat}: {key!r} is not a key of points.per_hour "
                                 f"({', '.join(self.per_hour) or 'empty'})")
        for stars, mult in self.rating.items():
            if not 1 <= stars <= 5 or mult < 0:
                raise ValueError(f"points.rating.{stars}: ratings are 1..5 and multipliers ≥ 0")
        if any(m < 0 for m in self.outcomes.values()):
            raise ValueError("points.outcomes multipliers may not be negative")
        return self


class ItemLimit(_Strict):
    max: int | None = Field(default=None, ge=1, le=10_000, description="redemptions allowed per period")
    per: Period = "year"
    min_level: str | None = Field(default=None, max_length=63, description="eligible from this level up")
    min_hours: Decimal | None = Field(default=None, ge=0, description="eligible from these lifetime hours")
    min_hours_this_year: Decimal | None = Field(default=None, ge=0, description="e.g. 48 h a year (骨干)")


class RedemptionPolicy(_Strict):
    catalogue: ItemLimit | None = Field(default=None, description="limits over every item together")
    items: dict[str, ItemLimit] = Field(default_factory=dict, description="limits by catalogue code")
    flags: dict[str, ItemLimit] = Field(default_factory=dict, description="limits on items carrying a flag")


class LevelDef(_Strict):
    name: str = Field(min_length=1, max_length=63)
    hours: Decimal = Field(ge=0)
    nomination: bool = Field(default=False, description="granted only after a recorded nomination")


class Repeat(_Strict):
    """After the top level, another level every ``every`` hours (e.g. every 300 h)."""

    every: Decimal = Field(gt=0)
    name: str = Field(default="{top} +{n}", max_length=63, description="{top}: top level's name, {n}: 1, 2 …")


class Batch(_Strict):
    """Levels are granted once a year: hours up to ``cutoff`` (MM-DD, inclusive) count for that year.

    ``hours: cumulative`` counts every hour served up to the cut-off (a level once reached is kept);
    ``hours: year`` counts only the batch year's hours (after last year's cut-off, up to this one), and
    a level is awarded again each year its hours are reached (启东 2019: 一年内服务满 100…1500 小时).
    """

    cutoff: str = Field(pattern=MMDD)
    hours: Literal["cumulative", "year"] = Field(
        default="cumulative", description="cumulative: all hours up to the cut-off; year: that batch year's only")


class LevelsPolicy(_Strict):
    scheme: list[LevelDef] = Field(default_factory=list)
    repeat: Repeat | None = None
    previous_required: bool = Field(default=False, description="a level needs the one below awarded first")
    batch: Batch | None = None
    honour_dated: Literal["earned", "awarded"] = "earned"

    @field_validator("scheme")
    @classmethod
    def _ascending(cls, value: list[LevelDef]) -> list[LevelDef]:
        hours = [lv.hours for lv in value]
        names = [lv.name for lv in value]
        if hours != sorted(hours):
            raise ValueError("levels.scheme must be listed from the lowest hours to the highest")
        if len(set(names)) != len(names):
            raise ValueError("levels.scheme names must be distinct")
        return value

    @model_validator(mode="after")
    def _repeat_needs_top(self) -> LevelsPolicy:
        if self.repeat is not None and not self.scheme:
            raise ValueError("levels.repeat needs a levels.scheme to repeat after")
        return self


class TimeBankPolicy(_Strict):
    """Hour accounts. One documented unit: hours, to 2 decimals."""

    floor_hours: Decimal = Field(default=Decimal(0), le=0, description="lowest balance; −10 allows 10 h of debt")
    on_floor: Literal["block", "flag"] = "block"
    cap_hours: Decimal | None = Field(default=None, gt=0, description="most a member may store")
    on_cap: Literal["block", "overflow"] = "block"
    overflow_pool: str | None = Field(default=None, max_length=63, description="named pool receiving the overflow")
    donate_only_categories: list[str] = Field(default_factory=list, description="hours only donatable (e.g. group)")
    rounding: Rounding = Field(default_factory=lambda: Rounding(step=Decimal("0.25"), mode="down"))
    partners: list[str] = Field(default_factory=list, description="partner communities accepted in transfers")

    @model_validator(mode="after")
    def _limits(self) -> TimeBankPolicy:
        if self.cap_hours is not None and self.floor_hours > self.cap_hours:
            raise ValueError(f"time_bank.floor_hours ({self.floor_hours}) is above time_bank.cap_hours "
                             f"({self.cap_hours})")
        if self.on_cap == "overflow" and not self.overflow_pool:
            raise ValueError("time_bank.on_cap: overflow needs time_bank.overflow_pool (where the overflow goes)")
        if self.on_cap == "overflow" and self.cap_hours is None:
            raise ValueError("time_bank.on_cap: overflow needs time_bank.cap_hours")
        return self


class RulesPolicy(_Strict):
    """The engine's share of ``rules:``: the pack and the overridden policies."""

    hours: HoursPolicy = Field(default_factory=HoursPolicy)
    points: PointsPolicy | None = None
    levels: LevelsPolicy | None = None
    redemption: RedemptionPolicy | None = None
    time_bank: TimeBankPolicy | None = None
    # --- added for corporate ---
    allowance: AllowancePolicy | None = None  # work-time allowance (VTO), engine/rules/allowance.py
    grants: GrantPolicy | None = None  # matching grants for volunteer time, engine/rules/grants.py
    # --- added for event (shift rules) ---
    shifts: ShiftsPolicy | None = None
    # --- added for youth (issue 13) ---
    credits: dict[str, CreditScheme] | None = None
    minors: MinorsPolicy | None = None
    age_awards: AgeAwardsPolicy | None = None
    honours: HonoursPolicy | None = None


POLICY_KEYS = ("hours", "points", "levels", "redemption", "time_bank", "allowance", "grants", "shifts", "credits",
               "minors", "age_awards", "honours")
