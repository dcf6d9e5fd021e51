"""The ``rules:`` section of a community programme, as a pydantic model with the documents' figures.

Every default below comes from a source document and is named where it is set; every figure can
be overridden in the programme's YAML (mappings merge key by key, lists replace, ``null`` removes).

Points and stars are not here: they are the engine's ``rules.points`` and ``rules.levels``, from the
pack ``community-points-002`` (seed 001 §1(一)(三), national stars) that ``default.yaml`` names, with
the programme's overrides beside it (``docs/rules.md``); the keys that used to be here are listed in
:mod:`plugins.community.moved`, so an old file is told what to write instead.

* seed 001 §1(二): the redemption catalogue; §1(三): appeals reviewed quarterly by a board; §2(一): station → grid (300–500 households) → building group (20–30 households), each
  backbone volunteer mentors three newcomers; §3(一): time bank with neighbouring communities.
* seed 003 附件4 第四条: backbone volunteers serve ≥ 48 h a year in the community and alone may
  redeem the community's love rewards (爱心回馈); 第五条: the four dismissal grounds.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Captured = Literal["checkin", "self_reported", "coordinator", "transferred"]
CODE = r"^[a-z0-9][a-z0-9_-]{0,62}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MentoringRules(_Strict):
    """老带新 (seed 001 §2(一)): each backbone volunteer mentors three newcomers; a successful pairing
    earns extra points. The document gives no figures for "successful" or "extra": we read success as
    the newcomer completing their first ``first_services`` services (3, like the three successful runs
    that make a project lead a star manager in §2(三)) and use the other one-off bonus, 10 points."""

    enabled: bool = True
    first_services: int = Field(default=3, ge=1)
    bonus: Decimal = Field(default=Decimal(10), ge=0)
    mentees_per_mentor: int = Field(default=3, ge=1, description="open pairings one mentor may hold")
    mentor_must_be_backbone: bool = True
    newcomer_max_services: int = Field(default=0, ge=0, description="services a mentee may already have")


class BackboneRules(_Strict):
    """志愿者骨干 (seed 003 附件4 第四条): ≥ 48 h a year of service in this community."""

    min_hours: Decimal = Field(default=Decimal(48), ge=0)
    count_captured: list[Captured] = Field(
        default_factory=lambda: list[Captured](["checkin", "self_reported", "coordinator"]),
        description="hours served here: transferred records come from elsewhere")
    love_reward_flag: str = Field(default="love_reward", description="catalogue flag only backbones may redeem")


class CatalogueEntry(_Strict):
    """One redemption item (seed 001 §1(二)); ``love_reward`` items are for backbones only (003)."""

    code: str = Field(pattern=CODE)
    title: str = Field(min_length=1, max_length=200)
    cost: Decimal = Field(gt=0)
    stock: int | None = Field(default=None, ge=0, description="initial stock; null = unlimited")
    love_reward: bool = False
    active: bool = True


def _seed_catalogue() -> list[CatalogueEntry]:
    return [
        CatalogueEntry(code="supermarket-voucher-50", title="社区超市代金券 50 元 / Supermarket voucher, 50 yuan",
                       cost=Decimal(100)),
        CatalogueEntry(code="gym-1h", title="健身房 1 小时 / Gym, one hour", cost=Decimal(50)),
        CatalogueEntry(code="cleaning-20off", title="家政保洁 8 折 / Home cleaning at 20 % off", cost=Decimal(200)),
    ]


class NodeEntry(_Strict):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=200)
    households: int | None = Field(default=None, ge=0)
    leader: str | None = Field(default=None, max_length=100, description="站长 / 联络员")


class GridEntry(NodeEntry):
    buildings: list[NodeEntry] = Field(default_factory=list)


class NetworkRules(_Strict):
    """社区总站 → 网格分站 (300–500 户) → 楼栋小组 (20–30 户), seed 001 §2(一)."""

    station: NodeEntry | None = None
    grids: list[GridEntry] = Field(default_factory=list)
    grid_households: tuple[int, int] | None = (300, 500)
    building_households: tuple[int, int] | None = (20, 30)

    @model_validator(mode="after")
    def _tree(self) -> NetworkRules:
        codes: list[str] = [self.station.code] if self.station else []
        for grid in self.grids:
            codes.append(grid.code)
            _check_range("grid", grid, self.grid_households)
            for b in grid.buildings:
                codes.append(b.code)
                _check_range("building", b, self.building_households)
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"network node codes must be unique; repeated: {', '.join(dupes)}")
        if self.grids and self.station is None:
            raise ValueError("network.grids need a network.station above them")
        return self


def _check_range(kind: str, node: NodeEntry, bounds: tuple[int, int] | None) -> None:
    if bounds is None or node.households is None:
        return
    low, high = bounds
    if not low <= node.households <= high:
        raise ValueError(f"{kind} {node.code!r} covers {node.households} households, outside {low}–{high} "
                         f"(seed 001 §2(一)); change network.{kind}_households to allow it")


class PartnerEntry(_Strict):
    """A partner community whose points this one recognises (seed 001 §3(一) 与周边社区互认积分)."""

    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=200)
    rate: Decimal = Field(default=Decimal(1), gt=0, description="our points per one of theirs")
    min_balance: Decimal | None = Field(default=None, description="lowest net balance of their clearing account")
    max_balance: Decimal | None = Field(default=None, description="highest net balance of their clearing account")


class TimeBankRules(_Strict):
    enabled: bool = True
    community_code: str | None = Field(default=None, pattern=CODE, description="our code in the network; default: programme id")
    partners: list[PartnerEntry] = Field(default_factory=list)
    storage_cap: Decimal | None = Field(default=None, gt=0, description="most points a person may hold after a transfer in")
    count_lifetime: bool = Field(default=False, description="points from partners also raise lifetime points")

    @field_validator("partners")
    @classmethod
    def _unique(cls, value: list[PartnerEntry]) -> list[PartnerEntry]:
        codes = [p.code for p in value]
        if len(codes) != len(set(codes)):
            raise ValueError("time_bank.partners codes must be unique")
        return value


class AppealRules(_Strict):
    """积分异议申诉 (seed 001 §1(三)): a board reviews the points data every quarter."""

    cadence_months: Literal[1, 3, 6, 12] = 3
    window_days: int | None = Field(default=None, ge=1, description="days after an entry it may be disputed")


class DismissalRules(_Strict):
    """劝退 (seed 003 附件4 第五条). "多次" is not quantified there; 3 is our default."""

    min_refusals: int = Field(default=3, ge=1)


class CommunityRules(_Strict):
    """The community plan type's rules; see the module docstring for where each figure comes from."""

    year_start: str = Field(default="01-01", pattern=r"^\d\d-\d\d$",
                            description="MM-DD the community year starts: points reset, backbone hours restart "
                                        "(rules.points.reset.year_start must agree)")
    mentoring: MentoringRules = Field(default_factory=MentoringRules)
    backbone: BackboneRules = Field(default_factory=BackboneRules)
    catalogue: list[CatalogueEntry] = Field(default_factory=_seed_catalogue)
    network: NetworkRules = Field(default_factory=NetworkRules)
    time_bank: TimeBankRules = Field(default_factory=TimeBankRules)
    appeals: AppealRules = Field(default_factory=AppealRules)
    dismissal: DismissalRules = Field(default_factory=DismissalRules)

    @field_validator("year_start")
    @classmethod
    def _real_day(cls, value: str) -> str:
        month, day = (int(x) for x in value.split("-"))
        try:
            dt.date(2025, month, day)  # a common year: 02-29 would skip three years in four
        except ValueError:
            raise ValueError(f"year_start {value!r} is not a day every year has (MM-DD)") from None
        return value

    @field_validator("catalogue")
    @classmethod
    def _codes(cls, value: list[CatalogueEntry]) -> list[CatalogueEntry]:
        codes = [c.code for c in value]
        if len(codes) != len(set(codes)):
            raise ValueError("catalogue codes must be unique")
        return value

    @property
    def year_start_md(self) -> tuple[int, int]:
        month, day = (int(x) for x in self.year_start.split("-"))
        return month, day
