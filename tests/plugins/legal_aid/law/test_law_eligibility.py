"""pre_check: every branch of 《法律援助法》 eligibility, with figures and edges."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from plugins.legal_aid.law import (
    DOCUMENT_NAMES,
    Application,
    Art25Category,
    Art32Circumstance,
    Art42Category,
    Decision,
    Document,
    MatterType,
    Outcome,
    RuleId,
    UrgentMeasure,
    pre_check,
)

TODAY = date(2024, 3, 1)
ALL_DOCS = frozenset({Document.IDENTITY_PROOF, Document.HARDSHIP_PROOF, Document.MATTER_EVIDENCE})


def civil(**kw) -> Application:
    """A wage claim by a 3-person household with every document, overridable."""
    data = {
        "matter": MatterType.LABOUR_REMUNERATION,
        "household_monthly_income": Decimal(4500),
        "household_size": 3,
        "documents": ALL_DOCS,
    }
    data.update(kw)
    return Application(**data)


# --- the result's shape --------------------------------------------------------------------------


def test_every_rule_is_reported_once_in_order_with_article_and_both_languages(rules):
    result = pre_check(civil(), rules, TODAY)
    assert [r.rule for r in result.rules] == list(RuleId)
    for r in result.rules:
        assert r.article.startswith("《法律援助法》第")
        assert r.explanation.zh and r.explanation.en
    assert result.summary.zh and result.summary.en


# --- means test: the Art.34 line, at and around it -----------------------------------------------


def test_income_exactly_at_the_line_is_eligible(rules):
    # 4,500 yuan / 3 people = 1,500 yuan each = 1.5 × 1,000
    result = pre_check(civil(household_monthly_income=Decimal(4500)), rules, TODAY)
    assert result.decision is Decision.ELIGIBLE
    hardship = result.rule(RuleId.ECONOMIC_HARDSHIP)
    assert hardship.outcome is Outcome.PASSED
    assert hardship.article == "《法律援助法》第三十四条、第四十一条"
    assert "1500" in hardship.explanation.zh and "测试市" in hardship.explanation.zh


def test_one_yuan_per_person_above_the_line_is_not_eligible(rules):
    result = pre_check(civil(household_monthly_income=Decimal(4503)), rules, TODAY)  # 1,501 each
    assert result.decision is Decision.NOT_ELIGIBLE
    assert result.rule(RuleId.ECONOMIC_HARDSHIP).outcome is Outcome.FAILED


def test_one_yuan_above_for_the_whole_household_is_not_eligible(rules):
    result = pre_check(civil(household_monthly_income=Decimal(4501)), rules, TODAY)  # 1,500.33 each
    assert result.decision is Decision.NOT_ELIGIBLE


def test_one_yuan_below_is_eligible(rules):
    assert (
        pre_check(civil(household_monthly_income=Decimal(4499)), rules, TODAY).decision is Decision.ELIGIBLE
    )


def test_strict_line_excludes_income_exactly_at_it(make_rules):
    strict = make_rules(
        hardship_line={
            "basis": "dibao_multiple",
            "region": "测试市",
            "monthly_dibao_per_person": 1000,
            "inclusive": False,
        }
    )
    assert (
        pre_check(civil(household_monthly_income=Decimal(4500)), strict, TODAY).decision
        is Decision.NOT_ELIGIBLE
    )
    assert (
        pre_check(civil(household_monthly_income=Decimal(4499)), strict, TODAY).decision is Decision.ELIGIBLE
    )


def test_minimum_wage_line(make_rules):
    rules = make_rules(
        hardship_line={"basis": "minimum_wage", "region": "某省", "monthly_minimum_wage": 2420}
    )
    assert (
        pre_check(civil(household_monthly_income=Decimal(2420 * 3)), rules, TODAY).decision
        is Decision.ELIGIBLE
    )
    assert (
        pre_check(civil(household_monthly_income=Decimal(2420 * 3 + 3)), rules, TODAY).decision
        is Decision.NOT_ELIGIBLE
    )


def test_fixed_amount_line(make_rules):
    rules = make_rules(
        hardship_line={"basis": "fixed_amount", "region": "某省", "monthly_amount_per_person": 2000}
    )
    assert (
        pre_check(civil(household_monthly_income=Decimal(6000)), rules, TODAY).decision is Decision.ELIGIBLE
    )
    assert (
        pre_check(civil(household_monthly_income=Decimal(6003)), rules, TODAY).decision
        is Decision.NOT_ELIGIBLE
    )


def test_missing_income_asks_for_hardship_proof(rules):
    app = civil(
        household_monthly_income=None, household_size=None, documents=frozenset({Document.IDENTITY_PROOF})
    )
    result = pre_check(app, rules, TODAY)
    assert result.decision is Decision.NEEDS_DOCUMENTS
    assert result.rule(RuleId.ECONOMIC_HARDSHIP).outcome is Outcome.FAILED
    assert result.missing_documents == (Document.HARDSHIP_PROOF, Document.MATTER_EVIDENCE)


# --- Art.32: no hardship condition ---------------------------------------------------------------


def test_art32_heroic_deed_is_not_limited_by_hardship_even_outside_art31(rules):
    app = Application(
        matter=MatterType.OTHER,
        art32=frozenset({Art32Circumstance.HEROIC_DEED}),
        household_monthly_income=Decimal(100_000),
        household_size=1,
        documents=frozenset({Document.IDENTITY_PROOF, Document.MATTER_EVIDENCE}),
    )
    result = pre_check(app, rules, TODAY)
    assert result.decision is Decision.ELIGIBLE
    assert result.rule(RuleId.SCOPE).outcome is Outcome.PASSED
    art32 = result.rule(RuleId.ART32_NO_HARDSHIP_CONDITION)
    assert art32.outcome is Outcome.PASSED
    assert art32.article == "《法律援助法》第三十二条第二项"
    assert "因见义勇为行为主张相关民事权益" in art32.explanation.zh
    assert result.rule(RuleId.ECONOMIC_HARDSHIP).outcome is Outcome.NOT_APPLICABLE


def test_art32_domestic_violence_victim_with_maintenance_claim_needs_no_income_proof(rules):
    app = Application(
        matter=MatterType.MAINTENANCE,
        art32=frozenset({Art32Circumstance.ABUSE_ABANDONMENT_DOMESTIC_VIOLENCE}),
        documents=frozenset({Document.IDENTITY_PROOF}),
    )
    result = pre_check(app, rules, TODAY)
    assert result.decision is Decision.NEEDS_DOCUMENTS
    assert result.missing_documents == (Document.MATTER_EVIDENCE,)


# --- Art.42: exempt from verification, still needs matter evidence -------------------------------


def test_art42_recipient_with_proof_is_exempt_from_verification_but_needs_matter_evidence(rules):
    app = Application(
        matter=MatterType.TRAFFIC_ACCIDENT,
        art42=frozenset({Art42Category.ASSISTANCE_OR_SPECIAL_CARE_RECIPIENT}),
        documents=frozenset({Document.IDENTITY_PROOF, Document.ART42_CATEGORY_PROOF}),
    )
    result = pre_check(app, rules, TODAY)
    assert result.decision is Decision.NEEDS_DOCUMENTS
    assert result.missing_documents == (Document.MATTER_EVIDENCE,)
    art42 = result.rule(RuleId.ART42_VERIFICATION_EXEMPT)
    assert art42.outcome is Outcome.PASSED
    assert art42.article == "《法律援助法》第四十二条第二项"
    assert result.rule(RuleId.ECONOMIC_HARDSHIP).outcome is Outcome.NOT_APPLICABLE
    complete = app.model_copy(update={"documents": app.documents | {Document.MATTER_EVIDENCE}})
    assert pre_check(complete, rules, TODAY).decision is Decision.ELIGIBLE


def test_art42_claimed_without_proof_asks_for_the_proof_not_income(rules):
    app = Application(
        matter=MatterType.MAINTENANCE,
        art42=frozenset({Art42Category.DEPENDENT_WITHOUT_FIXED_INCOME}),
        household_monthly_income=Decimal(90_000),  # above the line: the proof would still exempt
        household_size=3,
        documents=frozenset({Document.IDENTITY_PROOF, Document.MATTER_EVIDENCE}),
    )
    result = pre_check(app, rules, TODAY)
    assert result.decision is Decision.NEEDS_DOCUMENTS
    assert result.missing_documents == (Document.ART42_CATEGORY_PROOF,)
    assert result.rule(RuleId.ART42_VERIFICATION_EXEMPT).outcome is Outcome.FAILED


def test_art42_migrant_worker_exemption_only_for_wages_or_work_injury(rules):
    migrant = frozenset({Art42Category.MIGRANT_WORKER_PAY_OR_WORK_INJURY})
    docs = frozenset({Document.IDENTITY_PROOF, Document.MATTER_EVIDENCE, Document.ART42_CATEGORY_PROOF})
    for matter in (MatterType.LABOUR_REMUNERATION, MatterType.WORK_INJURY):
        result = pre_check(Application(matter=matter, art42=migrant, documents=docs), rules, TODAY)
        assert result.decision is Decision.ELIGIBLE, matter
    # 第四十二条第三项 does not cover a traffic accident, nor 确认劳动关系: the means test applies
    for matter in (MatterType.TRAFFIC_ACCIDENT, MatterType.LABOUR_RELATIONSHIP):
        result = pre_check(Application(matter=matter, art42=migrant, documents=docs), rules, TODAY)
        assert result.rule(RuleId.ART42_VERIFICATION_EXEMPT).outcome is Outcome.FAILED
        assert result.rule(RuleId.ART42_VERIFICATION_EXEMPT).article == "《法律援助法》第四十二条第三项"
        assert result.decision is Decision.NEEDS_DOCUMENTS
        assert Document.HARDSHIP_PROOF in result.missing_documents


# --- Art.25/26/28: appointed counsel -------------------------------------------------------------


def test_art25_minor_gets_appointed_counsel_without_application_or_means_test(rules):
    app = Application(
        matter=MatterType.CRIMINAL_DEFENCE,
        art25=frozenset({Art25Category.MINOR}),
        household_monthly_income=Decimal(1_000_000),
        household_size=1,
    )
    result = pre_check(app, rules, TODAY)
    assert result.decision is Decision.APPOINTED_COUNSEL
    assert result.required_min_experience_years is None
    assert result.missing_documents == ()
    assert result.rule(RuleId.APPOINTED_COUNSEL).article == "《法律援助法》第二十五条第一款第一项"
    assert "三日内" not in result.rule(RuleId.APPOINTED_COUNSEL).explanation.zh  # figure comes from rules
    assert "3日内" in result.rule(RuleId.APPOINTED_COUNSEL).explanation.zh
    skipped = [
        r for r in result.rules if r.rule not in (RuleId.APPOINTED_COUNSEL, RuleId.EXPERIENCED_COUNSEL)
    ]
    assert all(r.outcome is Outcome.NOT_APPLICABLE for r in skipped)


@pytest.mark.parametrize(
    "category", [Art25Category.POSSIBLE_LIFE_OR_DEATH_SENTENCE, Art25Category.DEATH_PENALTY_REVIEW]
)
def test_art26_requires_three_years_of_practice(rules, category):
    app = Application(matter=MatterType.CRIMINAL_DEFENCE, art25=frozenset({category}))
    result = pre_check(app, rules, TODAY)
    assert result.decision is Decision.APPOINTED_COUNSEL
    assert result.required_min_experience_years == 3
    experienced = result.rule(RuleId.EXPERIENCED_COUNSEL)
    assert experienced.outcome is Outcome.PASSED
    assert experienced.article == "《法律援助法》第二十六条"


def test_art26_figure_can_be_raised_not_lowered(make_rules):
    app = Application(
        matter=MatterType.CRIMINAL_DEFENCE, art25=frozenset({Art25Category.POSSIBLE_LIFE_OR_DEATH_SENTENCE})
    )
    assert (
        pre_check(
            app, make_rules(counsel={"min_experience_years_serious": 5}), TODAY
        ).required_min_experience_years
        == 5
    )
    with pytest.raises(ValidationError):
        make_rules(counsel={"min_experience_years_serious": 2})


def test_art25_with_a_defender_already_is_not_appointed(rules):
    app = Application(
        matter=MatterType.CRIMINAL_DEFENCE, art25=frozenset({Art25Category.MINOR}), already_represented=True
    )
    result = pre_check(app, rules, TODAY)
    assert result.decision is Decision.NOT_ELIGIBLE
    assert result.rule(RuleId.APPOINTED_COUNSEL).outcome is Outcome.FAILED
    assert result.required_min_experience_years is None


def test_art28_compulsory_medical_treatment_is_appointed(rules):
    result = pre_check(Application(matter=MatterType.COMPULSORY_MEDICAL_TREATMENT), rules, TODAY)
    assert result.decision is Decision.APPOINTED_COUNSEL
    assert result.rule(RuleId.APPOINTED_COUNSEL).article == "《法律援助法》第二十八条"


# --- criminal applications vs civil --------------------------------------------------------------


def test_criminal_defendant_outside_art25_applies_under_art24_with_means_test(rules):
    base = {"matter": MatterType.CRIMINAL_DEFENCE, "household_size": 3, "documents": ALL_DOCS}
    poor = pre_check(Application(**base, household_monthly_income=Decimal(4500)), rules, TODAY)
    assert poor.decision is Decision.ELIGIBLE
    assert poor.rule(RuleId.SCOPE).article == "《法律援助法》第二十四条"
    assert poor.rule(RuleId.APPOINTED_COUNSEL).outcome is Outcome.NOT_APPLICABLE
    assert poor.rule(RuleId.NOT_REPRESENTED).article == "《法律援助法》第二十四条"
    rich = pre_check(Application(**base, household_monthly_income=Decimal(4503)), rules, TODAY)
    assert rich.decision is Decision.NOT_ELIGIBLE


def test_criminal_defendant_may_rely_on_another_reason_under_art24(rules):
    app = Application(
        matter=MatterType.CRIMINAL_DEFENCE,
        criminal_other_reason="外地务工，无法联系家属委托辩护人",
        documents=frozenset({Document.IDENTITY_PROOF, Document.MATTER_EVIDENCE}),
    )
    result = pre_check(app, rules, TODAY)
    assert result.decision is Decision.ELIGIBLE
    hardship = result.rule(RuleId.ECONOMIC_HARDSHIP)
    assert hardship.outcome is Outcome.NOT_APPLICABLE
    assert hardship.article == "《法律援助法》第二十四条"


def test_criminal_victim_applies_under_art29_with_means_test(rules):
    result = pre_check(civil(matter=MatterType.CRIMINAL_VICTIM), rules, TODAY)
    assert result.decision is Decision.ELIGIBLE
    assert result.rule(RuleId.SCOPE).article == "《法律援助法》第二十九条"
    assert result.rule(RuleId.NOT_REPRESENTED).article == "《法律援助法》第二十九条"


def test_petition_or_retrial_under_art33(rules):
    result = pre_check(civil(matter=MatterType.PETITION_OR_RETRIAL), rules, TODAY)
    assert result.decision is Decision.ELIGIBLE
    assert result.rule(RuleId.SCOPE).article == "《法律援助法》第三十三条"


@pytest.mark.parametrize(
    ("matter", "item"),
    [
        (MatterType.STATE_COMPENSATION, "第一项"),
        (MatterType.SOCIAL_INSURANCE_OR_ASSISTANCE, "第二项"),
        (MatterType.SURVIVOR_PENSION, "第三项"),
        (MatterType.MAINTENANCE, "第四项"),
        (MatterType.LABOUR_RELATIONSHIP, "第五项"),
        (MatterType.LABOUR_REMUNERATION, "第五项"),
        (MatterType.CIVIL_CAPACITY, "第六项"),
        (MatterType.WORK_INJURY, "第七项"),
        (MatterType.TRAFFIC_ACCIDENT, "第七项"),
        (MatterType.FOOD_DRUG_SAFETY_ACCIDENT, "第七项"),
        (MatterType.MEDICAL_ACCIDENT, "第七项"),
        (MatterType.ENVIRONMENTAL_DAMAGE, "第八项"),
    ],
)
def test_every_art31_matter_is_in_scope(rules, matter, item):
    result = pre_check(civil(matter=matter), rules, TODAY)
    assert result.decision is Decision.ELIGIBLE
    assert result.rule(RuleId.SCOPE).article == f"《法律援助法》第三十一条{item}"


def test_other_prescribed_matter_needs_its_basis(rules):
    with pytest.raises(ValidationError, match="other_basis"):
        civil(matter=MatterType.OTHER_PRESCRIBED)
    result = pre_check(
        civil(matter=MatterType.OTHER_PRESCRIBED, other_basis="某省法律援助条例第十条"), rules, TODAY
    )
    assert result.decision is Decision.ELIGIBLE
    assert "某省法律援助条例第十条" in result.rule(RuleId.SCOPE).explanation.zh


def test_matter_outside_the_law_is_not_eligible(rules):
    result = pre_check(civil(matter=MatterType.OTHER), rules, TODAY)
    assert result.decision is Decision.NOT_ELIGIBLE
    assert result.rule(RuleId.SCOPE).outcome is Outcome.FAILED


def test_already_represented_civil_applicant_is_not_eligible(rules):
    result = pre_check(civil(already_represented=True), rules, TODAY)
    assert result.decision is Decision.NOT_ELIGIBLE
    assert result.rule(RuleId.NOT_REPRESENTED).outcome is Outcome.FAILED
    assert "没有委托代理人" in result.rule(RuleId.NOT_REPRESENTED).explanation.zh


def test_art25_categories_only_on_criminal_defence():
    with pytest.raises(ValidationError, match="criminal_defence"):
        Application(matter=MatterType.MAINTENANCE, art25=frozenset({Art25Category.MINOR}))


# --- missing documents ---------------------------------------------------------------------------


def test_missing_documents_are_listed_by_name(rules):
    result = pre_check(civil(documents=frozenset()), rules, TODAY)
    assert result.decision is Decision.NEEDS_DOCUMENTS
    assert result.missing_documents == (
        Document.IDENTITY_PROOF,
        Document.HARDSHIP_PROOF,
        Document.MATTER_EVIDENCE,
    )
    names = [n.zh for n in result.missing_document_names]
    assert names == [
        "申请人身份证明",
        "经济困难状况说明及家庭收入证明，或个人诚信承诺（第四十一条）",
        "与所申请法律援助事项有关的证据材料",
    ]
    documents = result.rule(RuleId.DOCUMENTS_COMPLETE)
    assert documents.article == "《法律援助法》第四十三条第二款"
    assert "一次性告知" in documents.explanation.zh
    assert all(DOCUMENT_NAMES[d].zh in documents.explanation.zh for d in result.missing_documents)


def test_programme_may_drop_the_identity_requirement(make_rules):
    rules = make_rules(documents={"require_identity_proof": False})
    app = civil(documents=frozenset({Document.HARDSHIP_PROOF, Document.MATTER_EVIDENCE}))
    assert pre_check(app, rules, TODAY).decision is Decision.ELIGIBLE


# --- Art.44: provisional aid ---------------------------------------------------------------------


@pytest.mark.parametrize(("days_left", "provisional"), [(0, True), (6, True), (7, False), (8, False)])
def test_provisional_aid_when_fewer_than_seven_days_are_left(rules, days_left, provisional):
    app = civil(limitation_expires_on=TODAY + timedelta(days=days_left))
    result = pre_check(app, rules, TODAY)
    expected = Decision.PROVISIONAL_AID_RECOMMENDED if provisional else Decision.ELIGIBLE
    assert result.decision is expected
    rule = result.rule(RuleId.PROVISIONAL_AID)
    if provisional:
        assert rule.article == "《法律援助法》第四十四条第一款第一项"
        assert "法定标准" in rule.explanation.zh


@pytest.mark.parametrize(("days_left", "provisional"), [(29, True), (30, False)])
def test_programme_threshold_is_reported_as_a_programme_choice(make_rules, days_left, provisional):
    rules = make_rules(provisional_aid={"days_before_expiry": 30})
    result = pre_check(civil(limitation_expires_on=TODAY + timedelta(days=days_left)), rules, TODAY)
    assert (result.decision is Decision.PROVISIONAL_AID_RECOMMENDED) is provisional
    if provisional:
        assert "本项目设定" in result.rule(RuleId.PROVISIONAL_AID).explanation.zh


def test_provisional_aid_still_lists_missing_documents(rules):
    app = civil(documents=frozenset(), limitation_expires_on=TODAY + timedelta(days=3))
    result = pre_check(app, rules, TODAY)
    assert result.decision is Decision.PROVISIONAL_AID_RECOMMENDED
    assert result.missing_documents == (
        Document.IDENTITY_PROOF,
        Document.HARDSHIP_PROOF,
        Document.MATTER_EVIDENCE,
    )


def test_provisional_aid_is_not_recommended_above_the_line(rules):
    app = civil(household_monthly_income=Decimal(4503), limitation_expires_on=TODAY + timedelta(days=3))
    assert pre_check(app, rules, TODAY).decision is Decision.NOT_ELIGIBLE


def test_urgent_preservation_is_a_provisional_ground(rules):
    result = pre_check(civil(urgent_measures=frozenset({UrgentMeasure.PROPERTY_PRESERVATION})), rules, TODAY)
    assert result.decision is Decision.PROVISIONAL_AID_RECOMMENDED
    assert result.rule(RuleId.PROVISIONAL_AID).article == "《法律援助法》第四十四条第一款第二项"


def test_expired_limitation_is_flagged_not_provisional(rules):
    result = pre_check(civil(limitation_expires_on=TODAY - timedelta(days=1)), rules, TODAY)
    assert result.decision is Decision.ELIGIBLE
    rule = result.rule(RuleId.PROVISIONAL_AID)
    assert rule.outcome is Outcome.NOT_APPLICABLE
    assert "届满" in rule.explanation.zh
