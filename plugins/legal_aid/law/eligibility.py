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

from datetime import date

from . import checks
from .application import Application
from .articles import Bilingual
from .results import Decision, Findings, Outcome, PreCheckResult, RuleId, RuleResult
from .rules import LegalAidRules

__all__ = ["Decision", "Outcome", "PreCheckResult", "RuleId", "RuleResult", "pre_check"]


def pre_check(application: Application, rules: LegalAidRules, today: date) -> PreCheckResult:
    """Pre-check an application against 《法律援助法》 and the programme's rules.

    ``today`` is the day of the check; it matters only for 第四十四条 (days left before a limitation
    period or time limit expires).
    """
    state = Findings()
    checks.appointed_counsel(application, rules, state)
    if state.appointed:
        checks.skip_application_rules(state)
    else:
        checks.scope(application, state)
        checks.not_represented(application, state)
        checks.art32(application, state)
        checks.art42(application, state)
        checks.economic_hardship(application, rules, state)
        checks.documents(application, rules, state)
        checks.provisional_aid(application, rules, today, state)
    decision = _decide(state)
    return PreCheckResult(
        decision=decision,
        rules=tuple(state.results),
        missing_documents=tuple(state.missing) if decision is not Decision.APPOINTED_COUNSEL else (),
        required_min_experience_years=state.experience_years,
        summary=_SUMMARIES[decision],
    )


# --- decision -------------------------------------------------------------------------------------


def _decide(state: Findings) -> Decision:
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
