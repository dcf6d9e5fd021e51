"""Appointed counsel on notice (《法律援助法》第二十五条、第二十六条、第二十八条、第三十六条)."""

from __future__ import annotations

from ..application import (
    Application,
    MatterType,
)
from ..articles import (
    LA_25,
    LA_26,
    LA_28,
    LA_32,
    LA_34,
    LA_36,
    LA_42,
    LA_43,
    LA_44,
    join_citations,
)
from ..results import Findings, Outcome, RuleId
from ..rules import LegalAidRules

__all__ = ["appointed_counsel", "skip_application_rules"]


def appointed_counsel(app: Application, rules: LegalAidRules, state: Findings) -> None:
    """Rules APPOINTED_COUNSEL and EXPERIENCED_COUNSEL: 第二十五条第一款 and 第二十八条 cases get a lawyer on
    notice, without application or means test (unless already represented, 第二十七条); 第二十六条 adds
    the experience requirement for possible life/death sentences and death-penalty review."""
    na = Outcome.NOT_APPLICABLE
    days = rules.deadlines.criminal_notice_assignment_days
    if app.matter is MatterType.CRIMINAL_DEFENCE and app.art25:
        items = sorted(c.item for c in app.art25)
        article = join_citations(LA_25.cite(1, i) for i in items)
        if app.already_represented:
            state.blocked = True
            state.add(
                RuleId.APPOINTED_COUNSEL,
                Outcome.FAILED,
                article,
                "属于第二十五条所列人员，但已委托辩护人，不适用指派辩护；应尊重其委托辩护人的权利（第二十七条）。",
                "The suspect/defendant is in an Art.25 group but already has a defender of their choice, "
                "so no counsel is appointed (Art.27 protects the right to choose).",
            )
        else:
            state.appointed = True
            state.add(
                RuleId.APPOINTED_COUNSEL,
                Outcome.PASSED,
                article,
                "属于第二十五条第一款所列人员且没有委托辩护人：人民法院、人民检察院、公安机关应当通知法律援助机构"
                f"指派律师担任辩护人，无需申请，不审查经济状况；机构收到通知后应在{days}"
                f"日内指派律师（{LA_36.cite()}）。",
                "The suspect/defendant is in an Art.25(1) group and has no defender: the court, "
                "procuratorate or police must notify the legal-aid agency to appoint a lawyer. "
                f"No application and no means test; the agency assigns a lawyer within {days} days of the "
                "notice (Art.36).",
            )
    elif app.matter is MatterType.COMPULSORY_MEDICAL_TREATMENT:
        if app.already_represented:
            state.blocked = True
            state.add(
                RuleId.APPOINTED_COUNSEL,
                Outcome.FAILED,
                LA_28.cite(),
                "强制医疗案件的被申请人或者被告人已委托诉讼代理人，不适用通知指派。",
                "The respondent/defendant in the compulsory-medical-treatment case already has an agent, "
                "so no lawyer is appointed.",
            )
        else:
            state.appointed = True
            state.add(
                RuleId.APPOINTED_COUNSEL,
                Outcome.PASSED,
                LA_28.cite(),
                "强制医疗案件的被申请人或者被告人没有委托诉讼代理人：人民法院应当通知法律援助机构指派律师，"
                f"无需申请，不审查经济状况；机构收到通知后应在{days}日内指派律师"
                f"（{LA_36.cite()}）。",
                "Respondent/defendant in a compulsory-medical-treatment case without an agent: the court "
                "must notify the agency to appoint a lawyer. No application and no means test; the agency "
                f"assigns within {days} days of the notice (Art.36).",
            )
    elif app.matter is MatterType.CRIMINAL_DEFENCE:
        state.add(
            RuleId.APPOINTED_COUNSEL,
            na,
            LA_25.cite(),
            "未勾选第二十五条第一款所列情形，不属于应当通知指派的情形；可依第二十四条申请。适用普通程序审理的，"
            "人民法院也可以通知指派（第二十五条第二款）。",
            "No Art.25(1) group is recorded, so appointment on notice is not mandatory; the person may apply "
            "under Art.24. In ordinary-procedure trials the court may still notify the agency (Art.25(2)).",
        )
    else:
        state.add(
            RuleId.APPOINTED_COUNSEL,
            na,
            LA_25.cite(1),
            "非刑事辩护或强制医疗事项，不适用通知指派。",
            "Not a criminal defence or compulsory-medical-treatment matter: no appointment on notice.",
        )

    serious = sorted(c.item for c in app.art25 if c.needs_experienced_counsel)
    if state.appointed and serious:
        years = rules.counsel.min_experience_years_serious
        state.experience_years = years
        state.add(
            RuleId.EXPERIENCED_COUNSEL,
            Outcome.PASSED,
            LA_26.cite(),
            f"可能被判处无期徒刑、死刑的人或死刑复核案件的被告人：应当指派具有{years}年以上相关执业经历的律师。",
            f"Possible life imprisonment or death penalty, or death-penalty review: the agency must assign a "
            f"lawyer with at least {years} years of relevant practice.",
        )
    else:
        state.add(
            RuleId.EXPERIENCED_COUNSEL,
            Outcome.NOT_APPLICABLE,
            LA_26.cite(),
            "不涉及无期徒刑、死刑或死刑复核，无执业年限特别要求。",
            "No possible life or death sentence and no death-penalty review: no experience requirement.",
        )


def skip_application_rules(state: Findings) -> None:
    """Report the application rules as not applicable when counsel is appointed on notice."""
    zh = "通知指派辩护，无需申请、不审查经济状况和申请材料。"
    en = "Counsel is appointed on notice: no application, means test or application documents."
    for rule_id, article in (
        (RuleId.SCOPE, LA_25.cite(1)),
        (RuleId.NOT_REPRESENTED, LA_25.cite(1)),
        (RuleId.ART32_NO_HARDSHIP_CONDITION, LA_32.cite()),
        (RuleId.ART42_VERIFICATION_EXEMPT, LA_42.cite()),
        (RuleId.ECONOMIC_HARDSHIP, LA_34.cite()),
        (RuleId.DOCUMENTS_COMPLETE, LA_43.cite(2)),
        (RuleId.PROVISIONAL_AID, LA_44.cite()),
    ):
        state.add(rule_id, Outcome.NOT_APPLICABLE, article, zh, en)
