"""Scope of legal aid and the no-representative condition.

《法律援助法》第二十四条、第二十九条、第三十一条、第三十二条、第三十三条; 第四十八条第一款第六项.
"""

from __future__ import annotations

from ..application import (
    Application,
    MatterType,
)
from ..articles import (
    LA_24,
    LA_28,
    LA_29,
    LA_31,
    LA_32,
    LA_33,
    LA_48,
    join_citations,
    zh_number,
)
from ..results import Findings, Outcome, RuleId

__all__ = ["not_represented", "scope"]


_SCOPE_BY_MATTER: dict[MatterType, tuple[str, str, str]] = {
    MatterType.CRIMINAL_DEFENCE: (
        LA_24.cite(),
        "刑事案件的犯罪嫌疑人、被告人，本人及其近亲属可以申请法律援助。",
        "A criminal suspect or defendant (or a close relative) may apply.",
    ),
    MatterType.CRIMINAL_VICTIM: (
        LA_29.cite(),
        "刑事公诉案件被害人、自诉人、附带民事诉讼原告人及其法定代理人或近亲属，可以申请法律援助。",
        "Victims in public prosecutions, private prosecutors and incidental-civil-action plaintiffs "
        "(or their representatives/relatives) may apply.",
    ),
    MatterType.PETITION_OR_RETRIAL: (
        LA_33.cite(),
        "不服生效裁判或决定提出申诉或申请再审，已决定、裁定再审或检察院已抗诉的，可以申请法律援助。",
        "Petitions and retrials where a retrial was ordered or the procuratorate protested may be aided.",
    ),
    MatterType.COMPULSORY_MEDICAL_TREATMENT: (
        LA_28.cite(),
        "强制医疗案件的被申请人或者被告人。",
        "Respondent or defendant in a compulsory-medical-treatment case.",
    ),
}


def scope(app: Application, state: Findings) -> None:
    """Rule SCOPE: the matter is one for which the law lets a person apply for legal aid."""
    item = app.matter.art31_item
    if item is not None:
        extra_zh = f"（依据：{app.other_basis}）" if app.matter is MatterType.OTHER_PRESCRIBED else ""
        extra_en = f" (basis: {app.other_basis})" if app.matter is MatterType.OTHER_PRESCRIBED else ""
        state.add(
            RuleId.SCOPE,
            Outcome.PASSED,
            LA_31.cite(item=item),
            f"属于第三十一条第{zh_number(item)}项所列事项：{LA_31.item_text(item)}{extra_zh}。",
            f"The matter is listed in Art.31 item {item}{extra_en}.",
        )
    elif app.matter in _SCOPE_BY_MATTER:
        article, zh, en = _SCOPE_BY_MATTER[app.matter]
        state.add(RuleId.SCOPE, Outcome.PASSED, article, zh, en)
    elif app.art32:
        article = join_citations(LA_32.cite(item=c.item) for c in sorted(app.art32, key=lambda c: c.item))
        state.add(
            RuleId.SCOPE,
            Outcome.PASSED,
            article,
            "事项不在第三十一条列举之内，但属于第三十二条所列情形，当事人可以申请法律援助。",
            "The matter is not listed in Art.31 but is an Art.32 circumstance, for which one may apply.",
        )
    else:
        state.blocked = True
        state.add(
            RuleId.SCOPE,
            Outcome.FAILED,
            LA_31.cite(),
            "事项不属于第三十一条所列事项，也不属于刑事案件或第三十二条、第三十三条情形，不在法律援助范围内；"
            "如有法律、法规、规章另行规定，请选择“其他规定情形”并注明依据。可提供法律咨询（第二十二条）。",
            "The matter is outside Art.31, the criminal provisions and Arts.32–33, so it is not within "
            "legal aid. If a law, regulation or rule provides otherwise, choose 'other prescribed' and "
            "name it. Legal consultation is still possible (Art.22).",
        )


def not_represented(app: Application, state: Findings) -> None:
    """Rule NOT_REPRESENTED: each article says 没有委托代理人/辩护人; cite the one that applies."""
    if app.matter.art31_item is not None:
        article, words = LA_31.cite(), "没有委托代理人"
    elif app.matter is MatterType.CRIMINAL_DEFENCE:
        article, words = LA_24.cite(), "没有委托辩护人"
    elif app.matter is MatterType.CRIMINAL_VICTIM:
        article, words = LA_29.cite(), "没有委托诉讼代理人"
    elif app.matter is MatterType.PETITION_OR_RETRIAL:
        article, words = LA_33.cite(), "没有委托辩护人或者诉讼代理人"
    else:  # 第三十二条 alone: aid would end at once under 第四十八条第一款第六项
        article, words = LA_48.cite(1, 6), "受援人自行委托律师或者其他代理人的，应当终止法律援助"
    if app.already_represented:
        state.blocked = True
        state.add(
            RuleId.NOT_REPRESENTED,
            Outcome.FAILED,
            article,
            f"申请人已委托律师或其他代理人；法律规定的条件是“{words}”。",
            "The applicant already has a lawyer or other agent; the law's condition is that they have none.",
        )
    else:
        state.add(
            RuleId.NOT_REPRESENTED,
            Outcome.PASSED,
            article,
            f"申请人尚未委托律师或其他代理人（“{words}”）。",
            "The applicant has no lawyer or other agent yet.",
        )
