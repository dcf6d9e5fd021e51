"""The ``rules:`` section of an event programme (大型活动志愿服务, seed 000 篇3 and seed 004).

* ``event`` — the event's name, days, venue and expected attendance (the permit authority follows
  from it, :mod:`.permits`);
* ``organisation`` — HQ → functional groups → teams (seed 000 篇3 组织架构, :mod:`.organisation`);
* ``eligibility`` — open recruitment's conditions (seed 004 三、1(9)①: 18–65 周岁，本市户籍或在本市
  实际居住满半年; the birth-date cut-off of Olympic-style calls), :mod:`.eligibility`;
* ``units`` — directed recruitment by unit with quotas (seed 004 三、1(1)–(8), 集体动员、组织报名);
* ``funnel`` — interview ratio and scoring (seed 000 篇3 招募流程);
* ``incidents`` — minutes each responder level has to acknowledge before the engine escalates.

The engine's shift rules (``rules.shifts`` or ``rules.pack``) sit beside these keys.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from .emergency import Plan, default_plans, over_defaults

KEY = r"^[a-z][a-z0-9_-]{0,62}$"


class _S(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EventInfo(_S):
    name: str | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    venue: str | None = None
    expected_attendance: int | None = Field(default=None, ge=0, description="每场次预计参加人数 (permit threshold)")
    cross_province: bool = Field(default=False, description="跨省、自治区、直辖市举办 (条例第十二条: 国务院公安部门)")

    @field_validator("ends_on")
    @classmethod
    def _after_start(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("starts_on")
        if value is not None and start is not None and value < start:
            raise ValueError(f"活动结束日 event.ends_on（{value}）早于开始日 event.starts_on（{start}）/ event.ends_on "
                             f"({value}) is before event.starts_on ({start})")
        return value


class Team(_S):
    code: str = Field(pattern=KEY)
    name: str
    leader: str | None = None


class Group(_S):
    code: str = Field(pattern=KEY)
    name: str
    kind: str = Field(default="on_site", pattern=KEY, description="coordination | recruitment_training | "
                      "logistics | publicity | on_site")
    head: str | None = None
    teams: list[Team] = Field(default_factory=list)


class Organisation(_S):
    hq: str = "总指挥部 HQ"
    groups: list[Group] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> Organisation:
        seen: set[str] = set()
        for code in [g.code for g in self.groups] + [t.code for g in self.groups for t in g.teams]:
            if code in seen:
                raise ValueError(f"组织代码 {code!r} 重复（功能组与小组共用一套代码）/ organisation: code {code!r} is used "
                                 "twice (groups and teams share one namespace)")
            seen.add(code)
        return self


class Residence(_S):
    local_household: bool = Field(default=True, description="本市户籍 qualifies")
    min_months: int | None = Field(default=6, ge=0, le=600, description="或在本市实际居住满 N 个月 (seed 004: 半年)")


class Eligibility(_S):
    """Defaults are the law's floor only (18: full civil capacity); a call's own limits — seed 004's
    18–65 and residence, an Olympic birth-date cut-off — come from its pack or the file."""

    min_age: int = Field(default=18, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120, description="no upper age unless the call sets one")
    age_on: dt.date | None = Field(default=None, description="the date ages are reckoned on (default: event start)")
    born_on_or_before: dt.date | None = Field(default=None, description="birth-date cut-off of the call")
    min_available_days: int = Field(default=0, ge=0, le=366)
    residence: Residence | None = Field(default=None, description="residence condition (seed 004: local household "
                                        "or 6 months); none unless the call sets one")
    languages_any: list[Annotated[str, Field(min_length=1, max_length=50)]] = Field(
        default_factory=list, max_length=50, description="the applicant declares at least one of these languages "
        "(e.g. [英语] for a call's 能够使用英语进行交流); empty: no language condition")


class Unit(_S):
    code: str = Field(pattern=KEY)
    name: str
    quota: int = Field(ge=0)
    directed: bool = Field(default=True, description="集体动员、组织报名 (false: 公开招募 through this unit)")
    liaison: str | None = Field(default=None, description="username of the unit's liaison (对口联络员)")


class Funnel(_S):
    interview_ratio: Decimal = Field(default=Decimal("1.2"), ge=1, le=10,
                                     description="candidates interviewed per place (面试比例)")
    min_interviewers: int = Field(default=2, ge=1, le=9)
    pass_score: Decimal = Field(default=Decimal(60), ge=0, le=100)


DEFAULT_ACK_MINUTES = {"ordinary": 5, "team_leader": 10, "group_head": 15}


class IncidentTimers(_S):
    ack_minutes: dict[Annotated[str, Field(pattern=KEY)], Annotated[int, Field(ge=1, le=1440)] | None] = Field(
        default_factory=lambda: dict(DEFAULT_ACK_MINUTES),
        description="minutes a level has to acknowledge an open incident before it goes one level up; the levels "
                    "written replace the default ones (ordinary 5, team_leader 10, group_head 15) key by key, "
                    "`level: null` switches that level's timer off")

    @field_validator("ack_minutes", mode="before")
    @classmethod
    def _over_defaults(cls, value: Any) -> Any:
        """Key by key over the defaults (as mappings merge across layers), so writing one level does not
        silently switch the others' timers off; ``null`` does, on purpose."""
        if not isinstance(value, dict):
            return value
        return {**DEFAULT_ACK_MINUTES, **value}

    def timers(self) -> dict[str, int]:
        return {level: m for level, m in self.ack_minutes.items() if m is not None}


def _eligibility_packs() -> dict[str, dict[str, Any]]:
    """The eligibility packs shipped in ``eligibility_packs/`` (name → file contents)."""
    from pathlib import Path

    from ruamel.yaml import YAML

    out: dict[str, dict[str, Any]] = {}
    for path in sorted((Path(__file__).resolve().parent / "eligibility_packs").glob("*.yaml")):
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        out[data["pack"]] = data
    return out


class EventRules(_S):
    eligibility_pack: str | None = Field(default=None, description="a pack of eligibility_packs/ (seed004-expo-security, "
                                         "beijing-2008-games, beijing-2008-city, beijing-2022-games); keys written under "
                                         "eligibility override it")
    event: EventInfo = Field(default_factory=EventInfo)
    organisation: Organisation = Field(default_factory=Organisation)
    eligibility: Eligibility = Field(default_factory=Eligibility)
    units: list[Unit] = Field(default_factory=list)
    funnel: Funnel = Field(default_factory=Funnel)
    incidents: IncidentTimers = Field(default_factory=IncidentTimers)
    emergency_plans: dict[str, Plan | None] = Field(
        default_factory=default_plans,
        description="应急预案: incident category → {title, steps}; defaults: seed 000 篇3's medical, lost_person, "
                    "fire and weather plans; written categories replace them key by key, `category: null` drops one")

    @field_validator("emergency_plans", mode="before")
    @classmethod
    def _plans_over_defaults(cls, value: Any) -> Any:
        return over_defaults(value)

    def node_parents(self) -> dict[str, str]:
        """Team → its functional group (or venue): the engine looks a venue's duty window up the tree."""
        return {t.code: g.code for g in self.organisation.groups for t in g.teams}

    @model_validator(mode="before")
    @classmethod
    def _pack(cls, data: Any) -> Any:
        """The pack's figures under what the file writes; an unknown name is left to the field's check,
        so the error points at the ``eligibility_pack`` line."""
        if not isinstance(data, dict) or not data.get("eligibility_pack"):
            return data
        pack = _eligibility_packs().get(data["eligibility_pack"])
        if pack is None:
            return data
        return {**data, "eligibility": {**pack["eligibility"], **(data.get("eligibility") or {})}}

    @field_validator("eligibility_pack")
    @classmethod
    def _known_pack(cls, name: str | None) -> str | None:
        packs = _eligibility_packs()
        if name is not None and name not in packs:
            raise ValueError(f"没有名为 {name!r} 的资格条件包，已安装：{'、'.join(sorted(packs))} / unknown eligibility_pack "
                             f"{name!r}; installed: {', '.join(sorted(packs))}")
        return name

    @field_validator("units")
    @classmethod
    def _unique_units(cls, units: list[Unit]) -> list[Unit]:
        seen: set[str] = set()
        for i, u in enumerate(units, start=1):
            if u.code in seen:
                raise ValueError(f"第 {i} 个单位的代码 {u.code!r} 与前面的重复 / units: code {u.code!r} (unit {i}) is "
                                 "used twice; each unit code must be unique")
            seen.add(u.code)
        return units
