"""Tests for engine.people.phone."""

from __future__ import annotations

import pytest

from engine.people.phone import PhoneError, mask_phone, normalise_mobile


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        " 138 1234 5678 ",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+86-13812345678",
        "0086 13812345678",
        "8613812345678",
        "(+86)138-1234-5678",
        "１３８１２３４５６７８",
    ],
)
def test_normalise_mobile_accepts_common_spellings(raw: str) -> None:
    assert normalise_mobile(raw) == "13812345678"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "为空"),
        ("1381234567", "11 位"),
        ("138123456789", "11 位"),
        ("12812345678", "13–19"),
        ("020-12345678", "13–19"),
        ("138abc45678", "非数字"),
    ],
)
def test_normalise_mobile_rejects(raw: str, fragment: str) -> None:
    with pytest.raises(PhoneError) as info:
        normalise_mobile(raw)
    assert fragment in info.value.zh
    assert " / " in str(info.value) and info.value.en


def test_phone_error_is_value_error() -> None:
    with pytest.raises(ValueError):
        normalise_mobile("110")


def test_mask_phone() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138-1234-5678") == "138****5678"
    assert mask_phone("020-12345678") == "020****5678"
    assert mask_phone("12345") == "*****"
