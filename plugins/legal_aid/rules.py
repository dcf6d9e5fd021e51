"""The ``rules:`` section of a legal-aid programme: the law's rules plus the plan type's own settings.

:class:`PlanRules` *is* a :class:`plugins.legal_aid.law.LegalAidRules` (it subclasses it), so the law
package's functions (``pre_check``, ``case_deadlines`` …) take it unchanged, and the keys of the law
(``hardship_line`` — required, 《法律援助法》第三十四条 —, ``deadlines``, ``supplement``,
``provisional_aid``, ``counsel``, ``documents``) sit directly under ``rules:``. The plan type adds:

* ``case_types`` — the kinds of case the programme takes (seed 000 篇5 咨询内容/特定群体法律援助);
* ``service_points`` — the fixed consultation points (seed 000 篇5: 社区、工会、妇联、残联);
* ``staffing`` — who counts as a senior lawyer, who may review documents, expertise matching;
* ``conflict`` — the periods of 《律师法》第四十一条 and 《律师执业行为规范》第五十二条第五项;
* ``reporting`` — how often the case lawyer reports to the supervisor (seed 000 篇5 定期汇报);
* ``targets`` — the plan's one-year targets, shown in the report (seed 000 篇5 短期目标).

Figures the law fixes can only be tightened (``ge=`` the statutory figure); the others are programme
choices and say so in their descriptions.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .law import LegalAidRules

__all__ = [
    "DEFAULT_CASE_TYPES",
    "ConflictSettings",
    "PlanRules",
    "PointKind",
    "ReportingSettings",
    "ServicePoint",
    "StaffingSettings",
    "Targets",
    "VolunteerKind",
]

KEY = r"^[a-z][a-z0-9_]{0,62}$"
SLUG = r"^[a-z][a-z0-9_-]{0,62}$"


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VolunteerKind(StrEnum):
    """The three kinds of legal-aid volunteer (seed 000 篇5 专业团队组建; 《法律援助法》第十七条)."""

    LAWYER = "lawyer"
    LAW_TEACHER = "law_teacher"
    LAW_STUDENT = "law_student"


DEFAULT_CASE_TYPES: dict[str, str] = {
    "labour": "劳动争议 Labour dispute",
    "wage_arrears": "拖欠工资 Wage arrears (migrant workers)",
    "work_injury": "工伤赔偿 Work-injury compensation",
    "marriage_family": "婚姻家庭 Marriage and family",
    "domestic_violence": "家庭暴力 Domestic violence",
    "maintenance": "赡养抚养扶养 Maintenance",
    "inheritance": "遗嘱继承 Wills and inheritance",
    "housing": "房产纠纷 Housing dispute",
    "contract": "合同纠纷 Contract dispute",
    "consumer": "消费者权益 Consumer rights",
    "traffic_accident": "交通事故 Traffic accident",
    "neighbour": "邻里纠纷 Neighbour dispute",
    "minor_protection": "未成年人保护 Protection of minors",
    "disability_rights": "残障人士权益 Rights of people with disabilities",
    "elder_fraud": "养老诈骗 Fraud against the elderly",
    "administrative": "行政诉讼 Administrative litigation",
    "criminal_incidental_civil": "刑事附带民事 Incidental civil claim in a criminal case",
}
"""Seed 000 篇5: 咨询内容 (婚姻家庭、劳动争议、房产纠纷、合同纠纷、消费者权益、交通事故、邻里纠纷), 特定群体法律援助
(老年人、妇女儿童、农民工、残障人士) and 代理范围 (民事诉讼、行政诉讼、劳动仲裁、刑事附带民事诉讼)."""


class PointKind(StrEnum):
    """Where a service point sits (seed 000 篇5: 社区服务中心、工会、妇联、残联)."""

    COMMUNITY = "community"
    TRADE_UNION = "trade_union"
    WOMENS_FEDERATION = "womens_federation"
    DISABLED_PERSONS_FEDERATION = "disabled_persons_federation"
    COURT_OR_AGENCY = "court_or_agency"
    ONLINE = "online"
    OTHER = "other"


class ServicePoint(_Settings):
    """A fixed consultation point (驻点咨询, 每周定时定点)."""

    key: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    kind: PointKind
    address: str | None = None
    schedule: str | None = Field(default=None, description="e.g. 每周三 14:00-17:00")


class StaffingSettings(_Settings):
    """Who may do what beyond the law's own limits (programme choices, seed 000 篇5)."""

    senior_min_years: int = Field(
        default=5, ge=1,
        description="Programme choice: years of practice from which a lawyer counts as senior (资深律师), "
        "when the profile does not state its seniority. Seed 000 篇5: 由资深律师志愿者进行审核把关.")
    reviewer_kinds: list[VolunteerKind] = Field(
        default_factory=lambda: [VolunteerKind.LAWYER], min_length=1,
        description="Who may review a document drafted by a student or junior (seed 000 篇5: 资深律师; "
        "some programmes add law_teacher: 骨干成员……负责文书审核).")
    require_expertise: bool = Field(
        default=True, description="Assign only lawyers whose expertise lists the case type "
        "(seed 000 篇5: 根据案件类型和志愿者专长).")
    max_open_cases: int | None = Field(default=None, ge=1, description="Programme choice: cases a lawyer may "
                                       "hold at once; none = no limit.")


class ConflictSettings(_Settings):
    """Periods in the conflict rules; each can be lengthened, not shortened."""

    former_client_years: int = Field(
        default=1, ge=1, description="《律师执业行为规范》第五十二条第五项: acting against a former client in the same "
        "matter within one year of the end of the engagement needs the client's informed consent.")
    former_official_years: int = Field(
        default=2, ge=2, description="《律师法》第四十一条: former judges and prosecutors may not act as litigation "
        "agent or defender within two years of leaving office.")
    min_score: float = Field(
        default=60.0, ge=0, le=100, description="Hits scoring below this are not reported (the index scores "
        "60-100; 60 reports every near spelling).")


class ReportingSettings(_Settings):
    """Reports from the case lawyer to the supervisor (seed 000 篇5: 定期向督导员汇报)."""

    report_interval_days: int = Field(
        default=30, ge=1, description="Programme choice (the seed says 定期 without a period): at most this many "
        "days between two reports while a case is in progress.")
    due_soon_days: int = Field(default=3, ge=0, description="The due list also shows what falls due within "
                               "this many days.")


class Targets(_Settings):
    """The plan's one-year targets (seed 000 篇5 短期目标), compared with results in the report."""

    lawyers: int = Field(default=50, ge=0)
    students: int = Field(default=100, ge=0)
    service_points: int = Field(default=5, ge=0)
    talks: int = Field(default=20, ge=0)
    talk_audience: int = Field(default=3000, ge=0)
    cases: int = Field(default=20, ge=0)


class PlanRules(LegalAidRules):
    """All rules of a legal-aid programme: 《法律援助法》's (inherited) and the plan type's."""

    case_types: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_CASE_TYPES), min_length=1)
    service_points: list[ServicePoint] = Field(default_factory=list)
    staffing: StaffingSettings = StaffingSettings()
    conflict: ConflictSettings = ConflictSettings()
    reporting: ReportingSettings = ReportingSettings()
    targets: Targets = Targets()
    retention_window_days: int = Field(
        default=365, ge=1, description="A volunteer counts as retained when they served within this many days "
        "(seed 000 篇5 志愿者稳定率).")

    @field_validator("case_types")
    @classmethod
    def _keys(cls, value: dict[str, str]) -> dict[str, str]:
        import re

        bad = [k for k in value if not re.match(KEY, k)]
        if bad:
            raise ValueError(f"case type keys must be lowercase identifiers: {', '.join(bad)}")
        return value

    @model_validator(mode="after")
    def _unique_points(self) -> PlanRules:
        keys = [p.key for p in self.service_points]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError(f"service point keys repeat: {', '.join(dup)}")
        return self

    def point(self, key: str) -> ServicePoint | None:
        return next((p for p in self.service_points if p.key == key), None)
