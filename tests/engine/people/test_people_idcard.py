"""Tests for engine.people.idcard (GB 11643-1999).

Valid numbers are either published samples or worked out by hand below; the test
never computes a check character with its own implementation, which would only
prove that the code agrees with itself.

Hand-worked check characters (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
sum mod 11 -> 1 0 X 9 8 7 6 5 4 3 2):

* 11010519491231002X (published sample): 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167,
  167 mod 11 = 2 -> X.  Sequence 002: even -> female.
* 440524188001010014 (published sample): 28+36+0+25+16+16+2+8+48+0+0+9+0+5+0+0+2 = 195,
  195 mod 11 = 8 -> 4.  Sequence 001: odd -> male.
* 440802199003071234: 28+36+0+40+0+8+2+9+54+0+0+27+0+35+8+8+6 = 261, 261 mod 11 = 8 -> 4.
  Sequence 123: odd -> male.
* 440524198001010013: 28+36+0+25+16+16+2+9+48+0+0+9+0+5+0+0+2 = 196, 196 mod 11 = 9 -> 3.
* 110105200002290021: 7+9+0+5+0+20+4+0+0+0+0+18+20+45+0+0+4 = 132, 132 mod 11 = 0 -> 1.
* 440802203001010015: 28+36+0+40+0+8+4+0+18+0+0+9+0+5+0+0+2 = 150, 150 mod 11 = 7 -> 5.
"""

from __future__ import annotations

from datetime import date

import pytest

from engine.people.idcard import (
    IdNumber,
    IdNumberError,
    age_on,
    check_character,
    check_consistency,
    mask_id_number,
    normalise_gender,
    parse_id_number,
)

TODAY = date(2024, 6, 1)


def test_published_sample_with_x_check_digit_is_female() -> None:
    idn = parse_id_number("11010519491231002X", today=TODAY)
    assert idn == IdNumber(
        number="11010519491231002X",
        region_code="110105",
        birth_date=date(1949, 12, 31),
        gender="female",
        sequence="002",
    )


def test_published_sample_male() -> None:
    idn = parse_id_number("440524188001010014", today=TODAY)
    assert idn.gender == "male"
    assert idn.birth_date == date(1880, 1, 1)
    assert idn.region_code == "440524"
    assert idn.sequence == "001"
    assert not idn.from_legacy


@pytest.mark.parametrize(
    ("number", "check"),
    [
        ("11010519491231002", "X"),
        ("44052418800101001", "4"),
        ("44080219900307123", "4"),
        ("44052419800101001", "3"),
        ("11010520000229002", "1"),
    ],
)
def test_check_character_matches_hand_worked_values(number: str, check: str) -> None:
    assert check_character(number) == check


def test_hand_verified_male_number() -> None:
    idn = parse_id_number("440802199003071234", today=TODAY)
    assert (idn.gender, idn.birth_date) == ("male", date(1990, 3, 7))


def test_lowercase_x_and_surrounding_spaces_are_normalised() -> None:
    assert parse_id_number("  11010519491231002x \t", today=TODAY).number == "11010519491231002X"


def test_full_width_digits_are_normalised() -> None:
    full_width = "１１０１０５１９４９１２３１００２Ｘ"
    assert parse_id_number(full_width, today=TODAY).number == "11010519491231002X"


def test_embedded_spaces_and_zero_width_characters_are_ignored() -> None:
    assert parse_id_number("110105 19491231 002X\u200b", today=TODAY).number == "11010519491231002X"


def test_legacy_15_digit_number_is_converted() -> None:
    idn = parse_id_number("110105491231002", today=TODAY)
    assert idn.number == "11010519491231002X"
    assert idn.from_legacy
    assert idn.birth_date == date(1949, 12, 31)
    assert idn.gender == "female"
    other = parse_id_number("440524800101001", today=TODAY)
    assert other.number == "440524198001010013"
    assert other.gender == "male"


@pytest.mark.parametrize("raw", ["1101051949123100", "11010519491231002X1", "12345"])
def test_wrong_length(raw: str) -> None:
    with pytest.raises(IdNumberError) as info:
        parse_id_number(raw, today=TODAY)
    assert info.value.code == "length"
    assert f"实际为 {len(raw)} 位" in str(info.value)
    assert f"got {len(raw)}" in str(info.value)


def test_empty() -> None:
    with pytest.raises(IdNumberError) as info:
        parse_id_number("   ", today=TODAY)
    assert info.value.code == "empty"


def test_non_digit_in_the_middle_names_the_position() -> None:
    with pytest.raises(IdNumberError) as info:
        parse_id_number("1101051949123A002X", today=TODAY)
    assert info.value.code == "characters"
    assert "第 14 位「A」不是数字" in info.value.zh
    assert "character 14 ('A') is not a digit" in info.value.en


def test_x_only_allowed_last() -> None:
    with pytest.raises(IdNumberError) as info:
        parse_id_number("1101051949123100X2", today=TODAY)
    assert info.value.code == "characters"
    assert "only the last character" in info.value.en


def test_x_not_allowed_in_15_digit_number() -> None:
    with pytest.raises(IdNumberError) as info:
        parse_id_number("11010549123100X", today=TODAY)
    assert info.value.code == "characters"


def test_invalid_last_character() -> None:
    with pytest.raises(IdNumberError) as info:
        parse_id_number("11010519491231002Y", today=TODAY)
    assert info.value.code == "characters"
    assert "末位「Y」无效" in info.value.zh


def test_invalid_birth_date() -> None:
    with pytest.raises(IdNumberError) as info:
        parse_id_number("440802199902300000", today=TODAY)
    assert info.value.code == "birth_date"
    assert "19990230" in info.value.zh and "19990230" in info.value.en


def test_birth_date_in_the_future() -> None:
    # Valid check character (worked out above), so only the date is wrong.
    with pytest.raises(IdNumberError) as info:
        parse_id_number("440802203001010015", today=TODAY)
    assert info.value.code == "future"
    assert "2030-01-01" in str(info.value)
    assert parse_id_number("440802203001010015", today=date(2030, 1, 1)).birth_date == date(2030, 1, 1)


def test_checksum_mismatch_names_expected_digit() -> None:
    with pytest.raises(IdNumberError) as info:
        parse_id_number("110105194912310025", today=TODAY)
    assert info.value.code == "checksum"
    assert info.value.zh.startswith("校验码应为 X")
    assert info.value.en.startswith("check digit should be X")


def test_single_digit_typo_is_caught_by_checksum() -> None:
    with pytest.raises(IdNumberError) as info:
        parse_id_number("440802199003071334", today=TODAY)  # 2 -> 3 at position 16
    assert info.value.code == "checksum"
    # Position 16 has weight 4: 261 + 4 = 265, 265 mod 11 = 1 -> check character 0.
    assert info.value.zh.startswith("校验码应为 0，但末位是 4")


def test_scientific_notation_from_excel_is_explained() -> None:
    with pytest.raises(IdNumberError) as info:
        parse_id_number("1.10105E+17", today=TODAY)
    assert info.value.code == "scientific"
    assert "文本" in info.value.zh and "Text" in info.value.en


def test_error_is_a_value_error_with_bilingual_str() -> None:
    with pytest.raises(ValueError, match=r"校验码应为 X.* / check digit should be X"):
        parse_id_number("110105194912310025", today=TODAY)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("男", "male"),
        ("女", "female"),
        ("M", "male"),
        ("f", "female"),
        ("Male", "male"),
        ("FEMALE", "female"),
    ],
)
def test_normalise_gender(word: str, expected: str) -> None:
    assert normalise_gender(word) == expected


def test_normalise_gender_rejects_unknown() -> None:
    with pytest.raises(ValueError, match="无法识别"):
        normalise_gender("未知")


def test_consistency_ok() -> None:
    idn = parse_id_number("11010519491231002X", today=TODAY)
    assert check_consistency(idn, birth_date=date(1949, 12, 31), gender="女") == []
    assert check_consistency(idn, birth_date="1949-12-31", gender="F") == []
    assert check_consistency("11010519491231002X") == []


def test_consistency_gender_mismatch() -> None:
    idn = parse_id_number("11010519491231002X", today=TODAY)
    (reason,) = check_consistency(idn, gender="男")
    assert "性别「男」与身份证号（女）不符" in reason
    assert "does not match" in reason


def test_consistency_birth_date_mismatch() -> None:
    idn = parse_id_number("440524188001010014", today=TODAY)
    reasons = check_consistency(idn, birth_date=date(1880, 1, 2), gender="male")
    assert len(reasons) == 1
    assert "1880-01-02" in reasons[0] and "1880-01-01" in reasons[0]


def test_consistency_both_mismatch_and_unrecognised_values() -> None:
    idn = parse_id_number("440524188001010014", today=TODAY)
    assert len(check_consistency(idn, birth_date="1990-01-01", gender="female")) == 2
    assert "无法识别" in check_consistency(idn, gender="?")[0]
    assert "无法识别" in check_consistency(idn, birth_date="yesterday")[0]


def test_age_on_day_before_and_of_birthday() -> None:
    idn = parse_id_number("440802199003071234", today=TODAY)  # born 1990-03-07
    assert age_on(idn, date(2008, 3, 6)) == 17
    assert age_on(idn, date(2008, 3, 7)) == 18
    assert age_on("440802199003071234", date(2008, 3, 7)) == 18
    assert age_on(date(1990, 3, 7), date(1990, 3, 7)) == 0


def test_age_on_leap_day_birthday() -> None:
    born = parse_id_number("110105200002290021", today=TODAY).birth_date
    assert born == date(2000, 2, 29)
    assert age_on(born, date(2018, 2, 28)) == 17
    assert age_on(born, date(2018, 3, 1)) == 18


def test_age_on_before_birth_raises() -> None:
    with pytest.raises(ValueError):
        age_on(date(2000, 1, 1), date(1999, 12, 31))


def test_mask_id_number() -> None:
    assert mask_id_number("440802199003071234") == "4****************4"
    assert mask_id_number("11010519491231002x") == "1****************X"
    assert mask_id_number(parse_id_number("110105491231002", today=TODAY)) == "1****************X"
    assert "19900307" not in mask_id_number("440802199003071234")  # no birth-date digits
    assert mask_id_number("110105491231002") == "1*************2"
    assert mask_id_number("1234") == "****"
