"""Pure normalisation functions of the legal-aid conflict check."""

from __future__ import annotations

import pytest

from plugins.legal_aid.conflict import party_keys
from plugins.legal_aid.conflict.ids import is_valid_resident_id, is_valid_uscc, resident_id_check
from plugins.legal_aid.conflict.normalise import (
    normalise_id,
    normalise_name,
    org_core,
    pinyin_key,
    pinyin_sorted_key,
)
from plugins.legal_aid.conflict.pinyin import latin_corrections, segment


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张 三", "张三"),
        ("张\u3000三", "张三"),  # ideographic space
        ("張偉", "张伟"),
        ("ＺＨＡＮＧ　Ｓａｎ", "zhangsan"),
        ("迈克尔·乔丹", "迈克尔乔丹"),
        ("迈克尔・乔丹", "迈克尔乔丹"),
    ],
)
def test_normalise_name(raw: str, expected: str) -> None:
    assert normalise_name(raw) == expected


@pytest.mark.parametrize("raw", ["张三", "Zhang San", "zhangsan", "ZHANG San", "Zhāng Sān"])
def test_pinyin_key_straight(raw: str) -> None:
    assert pinyin_key(raw) == "zhangsan"


@pytest.mark.parametrize("raw", ["张三", "San Zhang", "zhang san", "SAN ZHANG"])
def test_pinyin_sorted_key_ignores_order(raw: str) -> None:
    assert pinyin_sorted_key(raw) == "sanzhang"


def test_pinyin_key_none_for_mixed_script() -> None:
    assert pinyin_key("张3") is None
    assert pinyin_sorted_key("Zhang Sna") is None  # not valid pinyin: a typo


def test_lyu_spellings_agree() -> None:
    assert pinyin_sorted_key("吕布") == pinyin_sorted_key("Lyu Bu") == pinyin_sorted_key("Lü Bu")


def test_latin_corrections_only_for_typo_looking_input() -> None:
    assert ["zhang", "san"] in latin_corrections("Zhang Sna")
    assert ["shen", "xia"] in latin_corrections("Shen Xai")  # swaps are tried first
    assert ["zhang", "wei"] in latin_corrections("Zhang Ei")  # dropped initial consonant
    assert latin_corrections("Zhang Lei") == []  # valid pinyin is a different name


@pytest.mark.parametrize(
    ("token", "syllables"),
    [("zhangsan", ("zhang", "san")), ("minyu", ("min", "yu")), ("xian", ("xian",)), ("linan", ("li", "nan"))],
)
def test_segment(token: str, syllables: tuple[str, ...]) -> None:
    assert segment(token) == syllables


@pytest.mark.parametrize(
    ("raw", "core"),
    [
        ("北京某某科技有限公司", "某某科技"),
        ("某某科技（北京）有限公司", "某某科技"),
        ("某某科技(北京)有限责任公司", "某某科技"),
        ("上海市某某集团股份有限公司", "某某"),
        ("某某市政工程有限公司", "某某市政工程"),  # no pattern-based region cutting
        ("有限公司", "有限公司"),  # never stripped below two characters
        ("Acme Trading Co., Ltd.", "acmetrading"),
        ("Tesco", "tesco"),
    ],
)
def test_org_core(raw: str, core: str) -> None:
    assert org_core(raw) == core


def test_normalise_id() -> None:
    first17 = "11010519491231002"
    full = first17 + resident_id_check(first17)
    assert is_valid_resident_id(full)
    assert normalise_id(full.lower()) == full
    assert normalise_id(" 110105 19491231 002" + full[-1].lower()) == full
    assert normalise_id("１１０１０５１９４９１２３１００２" + full[-1]) == full  # full-width
    assert normalise_id("110105491231002") == full  # 15-digit form upgraded
    assert normalise_id("") is None and normalise_id(None) is None


def test_uscc_checksum() -> None:
    assert is_valid_uscc("91350100M000100Y43")
    assert not is_valid_uscc("91350100M000100Y44")


def test_party_keys_shape() -> None:
    keys = party_keys("person", ["张小明", "Zhang Xiaoming"], "11010519491231002x")
    kinds = {k for k, _ in keys}
    assert {"id", "nm", "py", "pys", "pyf", "pyl"} <= kinds
    assert ("id", "11010519491231002X") in keys
    # No key made from a surname alone.
    assert all(key not in ("张", "zhang") for _, key in keys)
    two_char = party_keys("person", ["张伟"], None)
    assert not any(k == "pyf" for k, _ in two_char)
