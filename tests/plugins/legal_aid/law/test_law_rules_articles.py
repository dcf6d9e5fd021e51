"""The rules schema (YAML-facing) and the statute text helpers."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from plugins.legal_aid.law import LegalAidRules, MatterType
from plugins.legal_aid.law import articles as A
from plugins.legal_aid.law.rules import DibaoMultipleLine, HardshipBasis, SupplementClock


def test_hardship_line_has_no_default_because_article_34_leaves_it_to_the_province():
    with pytest.raises(ValidationError, match="hardship_line"):
        LegalAidRules()


def test_rules_load_from_yaml_shaped_data_with_law_defaults(rules):
    assert isinstance(rules.hardship_line, DibaoMultipleLine)
    assert rules.hardship_line.basis is HardshipBasis.DIBAO_MULTIPLE
    assert rules.hardship_line.per_capita_line() == Decimal("1500")
    assert rules.deadlines.decision_days == 7
    assert rules.deadlines.assignment_days == 3
    assert rules.deadlines.criminal_notice_assignment_days == 3
    assert rules.deadlines.objection_review_days == 5
    assert rules.provisional_aid.days_before_expiry == 7
    assert rules.provisional_aid.is_statutory
    assert rules.counsel.min_experience_years_serious == 3
    assert rules.supplement.response_days == 15
    assert rules.supplement.clock is SupplementClock.RESTART


def test_unknown_keys_are_rejected(make_rules):
    with pytest.raises(ValidationError, match="extra"):
        make_rules(deadline={"decision_days": 5})
    with pytest.raises(ValidationError, match="extra"):
        make_rules(supplement={"response_day": 10})


def test_unknown_basis_is_rejected(make_rules):
    with pytest.raises(ValidationError):
        make_rules(hardship_line={"basis": "average_wage", "region": "某市", "amount": 1})


def test_line_description_names_its_basis(rules):
    text = rules.hardship_line.describe()
    assert text.zh == "测试市最低生活保障标准1000元/人·月的1.5倍，即家庭月人均收入1500元"
    assert "minimum-living allowance" in text.en


def test_citations():
    assert A.zh_number(1) == "一" and A.zh_number(10) == "十" and A.zh_number(21) == "二十一"
    assert A.zh_number(70) == "七十"
    assert A.LA_43.cite(2) == "《法律援助法》第四十三条第二款"
    assert A.LA_31.cite(item=7) == "《法律援助法》第三十一条第七项"
    assert A.LA_25.cite(1, 4) == "《法律援助法》第二十五条第一款第四项"
    assert A.LA_31.item_text(1) == "依法请求国家赔偿"
    assert A.join_citations([A.LA_34.cite(), A.LA_41.cite(), A.LL_38.cite()]) == (
        "《法律援助法》第三十四条、第四十一条、《律师法》第三十八条"
    )
    with pytest.raises(ValueError):
        A.LA_43.cite(3)
    with pytest.raises(ValueError):
        A.LA_31.item(10)


def _all_articles() -> list[A.Article]:
    return [v for k, v in vars(A).items() if re.fullmatch(r"L[AL]_\d+", k)]


def test_quoted_items_are_numbered_in_sequence():
    for article in _all_articles():
        for paragraph in article.paragraphs:
            items = paragraph.split("\n")[1:]
            for n, line in enumerate(items, start=1):
                assert line.startswith(f"（{A.zh_number(n)}）"), article.cite()


def test_art31_matters_cover_every_item_of_the_article():
    items = {m.art31_item for m in MatterType} - {None}
    assert items == set(range(1, 10))
    assert len(A.LA_31.paragraph(1).split("\n")) == 10


LAWS_DIR = os.environ.get("VOLUNTEER_LAWS_DIR")


@pytest.mark.skipif(not LAWS_DIR, reason="set VOLUNTEER_LAWS_DIR to the folder of the statute texts")
def test_quotes_are_verbatim_from_the_published_texts():
    sources = {
        A.LEGAL_AID_LAW: Path(LAWS_DIR, "legal-aid-law-2021.md").read_text(encoding="utf-8"),
        A.LAWYERS_LAW: Path(LAWS_DIR, "lawyers-law-2017.md").read_text(encoding="utf-8"),
    }
    for article in _all_articles():
        source = sources[article.law]
        for n, paragraph in enumerate(article.paragraphs):
            for k, line in enumerate(paragraph.split("\n")):
                expected = f"第{A.zh_number(article.number)}条 {line}" if n == 0 and k == 0 else line
                assert f"\n{expected}\n" in source, (article.cite(), line)
