"""Ending aid (第四十八条), objections (第四十九条), student volunteers (第十七条) and duties."""

from __future__ import annotations

from plugins.legal_aid.law import (
    CONDUCT_DUTIES,
    CONFIDENTIALITY,
    REFUSAL_NOTICE,
    EndingGround,
    StudentActivity,
    appeal_info,
    ending_grounds,
    student_may,
)
from plugins.legal_aid.law.articles import LA_48


def test_ending_grounds_follow_article_48_in_order():
    grounds = ending_grounds()
    assert [g.ground for g in grounds] == list(EndingGround)
    assert len(grounds) == 8
    assert grounds[0].article == "《法律援助法》第四十八条第一款第一项"
    assert grounds[0].text.zh == "受援人以欺骗或者其他不正当手段获得法律援助"
    assert grounds[5].ground is EndingGround.SELF_RETAINED_COUNSEL
    assert grounds[5].text.zh == "受援人自行委托律师或者其他代理人"
    for n, g in enumerate(grounds, start=1):
        assert f"（{'一二三四五六七八'[n - 1]}）{g.text.zh}" in LA_48.paragraph(1)
        assert g.text.en


def test_appeal_goes_to_the_justice_department_that_set_up_the_agency(make_rules):
    info = appeal_info()
    assert info.article == "《法律援助法》第四十九条"
    assert info.to_whom.zh == "设立该法律援助机构的司法行政部门"
    assert info.review_days == 5
    assert "不予法律援助、终止法律援助" in info.decisions.zh
    assert "行政复议" in info.further_remedy.zh and "行政诉讼" in info.further_remedy.zh
    assert info.text.startswith("申请人、受援人对法律援助机构不予法律援助、终止法律援助的决定有异议的")
    assert appeal_info(make_rules(deadlines={"objection_review_days": 3})).review_days == 3
    assert "书面告知" in REFUSAL_NOTICE.zh


def test_students_may_consult_and_draft_under_article_17():
    for activity in (StudentActivity.LEGAL_CONSULTATION, StudentActivity.DOCUMENT_DRAFTING):
        allowed, reason = student_may(activity)
        assert allowed
        assert "第十七条第二款" in reason.zh


def test_students_may_not_defend_or_act_as_litigation_agents_or_duty_lawyers():
    allowed, reason = student_may(StudentActivity.CRIMINAL_DEFENCE)
    assert not allowed and "《律师法》第十三条" in reason.zh
    allowed, reason = student_may(StudentActivity.LITIGATION_AGENCY)
    assert not allowed and "《律师法》第十三条" in reason.zh
    allowed, reason = student_may(StudentActivity.DUTY_LAWYER_HELP)
    assert not allowed and "第十四条" in reason.zh
    for activity in (
        StudentActivity.NON_LITIGATION_AGENCY,
        StudentActivity.LABOUR_MEDIATION_ARBITRATION_AGENCY,
    ):
        assert not student_may(activity).allowed


def test_students_need_an_institution_and_justice_department_guidance():
    allowed, reason = student_may(StudentActivity.LEGAL_CONSULTATION, organised_by_institution=False)
    assert not allowed and "高等院校、科研机构" in reason.zh
    assert not student_may(StudentActivity.DOCUMENT_DRAFTING, under_justice_department_guidance=False).allowed


def test_support_work_and_legal_education_are_open_to_students():
    assert student_may(StudentActivity.INTAKE_AND_ADMIN_SUPPORT, organised_by_institution=False).allowed
    assert student_may(StudentActivity.LEGAL_EDUCATION).allowed


def test_confidentiality_cites_legal_aid_law_21_and_lawyers_law_38_verbatim():
    assert CONFIDENTIALITY.citations == (
        "《法律援助法》第二十一条",
        "《律师法》第三十八条第一款",
        "《律师法》第三十八条第二款",
    )
    assert (
        CONFIDENTIALITY.texts[1] == "律师应当保守在执业活动中知悉的国家秘密、商业秘密，不得泄露当事人的隐私。"
    )
    assert CONFIDENTIALITY.texts[2].endswith("严重危害他人人身安全的犯罪事实和信息除外。")
    for duty in CONDUCT_DUTIES:
        assert len(duty.citations) == len(duty.texts) >= 1
        assert duty.summary.zh and duty.summary.en
