"""Configurable rules of the legal-aid plan type (the ``rules:`` section of a programme's YAML).

Every figure has the law's value as its default and can be overridden in a programme's YAML; unknown
keys are rejected (``extra="forbid"``) so that a misspelt key is a load-time error, not a silent default.

Where the law fixes a figure, a programme may tighten it but not loosen it: the agency's deadlines in
《法律援助法》第四十三条、第三十六条、第四十九条 can be shortened, never lengthened, and the Art.26 experience
requirement can be raised, never lowered. Where the law leaves a figure open it is marked
"programme choice" below and in the field description:

* the economic-hardship line — 第三十四条 leaves it to each province, so it has **no default** and every
  programme must state it (:class:`DibaoMultipleLine`, :class:`MinimumWageLine` or
  :class:`FixedAmountLine`), naming its region and source document;
* how long an applicant has to supply missing documents — 第四十三条第二款 says only that failing to
  supply them counts as withdrawing the application (视为撤回申请), with no period;
* whether the decision clock restarts or pauses while documents are awaited — the law is silent;
* which documents make an application complete — the law does not list them.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from .articles import LA_26, LA_34, LA_36, LA_43, LA_44, LA_49, Bilingual

__all__ = [
    "STATUTORY_ASSIGNMENT_DAYS",
    "STATUTORY_CRIMINAL_NOTICE_ASSIGNMENT_DAYS",
    "STATUTORY_DECISION_DAYS",
    "STATUTORY_MIN_EXPERIENCE_YEARS",
    "STATUTORY_OBJECTION_REVIEW_DAYS",
    "STATUTORY_PROVISIONAL_AID_DAYS",
    "CounselRules",
    "DeadlineRules",
    "DibaoMultipleLine",
    "DocumentRules",
    "FixedAmountLine",
    "HardshipBasis",
    "HardshipLine",
    "LegalAidRules",
    "MinimumWageLine",
    "ProvisionalAidRules",
    "SupplementClock",
    "SupplementRules",
    "format_yuan",
]

STATUTORY_DECISION_DAYS = 7
"""《法律援助法》第四十三条第一款: decide 自收到法律援助申请之日起七日内."""
STATUTORY_ASSIGNMENT_DAYS = 3
"""《法律援助法》第四十三条第一款: assign 自作出决定之日起三日内."""
STATUTORY_CRIMINAL_NOTICE_ASSIGNMENT_DAYS = 3
"""《法律援助法》第三十六条: after a court/procuratorate/police notice, 在三日内指派律师."""
STATUTORY_OBJECTION_REVIEW_DAYS = 5
"""《法律援助法》第四十九条第二款: the justice bureau reviews an objection 自收到异议之日起五日内."""
STATUTORY_PROVISIONAL_AID_DAYS = 7
"""《法律援助法》第四十四条第一款第一项: 距法定时效或者期限届满不足七日."""
STATUTORY_MIN_EXPERIENCE_YEARS = 3
"""《法律援助法》第二十六条: 具有三年以上相关执业经历的律师."""


def format_yuan(amount: Decimal) -> str:
    """``1500`` for whole yuan, ``1500.50`` otherwise."""
    if amount == amount.to_integral_value():
        return str(amount.to_integral_value())
    return str(amount.quantize(Decimal("0.01")))


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- Art.34: the economic-hardship line ---------------------------------------------------------


class HardshipBasis(StrEnum):
    """What a province measures economic hardship against (《法律援助法》第三十四条 leaves it to them)."""

    DIBAO_MULTIPLE = "dibao_multiple"
    """A multiple of the local minimum-living allowance (最低生活保障标准, 低保)."""
    MINIMUM_WAGE = "minimum_wage"
    """The local minimum wage (最低工资标准), possibly times a multiple."""
    FIXED_AMOUNT = "fixed_amount"
    """A fixed monthly income per household member set by the province."""


class _LineBase(_Rules):
    region: str = Field(min_length=1, description="Where the line applies, e.g. 北京市 or 某市某区.")
    source: str | None = Field(
        default=None,
        description="The provincial document that sets the line (第三十四条 leaves it to the province).",
    )
    inclusive: bool = Field(
        default=True,
        description="Programme choice: an income exactly at the line counts as hardship (≤ line). "
        "Set false where the province says 低于 (strictly below).",
    )

    def per_capita_line(self) -> Decimal:
        """The monthly per-capita income at or below which a household counts as in hardship."""
        raise NotImplementedError

    def describe(self) -> Bilingual:
        """How the line is derived, for coordinators."""
        raise NotImplementedError

    def is_hardship(self, household_monthly_income: Decimal, household_size: int) -> bool:
        """Whether the household's monthly income per member is within the line.

        Compares ``income`` with ``line × size`` so that no rounding is involved.
        """
        ceiling = self.per_capita_line() * household_size
        if self.inclusive:
            return household_monthly_income <= ceiling
        return household_monthly_income < ceiling


class DibaoMultipleLine(_LineBase):
    """Hardship line = ``multiple`` × the local monthly minimum-living allowance per person (低保标准)."""

    basis: Literal[HardshipBasis.DIBAO_MULTIPLE] = HardshipBasis.DIBAO_MULTIPLE
    monthly_dibao_per_person: Decimal = Field(gt=0, description="Local 低保标准, yuan per person a month.")
    multiple: Decimal = Field(default=Decimal("1.5"), gt=0, description="Programme/province choice.")

    def per_capita_line(self) -> Decimal:
        return self.monthly_dibao_per_person * self.multiple

    def describe(self) -> Bilingual:
        line, base = format_yuan(self.per_capita_line()), format_yuan(self.monthly_dibao_per_person)
        return Bilingual(
            zh=f"{self.region}最低生活保障标准{base}元/人·月的{self.multiple}倍，即家庭月人均收入{line}元",
            en=f"{self.multiple} × the {self.region} minimum-living allowance of {base} yuan per person a "
            f"month, i.e. {line} yuan per household member",
        )


class MinimumWageLine(_LineBase):
    """Hardship line = ``multiple`` × the local monthly minimum wage (最低工资标准), per household member."""

    basis: Literal[HardshipBasis.MINIMUM_WAGE] = HardshipBasis.MINIMUM_WAGE
    monthly_minimum_wage: Decimal = Field(gt=0, description="Local 最低工资标准, yuan a month.")
    multiple: Decimal = Field(default=Decimal("1"), gt=0, description="Programme/province choice.")

    def per_capita_line(self) -> Decimal:
        return self.monthly_minimum_wage * self.multiple

    def describe(self) -> Bilingual:
        line, base = format_yuan(self.per_capita_line()), format_yuan(self.monthly_minimum_wage)
        return Bilingual(
            zh=f"{self.region}最低工资标准{base}元/月的{self.multiple}倍，即家庭月人均收入{line}元",
            en=f"{self.multiple} × the {self.region} minimum wage of {base} yuan a month, i.e. {line} yuan "
            "per household member",
        )


class FixedAmountLine(_LineBase):
    """Hardship line = a fixed monthly income per household member set by the province."""

    basis: Literal[HardshipBasis.FIXED_AMOUNT] = HardshipBasis.FIXED_AMOUNT
    monthly_amount_per_person: Decimal = Field(gt=0, description="Yuan per household member a month.")

    def per_capita_line(self) -> Decimal:
        return self.monthly_amount_per_person

    def describe(self) -> Bilingual:
        line = format_yuan(self.per_capita_line())
        return Bilingual(
            zh=f"{self.region}规定的家庭月人均收入{line}元",
            en=f"the {self.region} fixed line of {line} yuan per household member a month",
        )


HardshipLine = Annotated[
    DibaoMultipleLine | MinimumWageLine | FixedAmountLine,
    Field(discriminator="basis"),
]
"""One of the three ways to state the Art.34 line; YAML picks one with ``basis:``."""


# --- deadlines ----------------------------------------------------------------------------------


class DeadlineRules(_Rules):
    """Deadlines, in calendar days (the law says 日, not 工作日; see :mod:`.deadlines`)."""

    decision_days: int = Field(
        default=STATUTORY_DECISION_DAYS,
        ge=1,
        le=STATUTORY_DECISION_DAYS,
        description=f"{LA_43.cite(1)}: decide within 7 days of receiving the application. May be shortened.",
    )
    assignment_days: int = Field(
        default=STATUTORY_ASSIGNMENT_DAYS,
        ge=1,
        le=STATUTORY_ASSIGNMENT_DAYS,
        description=f"{LA_43.cite(1)}: assign aid personnel within 3 days of deciding to grant aid.",
    )
    criminal_notice_assignment_days: int = Field(
        default=STATUTORY_CRIMINAL_NOTICE_ASSIGNMENT_DAYS,
        ge=1,
        le=STATUTORY_CRIMINAL_NOTICE_ASSIGNMENT_DAYS,
        description=f"{LA_36.cite()}: assign a lawyer within 3 days of a notice "
        "(第二十五条第一款、第二十八条 cases).",
    )
    objection_review_days: int = Field(
        default=STATUTORY_OBJECTION_REVIEW_DAYS,
        ge=1,
        le=STATUTORY_OBJECTION_REVIEW_DAYS,
        description=f"{LA_49.cite(2)}: the justice bureau reviews an objection within 5 days.",
    )


class SupplementClock(StrEnum):
    """What happens to the 7-day decision clock while missing documents are awaited (law silent)."""

    RESTART = "restart"
    """A fresh decision period runs from the day the documents arrive (default)."""
    PAUSE = "pause"
    """The days between the request and the documents' arrival are not counted."""


class SupplementRules(_Rules):
    """The single request for missing documents (《法律援助法》第四十三条第二款).

    The law: 申请人提交的申请材料不齐全的，法律援助机构应当一次性告知申请人需要补充的材料或者要求申请人
    作出说明。申请人未按要求补充材料或者作出说明的，视为撤回申请。 It requires everything missing to be named
    at once (一次性告知) — so there is one request — but sets no period for the answer.
    """

    response_days: int = Field(
        default=15,
        ge=1,
        description="Programme choice (the law sets no period): days the applicant has to supply the "
        "documents; afterwards the application counts as withdrawn (视为撤回申请, 第四十三条第二款).",
    )
    clock: SupplementClock = Field(
        default=SupplementClock.RESTART,
        description="Programme choice (the law is silent): restart or pause the decision period.",
    )


class ProvisionalAidRules(_Rules):
    """Provisional aid before the review ends (先行提供法律援助, 《法律援助法》第四十四条).

    Days left = the last day of the limitation period or time limit minus today (0: it ends today). The
    ground holds when ``0 <= days left < days_before_expiry``; with the law's 7, six days left qualifies and
    seven does not. The agency "may" (可以) decide on provisional aid, so the pre-check only recommends it.
    """

    days_before_expiry: int = Field(
        default=STATUTORY_PROVISIONAL_AID_DAYS,
        ge=1,
        description=f"{LA_44.cite(1, 1)}: 距法定时效或者期限届满不足七日 — fewer than this many days left. "
        "The law says 7; another value is a programme choice and is reported as such.",
    )

    @property
    def is_statutory(self) -> bool:
        """True when the threshold is the law's own 不足七日."""
        return self.days_before_expiry == STATUTORY_PROVISIONAL_AID_DAYS


class CounselRules(_Rules):
    """Who may be assigned (《法律援助法》第二十六条)."""

    min_experience_years_serious: int = Field(
        default=STATUTORY_MIN_EXPERIENCE_YEARS,
        ge=STATUTORY_MIN_EXPERIENCE_YEARS,
        description=f"{LA_26.cite()}: possible life imprisonment or death penalty, and death-penalty review, "
        "need a lawyer with ≥ 3 years' relevant practice. May be raised, not lowered.",
    )


class DocumentRules(_Rules):
    """Which documents make an application complete.

    Programme choice: the law speaks of 申请材料不齐全 (第四十三条第二款) and of materials proving an Art.42
    category (有材料证明) but does not list application materials. Proof of hardship, or of an Art.42
    category, is always asked for when the means test applies, because 第四十一条 and 第四十二条 require it.
    """

    require_identity_proof: bool = True
    require_matter_evidence: bool = True


class LegalAidRules(_Rules):
    """All configurable rules of the legal-aid plan type.

    ``hardship_line`` has no default: 《法律援助法》第三十四条 — 经济困难的标准，由省、自治区、直辖市人民政府
    根据本行政区域经济发展状况和法律援助工作需要确定，并实行动态调整 — so every programme must state its
    province's line.
    """

    hardship_line: HardshipLine = Field(description=f"{LA_34.cite()}: set by the province.")
    deadlines: DeadlineRules = DeadlineRules()
    supplement: SupplementRules = SupplementRules()
    provisional_aid: ProvisionalAidRules = ProvisionalAidRules()
    counsel: CounselRules = CounselRules()
    documents: DocumentRules = DocumentRules()
