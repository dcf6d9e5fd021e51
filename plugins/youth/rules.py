"""The youth plan type's ``rules:`` section: safety, the academic year, award schemes.

The engine's policies sit beside these keys under ``rules:`` — ``pack`` (a school's pack, which
``extends:`` a region's minors pack), ``minors`` (registration age, consent band, closed
categories: :mod:`engine.rules.minors`) and ``credits`` (credit conversion schemes:
:mod:`engine.rules.credits`). What is here is the plan type's own:

* ``ratio`` — adults per minor by age band, the youngest band first. Defaults are the American
  Camp Association's day-camp ratios (6–8 years 1:8, 9–14 years 1:10, 15–17 years 1:12,
  ACA Accreditation Standards HR-7/HR-8 — camp-style defaults named in seed 000 篇2's spirit;
  a school sets its own). A mixed group needs ⌈Σ minors_in_band ÷ band_ratio⌉ adults.
* ``dangerous_categories`` — post categories that need insurance before the activity starts
  (志愿服务条例 第十七条第二款), as does any activity whose risk assessment marks it dangerous.
* ``require_briefing``, ``require_risk_assessment``, ``instructor_per_team``.
* ``quarters`` — the academic year's four quarters (seed 000 篇2: 招募培训 → 项目实施与期中评估 →
  学雷锋月 → 总结表彰), by month-day.
* ``credit_scheme`` — which of ``rules.credits`` the portfolio shows for graduation.

Awards by age band over a service year (e.g. the US President's Volunteer Service Award) are the
engine's ``rules.age_awards`` policy (:mod:`engine.rules.age_awards`), shipped as the pack ``pvsa``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

MMDD = r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
ACA = "American Camp Association, Accreditation Standards (day camp staff:camper ratios)"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RatioBand(_Strict):
    max_age: int = Field(ge=0, le=17, description="ages up to and including this one")
    minors_per_adult: int = Field(ge=1, le=50)


class Quarter(_Strict):
    name: str = Field(min_length=1, max_length=80)
    start: str = Field(pattern=MMDD)
    end: str = Field(pattern=MMDD)


def _default_quarters() -> list[Quarter]:
    return [Quarter(name="第一季度 招募与培训 Recruit & train", start="09-01", end="11-15"),
            Quarter(name="第二季度 项目实施与期中评估 Projects & mid-term review", start="11-16", end="02-28"),
            Quarter(name="第三季度 学雷锋月 Learn-from-Lei-Feng month", start="03-01", end="04-30"),
            Quarter(name="第四季度 总结与表彰 Review & awards", start="05-01", end="08-31")]


class YouthRules(_Strict):
    ratio: list[RatioBand] = Field(default_factory=lambda: [RatioBand(max_age=8, minors_per_adult=8),
                                                           RatioBand(max_age=14, minors_per_adult=10),
                                                           RatioBand(max_age=17, minors_per_adult=12)])
    ratio_source: str = Field(default=ACA, max_length=300)
    dangerous_categories: list[str] = Field(default_factory=lambda: ["dangerous", "outdoor", "water", "traffic"])
    require_briefing: bool = True
    require_risk_assessment: bool = True
    instructor_per_team: bool = True
    quarters: list[Quarter] = Field(default_factory=_default_quarters, min_length=4, max_length=4)
    credit_scheme: str | None = None
    award_pack: str | None = Field(default=None, max_length=63, description="a pack with age_awards (e.g. pvsa)")

    @model_validator(mode="after")
    def _bands(self) -> YouthRules:
        ages = [b.max_age for b in self.ratio]
        if ages != sorted(ages) or len(set(ages)) != len(ages):
            raise ValueError("ratio: bands from the youngest to the oldest, each max_age once")
        if self.ratio and self.ratio[-1].max_age < 17:
            raise ValueError(f"ratio: the last band must reach age 17 (it stops at {self.ratio[-1].max_age})")
        return self
