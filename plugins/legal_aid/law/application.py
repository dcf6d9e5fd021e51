"""What an application for legal aid says, as the pre-check needs it.

The enums follow the lists in 《法律援助法》 item by item; each member's docstring quotes its item.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from engine.inputs import Day

from .articles import Bilingual

__all__ = [
    "DOCUMENT_NAMES",
    "Application",
    "Art25Category",
    "Art32Circumstance",
    "Art42Category",
    "Document",
    "MatterType",
    "UrgentMeasure",
]


class MatterType(StrEnum):
    """The matter an application concerns.

    Civil and administrative matters follow 《法律援助法》第三十一条 item by item (item 5 and item 7 are
    split so that 第四十二条第三项, which names only 支付劳动报酬 and 工伤事故, can be applied exactly).
    Criminal matters follow 第二十四条、第二十五条、第二十八条、第二十九条; 第三十三条 covers petitions
    and retrials. ``OTHER`` is a matter outside every list.
    """

    STATE_COMPENSATION = "state_compensation"
    """第三十一条第一项: 依法请求国家赔偿."""
    SOCIAL_INSURANCE_OR_ASSISTANCE = "social_insurance_or_assistance"
    """第三十一条第二项: 请求给予社会保险待遇或者社会救助 (incl. 低保 and other social assistance)."""
    SURVIVOR_PENSION = "survivor_pension"
    """第三十一条第三项: 请求发给抚恤金."""
    MAINTENANCE = "maintenance"
    """第三十一条第四项: 请求给付赡养费、抚养费、扶养费."""
    LABOUR_RELATIONSHIP = "labour_relationship"
    """第三十一条第五项 (first half): 请求确认劳动关系."""
    LABOUR_REMUNERATION = "labour_remuneration"
    """第三十一条第五项 (second half): 请求支付劳动报酬."""
    CIVIL_CAPACITY = "civil_capacity"
    """第三十一条第六项: 请求认定公民无民事行为能力或者限制民事行为能力."""
    WORK_INJURY = "work_injury"
    """第三十一条第七项: 请求工伤事故人身损害赔偿."""
    TRAFFIC_ACCIDENT = "traffic_accident"
    """第三十一条第七项: 请求交通事故人身损害赔偿."""
    FOOD_DRUG_SAFETY_ACCIDENT = "food_drug_safety_accident"
    """第三十一条第七项: 请求食品药品安全事故人身损害赔偿."""
    MEDICAL_ACCIDENT = "medical_accident"
    """第三十一条第七项: 请求医疗事故人身损害赔偿."""
    ENVIRONMENTAL_DAMAGE = "environmental_damage"
    """第三十一条第八项: 请求环境污染、生态破坏损害赔偿."""
    OTHER_PRESCRIBED = "other_prescribed"
    """第三十一条第九项: 法律、法规、规章规定的其他情形 — ``other_basis`` must name the provision."""
    CRIMINAL_DEFENCE = "criminal_defence"
    """第二十四条/第二十五条: the applicant is a criminal suspect or defendant (犯罪嫌疑人、被告人)."""
    CRIMINAL_VICTIM = "criminal_victim"
    """第二十九条: victim in a public prosecution, private prosecutor, or plaintiff in an incidental civil
    action (or their legal representative / close relative)."""
    COMPULSORY_MEDICAL_TREATMENT = "compulsory_medical_treatment"
    """第二十八条: respondent or defendant in a compulsory-medical-treatment case (强制医疗案件)."""
    PETITION_OR_RETRIAL = "petition_or_retrial"
    """第三十三条: petition or retrial, once a retrial is decided/ordered or a procuratorate protests."""
    OTHER = "other"
    """Outside every list above: not within the scope of legal aid (unless 第三十二条 applies)."""

    @property
    def is_criminal(self) -> bool:
        """Criminal-procedure matters (第二十四条至第二十九条)."""
        return self in _CRIMINAL

    @property
    def art31_item(self) -> int | None:
        """The item of 第三十一条 this matter falls under, if any."""
        return _ART31_ITEM.get(self)


_CRIMINAL = frozenset(
    {MatterType.CRIMINAL_DEFENCE, MatterType.CRIMINAL_VICTIM, MatterType.COMPULSORY_MEDICAL_TREATMENT}
)
_ART31_ITEM: dict[MatterType, int] = {
    MatterType.STATE_COMPENSATION: 1,
    MatterType.SOCIAL_INSURANCE_OR_ASSISTANCE: 2,
    MatterType.SURVIVOR_PENSION: 3,
    MatterType.MAINTENANCE: 4,
    MatterType.LABOUR_RELATIONSHIP: 5,
    MatterType.LABOUR_REMUNERATION: 5,
    MatterType.CIVIL_CAPACITY: 6,
    MatterType.WORK_INJURY: 7,
    MatterType.TRAFFIC_ACCIDENT: 7,
    MatterType.FOOD_DRUG_SAFETY_ACCIDENT: 7,
    MatterType.MEDICAL_ACCIDENT: 7,
    MatterType.ENVIRONMENTAL_DAMAGE: 8,
    MatterType.OTHER_PRESCRIBED: 9,
}


class Art32Circumstance(StrEnum):
    """Circumstances in which aid is not limited by economic hardship (《法律援助法》第三十二条)."""

    HERO_MARTYR_PERSONALITY_RIGHTS = "hero_martyr_personality_rights"
    """第一项: 英雄烈士近亲属为维护英雄烈士的人格权益."""
    HEROIC_DEED = "heroic_deed"
    """第二项: 因见义勇为行为主张相关民事权益."""
    RETRIAL_ACQUITTAL_STATE_COMPENSATION = "retrial_acquittal_state_compensation"
    """第三项: 再审改判无罪请求国家赔偿."""
    ABUSE_ABANDONMENT_DOMESTIC_VIOLENCE = "abuse_abandonment_domestic_violence"
    """第四项: 遭受虐待、遗弃或者家庭暴力的受害人主张相关权益."""
    OTHER_PRESCRIBED = "other_prescribed"
    """第五项: 法律、法规、规章规定的其他情形 — ``other_basis`` must name the provision."""

    @property
    def item(self) -> int:
        return list(Art32Circumstance).index(self) + 1


class Art42Category(StrEnum):
    """People exempt from verification of economic hardship, with proof (《法律援助法》第四十二条)."""

    DEPENDENT_WITHOUT_FIXED_INCOME = "dependent_without_fixed_income"
    """第一项: 无固定生活来源的未成年人、老年人、残疾人等特定群体."""
    ASSISTANCE_OR_SPECIAL_CARE_RECIPIENT = "assistance_or_special_care_recipient"
    """第二项: 社会救助、司法救助或者优抚对象 (e.g. 低保对象, 特困人员, 优抚对象)."""
    MIGRANT_WORKER_PAY_OR_WORK_INJURY = "migrant_worker_pay_or_work_injury"
    """第三项: 申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员 — only for those two matters."""
    OTHER_PRESCRIBED = "other_prescribed"
    """第四项: 法律、法规、规章规定的其他人员 — ``other_basis`` must name the provision."""

    @property
    def item(self) -> int:
        return list(Art42Category).index(self) + 1


class Art25Category(StrEnum):
    """Suspects/defendants for whom counsel is appointed on notice (《法律援助法》第二十五条第一款)."""

    MINOR = "minor"
    """第一项: 未成年人."""
    VISUAL_HEARING_SPEECH_DISABILITY = "visual_hearing_speech_disability"
    """第二项: 视力、听力、言语残疾人."""
    CANNOT_FULLY_RECOGNISE_CONDUCT = "cannot_fully_recognise_conduct"
    """第三项: 不能完全辨认自己行为的成年人."""
    POSSIBLE_LIFE_OR_DEATH_SENTENCE = "possible_life_or_death_sentence"
    """第四项: 可能被判处无期徒刑、死刑的人 (also 第二十六条)."""
    DEATH_PENALTY_REVIEW = "death_penalty_review"
    """第五项: 申请法律援助的死刑复核案件被告人 (also 第二十六条)."""
    TRIAL_IN_ABSENTIA = "trial_in_absentia"
    """第六项: 缺席审判案件的被告人."""
    OTHER_PRESCRIBED = "other_prescribed"
    """第七项: 法律法规规定的其他人员 — ``other_basis`` must name the provision."""

    @property
    def item(self) -> int:
        return list(Art25Category).index(self) + 1

    @property
    def needs_experienced_counsel(self) -> bool:
        """第二十六条: 可能被判处无期徒刑、死刑的人，以及死刑复核案件的被告人."""
        return self in (Art25Category.POSSIBLE_LIFE_OR_DEATH_SENTENCE, Art25Category.DEATH_PENALTY_REVIEW)


class UrgentMeasure(StrEnum):
    """Urgent measures that allow provisional aid (《法律援助法》第四十四条第一款第二项)."""

    PROPERTY_PRESERVATION = "property_preservation"
    """财产保全."""
    EVIDENCE_PRESERVATION = "evidence_preservation"
    """证据保全."""
    ADVANCE_EXECUTION = "advance_execution"
    """先予执行."""


class Document(StrEnum):
    """Documents the pre-check may ask for. Names in :data:`DOCUMENT_NAMES`."""

    IDENTITY_PROOF = "identity_proof"
    HARDSHIP_PROOF = "hardship_proof"
    ART42_CATEGORY_PROOF = "art42_category_proof"
    MATTER_EVIDENCE = "matter_evidence"


DOCUMENT_NAMES: dict[Document, Bilingual] = {
    Document.IDENTITY_PROOF: Bilingual(zh="申请人身份证明", en="applicant's proof of identity"),
    Document.HARDSHIP_PROOF: Bilingual(
        zh="经济困难状况说明及家庭收入证明，或个人诚信承诺（第四十一条）",
        en="statement of economic hardship with household-income proof, or a personal integrity "
        "commitment (Art.41)",
    ),
    Document.ART42_CATEGORY_PROOF: Bilingual(
        zh="属于第四十二条所列人员的证明材料（如最低生活保障证、特困人员救助供养证明、优抚对象证明）",
        en="proof of belonging to an Art.42 group (e.g. minimum-living allowance card, "
        "extreme-poverty support certificate, special-care recipient certificate)",
    ),
    Document.MATTER_EVIDENCE: Bilingual(
        zh="与所申请法律援助事项有关的证据材料",
        en="evidence about the matter for which aid is sought",
    ),
}


class Application(BaseModel):
    """An application (or a criminal notice) as recorded at intake.

    Money is in yuan; ``household_monthly_income`` is the whole household's income a month.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    matter: MatterType
    other_basis: str | None = Field(
        default=None,
        max_length=2000,
        description="The law, regulation or rule relied on for any 'other prescribed' item "
        "(第三十一条第九项, 第三十二条第五项, 第四十二条第四项, 第二十五条第一款第七项).",
    )
    art32: frozenset[Art32Circumstance] = frozenset()
    art42: frozenset[Art42Category] = frozenset()
    art25: frozenset[Art25Category] = frozenset()
    household_monthly_income: Decimal | None = Field(default=None, ge=0, le=Decimal("999999999999.99"), max_digits=14, decimal_places=2)
    household_size: int | None = Field(default=None, ge=1, le=1000)
    documents: frozenset[Document] = frozenset()
    limitation_expires_on: Day | None = Field(
        default=None,
        description="Last day of the limitation period or procedural time limit (法定时效或者期限) for the "
        "suit, arbitration or administrative reconsideration the matter needs (第四十四条第一款第一项).",
    )
    urgent_measures: frozenset[UrgentMeasure] = frozenset()
    provisional_other_basis: str | None = Field(
        default=None,
        max_length=2000,
        description="A law, regulation or rule providing another ground for provisional aid "
        "(第四十四条第一款第三项).",
    )
    criminal_other_reason: str | None = Field(
        default=None,
        max_length=2000,
        description="For matter=criminal_defence: the 'other reason' (其他原因) the suspect or defendant "
        "gives for having no defender, instead of economic hardship (第二十四条).",
    )
    already_represented: bool = Field(
        default=False,
        description="The applicant has already engaged a lawyer or other agent/defender (已委托).",
    )

    @model_validator(mode="after")
    def _check_consistency(self) -> Application:
        if self.art25 and self.matter is not MatterType.CRIMINAL_DEFENCE:
            raise ValueError("art25 categories apply only to matter=criminal_defence (第二十五条)")
        if self.criminal_other_reason and self.matter is not MatterType.CRIMINAL_DEFENCE:
            raise ValueError("criminal_other_reason applies only to matter=criminal_defence (第二十四条)")
        needs_basis = (
            self.matter is MatterType.OTHER_PRESCRIBED
            or Art32Circumstance.OTHER_PRESCRIBED in self.art32
            or Art42Category.OTHER_PRESCRIBED in self.art42
            or Art25Category.OTHER_PRESCRIBED in self.art25
        )
        if needs_basis and not (self.other_basis and self.other_basis.strip()):
            raise ValueError(
                "an 'other prescribed' item needs other_basis naming the law, regulation or rule"
            )
        return self
