"""Who may do what, and the duties every volunteer carries: students (《法律援助法》第十七条),
confidentiality, no payment, conflicts of interest (《法律援助法》第二十条、第二十一条; 《律师法》第十三条、
第三十八条、第三十九条、第四十一条).
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from .articles import LA_14, LA_17, LA_20, LA_21, LA_25, LL_13, LL_38, LL_39, LL_41, Bilingual

__all__ = [
    "CONDUCT_DUTIES",
    "CONFIDENTIALITY",
    "CONFLICT_OF_INTEREST",
    "FORMER_JUDGES_AND_PROSECUTORS",
    "NON_LAWYER_LIMITS",
    "NO_PAYMENT",
    "ConductDuty",
    "StudentActivity",
    "StudentPermission",
    "student_may",
]


class StudentActivity(StrEnum):
    """What a law student volunteer might be asked to do; the first six follow 第二十二条's forms."""

    LEGAL_CONSULTATION = "legal_consultation"
    """法律咨询 — named in 第十七条第二款."""
    DOCUMENT_DRAFTING = "document_drafting"
    """代拟法律文书 — named in 第十七条第二款."""
    CRIMINAL_DEFENCE = "criminal_defence"
    """刑事辩护与代理 (第二十二条第三项)."""
    LITIGATION_AGENCY = "litigation_agency"
    """民事、行政、国家赔偿案件的诉讼代理 (第二十二条第四项)."""
    NON_LITIGATION_AGENCY = "non_litigation_agency"
    """非诉讼代理 (第二十二条第四项)."""
    LABOUR_MEDIATION_ARBITRATION_AGENCY = "labour_mediation_arbitration_agency"
    """劳动争议调解与仲裁代理 (第二十二条第六项)."""
    DUTY_LAWYER_HELP = "duty_lawyer_help"
    """值班律师法律帮助 (第二十二条第五项, 第十四条)."""
    INTAKE_AND_ADMIN_SUPPORT = "intake_and_admin_support"
    """Registration, file keeping, case notes, typing — the plan's 辅助性工作, not legal aid itself."""
    LEGAL_EDUCATION = "legal_education"
    """普法宣传 — public legal education, not a form of legal aid under 第二十二条."""


class StudentPermission(NamedTuple):
    allowed: bool
    reason: Bilingual


_ART17 = LA_17.cite(2)


def student_may(
    activity: StudentActivity,
    *,
    organised_by_institution: bool = True,
    under_justice_department_guidance: bool = True,
) -> StudentPermission:
    """May a law student, as a legal-aid volunteer, do this? Returns ``(allowed, reason)``.

    《法律援助法》第十七条第二款: 高等院校、科研机构可以组织……法学专业学生作为法律援助志愿者，在司法行政部门
    指导下，为当事人提供法律咨询、代拟法律文书等法律援助. So students give legal aid when a university
    or research institute organises them and under the guidance of the justice administration department
    (not, as is often assumed, "under a lawyer"). The article names consultation and drafting; "等" leaves
    the list open, but the rest of the law and 《律师法》 close most other doors, so anything not named is
    answered conservatively with ``False`` and the reason. Programmes may add their own limits (e.g. a senior
    lawyer reviews every drafted document, as the plan asks); the law does not require it.
    """
    if activity in (StudentActivity.INTAKE_AND_ADMIN_SUPPORT, StudentActivity.LEGAL_EDUCATION):
        return StudentPermission(
            True,
            Bilingual(
                zh="辅助性工作或普法宣传不属于提供法律援助服务，法律未作限制；应遵守保密义务（第二十一条）。",
                en="Support work and public legal education are not legal-aid services and the law does not "
                "restrict them; confidentiality still applies (Art.21).",
            ),
        )
    if not (organised_by_institution and under_justice_department_guidance):
        return StudentPermission(
            False,
            Bilingual(
                zh=f"{_ART17}：法学专业学生须由高等院校、科研机构组织，并在司法行政部门指导下提供法律援助。",
                en="Art.17(2): law students give legal aid only when organised by a university or research "
                "institute and under the guidance of the justice administration department.",
            ),
        )
    if activity in (StudentActivity.LEGAL_CONSULTATION, StudentActivity.DOCUMENT_DRAFTING):
        return StudentPermission(
            True,
            Bilingual(
                zh=f"{_ART17}明确列举法律咨询、代拟法律文书。",
                en="Art.17(2) names legal consultation and drafting legal documents.",
            ),
        )
    if activity is StudentActivity.CRIMINAL_DEFENCE:
        return StudentPermission(
            False,
            Bilingual(
                zh=f"法律援助辩护须指派律师（{LA_25.cite(1)}）；没有律师执业证书的人员不得从事辩护业务（{LL_13.cite()}）。",
                en="Legal-aid defence requires an appointed lawyer (Art.25); people without a lawyer's "
                "licence may not act as defenders (Lawyers Law Art.13).",
            ),
        )
    if activity is StudentActivity.DUTY_LAWYER_HELP:
        return StudentPermission(
            False,
            Bilingual(
                zh=f"值班律师由法律援助机构派驻的律师担任（{LA_14.cite()}）。",
                en="Duty-lawyer help is given by lawyers the agency stations at courts etc. (Art.14).",
            ),
        )
    if activity is StudentActivity.LITIGATION_AGENCY:
        return StudentPermission(
            False,
            Bilingual(
                zh=f"第十七条未列举诉讼代理；没有律师执业证书的人员，除法律另有规定外，不得从事诉讼代理（{LL_13.cite()}）。",
                en="Art.17 does not name litigation agency, and without a lawyer's licence one may not act "
                "as litigation agent unless another law provides (Lawyers Law Art.13).",
            ),
        )
    return StudentPermission(
        False,
        Bilingual(
            zh=f"{_ART17}只列举法律咨询、代拟法律文书；其他代理事项须由法律援助机构指派的法律援助人员承办。",
            en="Art.17(2) names only consultation and drafting; other agency work is for the legal-aid "
            "personnel the agency assigns.",
        ),
    )


# --- duties -------------------------------------------------------------------------------------


class ConductDuty(BaseModel):
    """A duty with the statute text it comes from."""

    model_config = ConfigDict(frozen=True)

    key: str
    summary: Bilingual
    citations: tuple[str, ...]
    texts: tuple[str, ...]
    """The cited provisions, verbatim, in the same order as ``citations``."""


CONFIDENTIALITY = ConductDuty(
    key="confidentiality",
    summary=Bilingual(
        zh="对提供法律援助过程中知悉的国家秘密、商业秘密和个人隐私予以保密；律师对委托人不愿泄露的情况和信息"
        "保密，但准备或正在实施危害国家安全、公共安全以及严重危害他人人身安全的犯罪事实和信息除外。",
        en="Keep state secrets, trade secrets and personal privacy learnt while giving legal aid "
        "confidential. Lawyers also keep confidential what clients and others do not wish disclosed, "
        "except facts and information about crimes being prepared or committed that endanger national or "
        "public security or seriously endanger another person's safety.",
    ),
    citations=(LA_21.cite(), LL_38.cite(1), LL_38.cite(2)),
    texts=(LA_21.paragraph(1), LL_38.paragraph(1), LL_38.paragraph(2)),
)

NO_PAYMENT = ConductDuty(
    key="no_payment",
    summary=Bilingual(
        zh="法律援助人员不得向受援人收取任何财物。",
        en="Legal-aid personnel must not accept any money or property from clients.",
    ),
    citations=(LA_20.cite(),),
    texts=(LA_20.paragraph(1),),
)

CONFLICT_OF_INTEREST = ConductDuty(
    key="conflict_of_interest",
    summary=Bilingual(
        zh="律师不得在同一案件中为双方当事人担任代理人，不得代理与本人或者其近亲属有利益冲突的法律事务。",
        en="A lawyer may not act for both sides in one case, nor in a matter that conflicts with their own "
        "or a close relative's interests.",
    ),
    citations=(LL_39.cite(),),
    texts=(LL_39.paragraph(1),),
)

FORMER_JUDGES_AND_PROSECUTORS = ConductDuty(
    key="former_judges_and_prosecutors",
    summary=Bilingual(
        zh="曾任法官、检察官的律师，离任后二年内不得担任诉讼代理人或者辩护人。",
        en="Lawyers who were judges or prosecutors may not act as litigation agents or defenders for two "
        "years after leaving office.",
    ),
    citations=(LL_41.cite(),),
    texts=(LL_41.paragraph(1),),
)

NON_LAWYER_LIMITS = ConductDuty(
    key="non_lawyer_limits",
    summary=Bilingual(
        zh="没有律师执业证书的人员不得以律师名义从事法律服务；除法律另有规定外，不得从事诉讼代理或者辩护业务。",
        en="People without a lawyer's licence may not offer legal services as lawyers and, unless a law "
        "provides otherwise, may not act as litigation agents or defenders.",
    ),
    citations=(LL_13.cite(),),
    texts=(LL_13.paragraph(1),),
)

CONDUCT_DUTIES: tuple[ConductDuty, ...] = (
    CONFIDENTIALITY,
    NO_PAYMENT,
    CONFLICT_OF_INTEREST,
    FORMER_JUDGES_AND_PROSECUTORS,
    NON_LAWYER_LIMITS,
)
"""Every duty above, for a volunteer's agreement or training checklist."""
