"""The eligibility pre-check (条件初审) for a legal-aid application.

:func:`pre_check` evaluates, in order, the rules of 《法律援助法》 that a coordinator can check at intake and
returns every rule with its outcome, the article it comes from, a bilingual explanation and the documents
still needed. It is a pre-check: the decision itself belongs to the legal-aid agency (法律援助机构,
第四十三条), and this module says so in its explanations.

Order of evaluation and the overall decision:

1. Appointed counsel — 第二十五条第一款 / 第二十八条: no application and no means test; the court,
   procuratorate or police notify the agency. 第二十六条 adds the experience requirement.
2. Scope — the matter must fall under 第三十一条, 第二十四条, 第二十九条, 第三十三条, or a 第三十二条
   circumstance.
3. Not already represented — every one of those articles says 没有委托代理人/辩护人.
4. Means — 第三十二条 lifts the hardship condition; 第四十二条 exempts listed people from verification (with
   proof); otherwise the household's income per member is compared with the province's line (第三十四条).
5. Documents — what is still missing (第四十三条第二款: to be requested all at once).
6. Provisional aid — 第四十四条 grounds.

Decision: ``appointed_counsel`` if (1) applies; ``not_eligible`` if scope, representation or the means
test fail; otherwise ``provisional_aid_recommended`` if a 第四十四条 ground is present (missing documents are
still listed — 第四十四条第二款 lets them follow); otherwise ``needs_documents`` if anything is missing;
otherwise ``eligible``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from .application import (
    DOCUMENT_NAMES,
    Application,
    Art42Category,
    Document,
    MatterType,
)
from .articles import (
    LA_24,
    LA_25,
    LA_26,
    LA_28,
    LA_29,
    LA_31,
    LA_32,
    LA_33,
    LA_34,
    LA_36,
    LA_41,
    LA_42,
    LA_43,
    LA_44,
    LA_48,
    Bilingual,
    join_citations,
    zh_number,
)
from .rules import LegalAidRules, format_yuan

__all__ = ["Decision", "Outcome", "PreCheckResult", "RuleId", "RuleResult", "pre_check"]


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_APPLICABLE = "not_applicable"


class Decision(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NEEDS_DOCUMENTS = "needs_documents"
    APPOINTED_COUNSEL = "appointed_counsel"
    PROVISIONAL_AID_RECOMMENDED = "provisional_aid_recommended"


class RuleId(StrEnum):
    """The rules :func:`pre_check` evaluates, in evaluation order."""

    APPOINTED_COUNSEL = "appointed_counsel"
    EXPERIENCED_COUNSEL = "experienced_counsel"
    SCOPE = "scope"
    NOT_REPRESENTED = "not_represented"
    ART32_NO_HARDSHIP_CONDITION = "art32_no_hardship_condition"
    ART42_VERIFICATION_EXEMPT = "art42_verification_exempt"
    ECONOMIC_HARDSHIP = "economic_hardship"
    DOCUMENTS_COMPLETE = "documents_complete"
    PROVISIONAL_AID = "provisional_aid"


class RuleResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule: RuleId
    outcome: Outcome
    article: str
    """Citation, e.g. ``《法律援助法》第三十一条第七项``; several are joined with ``、``."""
    explanation: Bilingual
    missing: tuple[Document, ...] = ()


class PreCheckResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    decision: Decision
    rules: tuple[RuleResult, ...]
    missing_documents: tuple[Document, ...]
    required_min_experience_years: int | None = None
    """Set when 第二十六条 requires counsel with this many years of relevant practice."""
    summary: Bilingual

    def rule(self, rule_id: RuleId) -> RuleResult:
        """The result of one rule."""
        return next(r for r in self.rules if r.rule is rule_id)

    @property
    def missing_document_names(self) -> tuple[Bilingual, ...]:
        """The missing documents by name, for the single request of 第四十三条第二款."""
        return tuple(DOCUMENT_NAMES[d] for d in self.missing_documents)


@dataclass
class _State:
    """What earlier rules found, for the later ones and the decision."""

    results: list[RuleResult] = field(default_factory=list)
    appointed: bool = False
    experience_years: int | None = None
    blocked: bool = False  # scope, representation or means test failed for good
    means_exempt: bool = False
    means_applies: bool = True
    art42_proof_pending: bool = False
    provisional: bool = False
    missing: list[Document] = field(default_factory=list)

    def add(
        self,
        rule: RuleId,
        outcome: Outcome,
        article: str,
        zh: str,
        en: str,
        missing: tuple[Document, ...] = (),
    ) -> None:
        self.results.append(
            RuleResult(
                rule=rule,
                outcome=outcome,
                article=article,
                explanation=Bilingual(zh=zh, en=en),
                missing=missing,
            )
        )
        for doc in missing:
            if doc not in self.missing:
                self.missing.append(doc)


def pre_check(application: Application, rules: LegalAidRules, today: date) -> PreCheckResult:
    """Pre-check an application against 《法律援助法》 and the programme's rules.

    ``today`` is the day of the check; it matters only for 第四十四条 (days left before a limitation
    period or time limit expires).
    """
    state = _State()
    _appointed_counsel(application, rules, state)
    if state.appointed:
        _skip_application_rules(state)
    else:
        _scope(application, state)
        _not_represented(application, state)
        _art32(application, state)
        _art42(application, state)
        _economic_hardship(application, rules, state)
        _documents(application, rules, state)
        _provisional_aid(application, rules, today, state)
    decision = _decide(state)
    return PreCheckResult(
        decision=decision,
        rules=tuple(state.results),
        missing_documents=tuple(state.missing) if decision is not Decision.APPOINTED_COUNSEL else (),
        required_min_experience_years=state.experience_years,
        summary=_SUMMARIES[decision],
    )


# --- 1. appointed counsel (第二十五条、第二十六条、第二十八条、第三十六条) --------------------------------


def _appointed_counsel(app: Application, rules: LegalAidRules, state: _State) -> None:
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


def _skip_application_rules(state: _State) -> None:
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


# --- 2. scope and 3. representation ---------------------------------------------------------------


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


def _scope(app: Application, state: _State) -> None:
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


def _not_represented(app: Application, state: _State) -> None:
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


# --- 4. means (第三十二条、第四十二条、第三十四条、第四十一条) ----------------------------------------------


def _art32(app: Application, state: _State) -> None:
    if not app.art32:
        state.add(
            RuleId.ART32_NO_HARDSHIP_CONDITION,
            Outcome.NOT_APPLICABLE,
            LA_32.cite(),
            "未勾选第三十二条情形。",
            "No Art.32 circumstance recorded.",
        )
        return
    state.means_applies = False
    items = sorted(c.item for c in app.art32)
    names = "；".join(LA_32.item_text(i) for i in items)
    state.add(
        RuleId.ART32_NO_HARDSHIP_CONDITION,
        Outcome.PASSED,
        join_citations(LA_32.cite(item=i) for i in items),
        f"{names}：申请法律援助不受经济困难条件的限制，无需收入证明；仍需提供事项证据。",
        "An Art.32 circumstance applies: aid is not limited by economic hardship, so no income proof is "
        "needed; evidence about the matter is still required.",
    )


_ART42_MATTERS = {MatterType.LABOUR_REMUNERATION, MatterType.WORK_INJURY}


def _art42(app: Application, state: _State) -> None:
    if not app.art42 or not state.means_applies:
        reason_zh = "未勾选第四十二条人员类别。" if not app.art42 else "已适用第三十二条，不再审查经济困难。"
        reason_en = "No Art.42 group recorded." if not app.art42 else "Art.32 applies; no means test at all."
        state.add(
            RuleId.ART42_VERIFICATION_EXEMPT, Outcome.NOT_APPLICABLE, LA_42.cite(), reason_zh, reason_en
        )
        return
    valid = sorted(
        (
            c
            for c in app.art42
            if c is not Art42Category.MIGRANT_WORKER_PAY_OR_WORK_INJURY or app.matter in _ART42_MATTERS
        ),
        key=lambda c: c.item,
    )
    if not valid:
        state.add(
            RuleId.ART42_VERIFICATION_EXEMPT,
            Outcome.FAILED,
            LA_42.cite(item=3),
            "进城务工人员仅在申请支付劳动报酬或请求工伤事故人身损害赔偿时免予核查；本事项不符，需核查经济困难状况。",
            "Migrant workers are exempt only when claiming wages or work-injury damages; this matter is "
            "neither, so hardship must be verified.",
        )
        return
    article = join_citations(LA_42.cite(item=c.item) for c in valid)
    names = "；".join(LA_42.item_text(c.item) for c in valid)
    if Document.ART42_CATEGORY_PROOF in app.documents:
        state.means_applies = False
        state.means_exempt = True
        state.add(
            RuleId.ART42_VERIFICATION_EXEMPT,
            Outcome.PASSED,
            article,
            f"有材料证明属于{names}，免予核查经济困难状况；仍需提供事项证据。",
            "Proof of an Art.42 group is supplied: hardship is not verified. Evidence about the matter "
            "is still required.",
        )
    else:
        state.art42_proof_pending = True
        state.add(
            RuleId.ART42_VERIFICATION_EXEMPT,
            Outcome.FAILED,
            article,
            f"申报属于{names}，但尚无证明材料；第四十二条要求“有材料证明”方可免予核查。",
            "An Art.42 group is claimed but not yet proven; Art.42 exempts only those who prove it.",
            missing=(Document.ART42_CATEGORY_PROOF,),
        )


def _economic_hardship(app: Application, rules: LegalAidRules, state: _State) -> None:
    line = rules.hardship_line
    article = join_citations([LA_34.cite(), LA_41.cite()])
    if not state.means_applies:
        state.add(
            RuleId.ECONOMIC_HARDSHIP,
            Outcome.NOT_APPLICABLE,
            article,
            "已适用第三十二条或第四十二条，不核查经济困难状况。",
            "Art.32 or Art.42 applies: economic hardship is not verified.",
        )
        return
    if app.matter is MatterType.CRIMINAL_DEFENCE and app.criminal_other_reason:
        state.means_applies = False
        state.add(
            RuleId.ECONOMIC_HARDSHIP,
            Outcome.NOT_APPLICABLE,
            LA_24.cite(),
            f"第二十四条允许“因经济困难或者其他原因”没有委托辩护人的申请；申请人所述其他原因：{app.criminal_other_reason}。"
            "是否成立由法律援助机构审查决定。",
            "Art.24 allows applications where there is no defender 'because of economic hardship or other "
            f"reasons'; the stated other reason is: {app.criminal_other_reason}. The agency decides "
            "whether it suffices.",
        )
        return
    description = line.describe()
    if state.art42_proof_pending and (app.household_monthly_income is None or app.household_size is None):
        state.add(
            RuleId.ECONOMIC_HARDSHIP,
            Outcome.NOT_APPLICABLE,
            article,
            "待第四十二条证明材料；如不能提供，申请人须如实说明家庭收入和人口，按经济困难标准"
            f"（{description.zh}）核查。",
            "Waiting for the Art.42 proof; if it cannot be given, the applicant must state household "
            f"income and size, to be checked against the hardship line ({description.en}).",
        )
        return
    if app.household_monthly_income is None or app.household_size is None:
        state.add(
            RuleId.ECONOMIC_HARDSHIP,
            Outcome.FAILED,
            article,
            f"缺少家庭月收入或家庭人口数，无法对照经济困难标准（{description.zh}）判断；申请人应如实说明经济困难状况。",
            f"Household monthly income or household size is missing, so the hardship line "
            f"({description.en}) cannot be applied; the applicant must state their means truthfully.",
            missing=(Document.HARDSHIP_PROOF,),
        )
        return
    income, size = app.household_monthly_income, app.household_size
    per_capita = format_yuan((income / size).quantize(Decimal("0.01")))
    income_text = format_yuan(income)
    source = f"；依据：{line.source}" if line.source else ""
    if line.is_hardship(income, size):
        state.add(
            RuleId.ECONOMIC_HARDSHIP,
            Outcome.PASSED,
            article,
            f"家庭月收入{income_text}元、{size}人，月人均约{per_capita}元，未超过经济困难标准（{description.zh}{source}）。"
            "经济困难标准由省级人民政府确定（第三十四条），本项目按上述配置执行。",
            f"Household income {income_text} yuan a month for {size} people, about {per_capita} yuan "
            f"each, is within the hardship line ({description.en}). The line is set by the province "
            "(Art.34) and configured by the programme.",
        )
    else:
        pending_zh = "如能提供第四十二条证明材料，则免予核查。" if state.art42_proof_pending else ""
        pending_en = (
            " If the Art.42 proof is supplied, hardship is not verified." if state.art42_proof_pending else ""
        )
        state.blocked = state.blocked or not state.art42_proof_pending
        state.add(
            RuleId.ECONOMIC_HARDSHIP,
            Outcome.FAILED,
            article,
            f"家庭月收入{income_text}元、{size}人，月人均约{per_capita}元，超过经济困难标准（{description.zh}{source}）。"
            + pending_zh,
            f"Household income {income_text} yuan a month for {size} people, about {per_capita} yuan "
            f"each, is above the hardship line ({description.en})." + pending_en,
        )


# --- 5. documents (第四十三条第二款) ----------------------------------------------------------------


def _documents(app: Application, rules: LegalAidRules, state: _State) -> None:
    needed: list[Document] = []
    if rules.documents.require_identity_proof:
        needed.append(Document.IDENTITY_PROOF)
    if state.art42_proof_pending:
        needed.append(Document.ART42_CATEGORY_PROOF)
    elif state.means_applies:
        needed.append(Document.HARDSHIP_PROOF)
    if rules.documents.require_matter_evidence:
        needed.append(Document.MATTER_EVIDENCE)
    missing = tuple(d for d in needed if d not in app.documents)
    if missing:
        names_zh = join_citations(DOCUMENT_NAMES[d].zh for d in missing)
        names_en = "; ".join(DOCUMENT_NAMES[d].en for d in missing)
        state.add(
            RuleId.DOCUMENTS_COMPLETE,
            Outcome.FAILED,
            LA_43.cite(2),
            f"申请材料不齐全，尚缺：{names_zh}。应当一次性告知申请人需要补充的全部材料；"
            f"申请人未在{rules.supplement.response_days}日内（本项目设定）补充的，视为撤回申请。",
            f"Documents missing: {names_en}. Tell the applicant everything missing in one request; if "
            f"not supplied within {rules.supplement.response_days} days (programme setting), the "
            "application counts as withdrawn.",
            missing=missing,
        )
    else:
        state.add(
            RuleId.DOCUMENTS_COMPLETE,
            Outcome.PASSED,
            LA_43.cite(2),
            "申请材料齐全。",
            "All required documents are supplied.",
        )


# --- 6. provisional aid (第四十四条) ----------------------------------------------------------------


def _provisional_aid(app: Application, rules: LegalAidRules, today: date, state: _State) -> None:
    threshold = rules.provisional_aid.days_before_expiry
    grounds_zh: list[str] = []
    grounds_en: list[str] = []
    items: list[int] = []
    expired = False
    if app.limitation_expires_on is not None:
        left = (app.limitation_expires_on - today).days
        expired = left < 0
        if 0 <= left < threshold:
            if rules.provisional_aid.is_statutory:
                basis_zh, basis_en = "法定标准", "the statutory figure"
            else:
                basis_zh, basis_en = (
                    "本项目设定，法律规定为不足七日",
                    "a programme setting; the law says fewer than 7",
                )
            grounds_zh.append(
                f"距法定时效或者期限届满还有{left}日，不足{threshold}日（{basis_zh}），需要及时起诉或申请"
                "仲裁、行政复议"
            )
            grounds_en.append(
                f"{left} days left before the limitation period or time limit expires, fewer than "
                f"{threshold} ({basis_en}), and a suit, arbitration or reconsideration must be filed"
            )
            items.append(1)
    if app.urgent_measures:
        grounds_zh.append("需要立即申请财产保全、证据保全或者先予执行")
        grounds_en.append("property or evidence preservation or advance execution must be sought at once")
        items.append(2)
    if app.provisional_other_basis:
        grounds_zh.append(f"其他规定情形：{app.provisional_other_basis}")
        grounds_en.append(f"another prescribed ground: {app.provisional_other_basis}")
        items.append(3)
    if items:
        state.provisional = True
        state.add(
            RuleId.PROVISIONAL_AID,
            Outcome.PASSED,
            join_citations(LA_44.cite(1, i) for i in items),
            "；".join(grounds_zh) + "。法律援助机构可以决定先行提供法律援助，受援人应当及时补办有关手续、"
            "补充有关材料（第四十四条第二款）。",
            "; ".join(grounds_en) + ". The agency may decide to provide aid provisionally; the client must "
            "then complete the formalities and documents promptly (Art.44(2)).",
        )
    elif expired:
        state.add(
            RuleId.PROVISIONAL_AID,
            Outcome.NOT_APPLICABLE,
            LA_44.cite(1, 1),
            f"所填时效或期限已于{app.limitation_expires_on}届满，不属于先行提供法律援助情形；请律师尽快评估"
            "时效是否中止、中断。",
            f"The limitation period or time limit entered expired on {app.limitation_expires_on}; this is "
            "not a provisional-aid ground. A lawyer should check urgently for suspension or interruption.",
        )
    else:
        state.add(
            RuleId.PROVISIONAL_AID,
            Outcome.NOT_APPLICABLE,
            LA_44.cite(1),
            "无第四十四条规定的先行提供法律援助情形。",
            "No Art.44 ground for provisional aid.",
        )


# --- decision -------------------------------------------------------------------------------------


def _decide(state: _State) -> Decision:
    if state.appointed:
        return Decision.APPOINTED_COUNSEL
    if state.blocked:
        return Decision.NOT_ELIGIBLE
    if state.provisional:
        return Decision.PROVISIONAL_AID_RECOMMENDED
    if state.missing:
        return Decision.NEEDS_DOCUMENTS
    return Decision.ELIGIBLE


_SUMMARIES: dict[Decision, Bilingual] = {
    Decision.ELIGIBLE: Bilingual(
        zh="初审符合法律援助条件，提交法律援助机构审查决定（第四十三条）。",
        en="The pre-check finds the conditions met; the legal-aid agency makes the decision (Art.43).",
    ),
    Decision.NOT_ELIGIBLE: Bilingual(
        zh="初审不符合法律援助条件；可提供法律咨询，申请人仍可向法律援助机构申请，对不予援助决定可依第四十九条提出异议。",
        en="The pre-check finds the conditions not met. Consultation can still be offered; the applicant may "
        "still apply to the agency and may object to a refusal under Art.49.",
    ),
    Decision.NEEDS_DOCUMENTS: Bilingual(
        zh="申请材料不齐全：请一次性告知申请人需补充的全部材料（第四十三条第二款）。",
        en="Documents are missing: tell the applicant everything missing in one request (Art.43(2)).",
    ),
    Decision.APPOINTED_COUNSEL: Bilingual(
        zh="属于通知指派辩护（代理）情形，无需申请及经济困难审查（第二十五条、第二十八条、第三十六条）。",
        en="Counsel is appointed on notice; no application or means test (Arts.25, 28, 36).",
    ),
    Decision.PROVISIONAL_AID_RECOMMENDED: Bilingual(
        zh="存在第四十四条情形，建议法律援助机构决定先行提供法律援助，材料可随后补充。",
        en="An Art.44 ground applies: recommend that the agency provide aid provisionally; documents may "
        "follow.",
    ),
}
