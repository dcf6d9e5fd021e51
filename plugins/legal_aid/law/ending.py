"""Ending aid (《法律援助法》第四十八条) and objecting to a refusal or ending (第四十九条)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from .articles import LA_43, LA_48, LA_49, Bilingual
from .rules import STATUTORY_OBJECTION_REVIEW_DAYS, LegalAidRules

__all__ = [
    "REFUSAL_NOTICE",
    "AppealInfo",
    "EndingGround",
    "EndingGroundInfo",
    "appeal_info",
    "ending_grounds",
]


class EndingGround(StrEnum):
    """Grounds on which the agency shall decide to end aid (《法律援助法》第四十八条第一款, items 1–8)."""

    FRAUD = "fraud"
    """第一项: 受援人以欺骗或者其他不正当手段获得法律援助."""
    CONCEALMENT_OR_FALSE_EVIDENCE = "concealment_or_false_evidence"
    """第二项: 受援人故意隐瞒与案件有关的重要事实或者提供虚假证据."""
    ILLEGAL_USE = "illegal_use"
    """第三项: 受援人利用法律援助从事违法活动."""
    NO_LONGER_ELIGIBLE = "no_longer_eligible"
    """第四项: 受援人的经济状况发生变化，不再符合法律援助条件."""
    PROCEEDINGS_ENDED = "proceedings_ended"
    """第五项: 案件终止审理或者已经被撤销."""
    SELF_RETAINED_COUNSEL = "self_retained_counsel"
    """第六项: 受援人自行委托律师或者其他代理人."""
    CLIENT_REQUEST = "client_request"
    """第七项: 受援人有正当理由要求终止法律援助."""
    OTHER_PRESCRIBED = "other_prescribed"
    """第八项: 法律法规规定的其他情形."""

    @property
    def item(self) -> int:
        return list(EndingGround).index(self) + 1

    @property
    def article(self) -> str:
        return LA_48.cite(1, self.item)

    @property
    def text(self) -> str:
        """The item's words, verbatim."""
        return LA_48.item_text(self.item)


_ENGLISH: dict[EndingGround, str] = {
    EndingGround.FRAUD: "the client obtained aid by deception or other improper means",
    EndingGround.CONCEALMENT_OR_FALSE_EVIDENCE: (
        "the client deliberately concealed important facts of the case or provided false evidence"
    ),
    EndingGround.ILLEGAL_USE: "the client used legal aid for unlawful activities",
    EndingGround.NO_LONGER_ELIGIBLE: (
        "the client's economic situation changed and the conditions for legal aid are no longer met"
    ),
    EndingGround.PROCEEDINGS_ENDED: "the proceedings were terminated or the case was withdrawn/quashed",
    EndingGround.SELF_RETAINED_COUNSEL: "the client engaged a lawyer or other agent themselves",
    EndingGround.CLIENT_REQUEST: "the client asks, with good reason, for aid to end",
    EndingGround.OTHER_PRESCRIBED: "another circumstance prescribed by laws or regulations",
}


class EndingGroundInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    ground: EndingGround
    article: str
    text: Bilingual
    """Chinese verbatim from the statute; English is a working translation."""


def ending_grounds() -> tuple[EndingGroundInfo, ...]:
    """The eight grounds of 《法律援助法》第四十八条第一款, in the statute's order.

    On any of them the agency **shall** (应当) decide to end aid; aid personnel who find one must report
    it to the agency promptly (第四十八条第二款). The decision can be objected to under 第四十九条
    (:func:`appeal_info`).
    """
    return tuple(
        EndingGroundInfo(ground=g, article=g.article, text=Bilingual(zh=g.text, en=_ENGLISH[g]))
        for g in EndingGround
    )


class AppealInfo(BaseModel):
    """How an applicant or client objects to a refusal or an ending (《法律援助法》第四十九条)."""

    model_config = ConfigDict(frozen=True)

    article: str
    decisions: Bilingual
    to_whom: Bilingual
    review_days: int
    review_outcomes: Bilingual
    further_remedy: Bilingual
    text: str
    """The article, verbatim."""


def appeal_info(rules: LegalAidRules | None = None) -> AppealInfo:
    """Where and how to object, for the refusal notice (第四十三条: 书面告知申请人，并说明理由).

    ``review_days`` is 5 (第四十九条第二款) unless the programme's rules set a shorter figure.
    """
    days = rules.deadlines.objection_review_days if rules else STATUTORY_OBJECTION_REVIEW_DAYS
    return AppealInfo(
        article=LA_49.cite(),
        decisions=Bilingual(
            zh="法律援助机构不予法律援助、终止法律援助的决定",
            en="the legal-aid agency's decision to refuse or to end legal aid",
        ),
        to_whom=Bilingual(
            zh="设立该法律援助机构的司法行政部门",
            en="the justice administration department (司法行政部门) that set up the agency",
        ),
        review_days=days,
        review_outcomes=Bilingual(
            zh=f"司法行政部门自收到异议之日起{days}日内审查，作出维持法律援助机构决定或者责令法律援助机构改正的决定",
            en=f"the department reviews within {days} days of receiving the objection and either upholds the "
            "agency's decision or orders the agency to correct it",
        ),
        further_remedy=Bilingual(
            zh="对司法行政部门维持决定不服的，可以依法申请行政复议或者提起行政诉讼",
            en="if the department upholds the decision, the applicant or client may apply for administrative "
            "reconsideration or bring an administrative lawsuit",
        ),
        text=LA_49.text,
    )


REFUSAL_NOTICE = Bilingual(
    zh="决定不给予法律援助的，应当书面告知申请人，并说明理由（" + LA_43.cite(1) + "）。",
    en="A refusal must be given to the applicant in writing, with reasons (Art.43(1)).",
)
"""What a refusal requires (第四十三条第一款)."""
