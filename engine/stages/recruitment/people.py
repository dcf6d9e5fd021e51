"""Checking and normalising the real-name fields of one person (seed 003 附件1 §3(二)).

Shared by single registration and the batch import so a value refused in one is refused in the
other. Uses :mod:`engine.people` (GB 11643 ID numbers, mainland mobiles); every refusal is an
:class:`~engine.errors.InvalidInput` naming the field, Chinese first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from engine.errors import InvalidInput
from engine.people import (
    IdNumberError,
    PhoneError,
    check_consistency,
    normalise_gender,
    normalise_mobile,
    parse_id_number,
)


@dataclass(frozen=True)
class Identity:
    id_number: str
    gender: str
    birth_date: dt.date
    phone: str | None


def check_identity(id_number: str, *, gender: str | None, birth_date: dt.date | None, phone: str | None,
                   today: dt.date) -> Identity:
    """Validate the ID number (checksum, birth date) and that gender and birth date agree with it.

    Gender and birth date may be omitted: the number carries both. A mismatch is refused, not
    corrected, because one of the two values was mistyped and only the person can say which.
    """
    try:
        idn = parse_id_number(id_number, today=today)
    except IdNumberError as exc:
        raise InvalidInput(f"身份证号：{exc.zh} / ID number: {exc.en}", field="id_number", code=exc.code) from None
    if gender is not None:
        try:
            normalise_gender(gender)
        except ValueError as exc:
            raise InvalidInput(str(exc), field="gender") from None
    for reason in check_consistency(idn, gender=gender):
        raise InvalidInput(reason, field="gender")
    for reason in check_consistency(idn, birth_date=birth_date):
        raise InvalidInput(reason, field="birth_date")
    mobile = None
    if phone is not None:
        try:
            mobile = normalise_mobile(phone)
        except PhoneError as exc:
            raise InvalidInput(f"手机号：{exc.zh} / phone: {exc.en}", field="phone") from None
    return Identity(idn.number, idn.gender, idn.birth_date, mobile)


def clean_list(values: list[str] | None) -> list[str]:
    """Strip, drop blanks and repeats, keep order: ["急救", " 急救", ""] → ["急救"]."""
    return list(dict.fromkeys(v.strip() for v in (values or []) if v and v.strip()))
