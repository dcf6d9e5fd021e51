"""Resident identity numbers (公民身份号码) as defined by GB 11643-1999.

Layout of the 18-character number (GB 11643-1999 §4–§8)::

    440524 19491231 002 X
    |      |        |   `-- check character, ISO 7064 MOD 11-2 over the first 17 digits
    |      |        `------ sequence code; its last digit is odd for men, even for women
    |      `--------------- birth date YYYYMMDD
    `---------------------- administrative region code (GB/T 2260) where first registered

Why we validate so strictly: volunteers are insured and their service hours are
credited against this number, so a typo silently creates a second person.  The
check character catches every single-digit typo and every swap of two adjacent
digits, which is exactly what happens when people copy numbers into spreadsheets.

The region code is deliberately *not* checked against GB/T 2260: the list changes
every year (districts merge and are renamed) while numbers issued under old codes
stay valid for life, so a region check would reject real people.

Legacy 15-digit numbers (issued before 1999: region + YYMMDD + 3-digit sequence, no
check character) are accepted and converted to 18 characters the way GB 11643-1999
prescribes: insert "19" before the two-digit year and append the computed check
character.  Everything downstream therefore only ever sees 18-character numbers.

This module is pure standard library so it can be used anywhere (validators, CLI,
HTTP layer) without dragging pydantic in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from engine import timeutil

__all__ = [
    "Gender",
    "IdNumber",
    "IdNumberError",
    "age_on",
    "check_character",
    "check_consistency",
    "mask_id_number",
    "normalise_gender",
    "parse_id_number",
]

Gender = Literal["male", "female"]

#: ISO 7064 MOD 11-2 weights for positions 1..17 (2**(18-i) mod 11), GB 11643-1999 §8.2.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
#: Check character for each value of (weighted sum mod 11), GB 11643-1999 §8.2.
_CHECK_CHARS = "10X98765432"

# Characters that sneak in when numbers are copied out of web pages, Word or WeChat.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?E\+?\d+$")


class IdNumberError(ValueError):
    """An identity number that cannot be accepted.

    ``zh`` and ``en`` hold the two halves of the message separately so that callers
    (e.g. the spreadsheet importer) can put a row/column prefix in front of each
    language; ``str(error)`` is ``"<zh> / <en>"``.  ``code`` is a stable machine
    token: ``empty``, ``scientific``, ``length``, ``characters``, ``birth_date``,
    ``future``, ``checksum``.
    """

    def __init__(self, zh: str, en: str, *, code: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en
        self.code = code


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A parsed, valid identity number.

    ``number`` is always the normalised 18-character form (upper-case ``X``), even
    when a 15-digit legacy number was given; ``from_legacy`` records that case.
    """

    number: str
    region_code: str
    birth_date: date
    gender: Gender
    sequence: str
    from_legacy: bool = False

    def __str__(self) -> str:
        return self.number


def check_character(first17: str) -> str:
    """Return the GB 11643-1999 check character (``0``-``9`` or ``X``) for 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("check_character() needs exactly 17 ASCII digits")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def _normalise(raw: str) -> str:
    """NFKC (full-width digits → ASCII), drop whitespace and invisible characters, upper-case."""
    text = unicodedata.normalize("NFKC", raw).translate(_INVISIBLE)
    return "".join(text.split()).upper()


def parse_id_number(raw: str, *, today: date | None = None) -> IdNumber:
    """Parse and validate a resident identity number (GB 11643-1999).

    Accepts 18-character numbers and legacy 15-digit numbers (converted to 18, see
    the module docstring).  Full-width digits, surrounding or embedded spaces and a
    lower-case ``x`` are normalised first.  ``today`` (default: the current date) is
    the reference for rejecting birth dates in the future.

    Raises :class:`IdNumberError` naming the first problem found, checked in this
    order: empty, length, characters, birth date, future birth date, check character.
    """
    if not isinstance(raw, str):
        raise IdNumberError(
            f"身份证号应为文本，收到 {type(raw).__name__}",
            f"ID number must be text, got {type(raw).__name__}",
            code="characters",
        )
    s = _normalise(raw)
    if not s:
        raise IdNumberError("身份证号为空", "ID number is empty", code="empty")
    if _SCIENTIFIC.match(s):
        # Excel shows an 18-digit number stored as a number as 1.10105E+17 and has
        # already thrown away the last three digits: the data cannot be recovered.
        raise IdNumberError(
            f"「{raw.strip()}」是被 Excel 转成科学计数法的号码，后几位已丢失：请把该列设为文本格式后重新录入",
            f"'{raw.strip()}' was turned into scientific notation by Excel and its last digits are lost: "
            "format the column as Text and enter the numbers again",
            code="scientific",
        )
    if len(s) not in (15, 18):
        raise IdNumberError(
            f"身份证号应为 18 位（旧版 15 位），实际为 {len(s)} 位",
            f"ID number must have 18 characters (or 15 for the old format), got {len(s)}",
            code="length",
        )
    _check_characters(s)

    legacy = len(s) == 15
    first17 = s[:6] + "19" + s[6:] if legacy else s[:17]
    digits8 = first17[6:14]
    birth = _birth_date(digits8)
    reference = today or timeutil.now().date()
    if birth > reference:
        raise IdNumberError(
            f"出生日期 {birth.isoformat()} 晚于今天（{reference.isoformat()}）",
            f"birth date {birth.isoformat()} is in the future (today is {reference.isoformat()})",
            code="future",
        )

    expected = check_character(first17)
    if not legacy and s[17] != expected:
        raise IdNumberError(
            f"校验码应为 {expected}，但末位是 {s[17]}：请对照证件核对整个号码",
            f"check digit should be {expected} but the last character is {s[17]}: "
            "check the whole number against the ID card",
            code="checksum",
        )

    sequence = first17[14:17]
    return IdNumber(
        number=first17 + expected,
        region_code=first17[:6],
        birth_date=birth,
        gender="male" if int(sequence[2]) % 2 else "female",
        sequence=sequence,
        from_legacy=legacy,
    )


def _check_characters(s: str) -> None:
    """Digits only, except that an 18-character number may end in X (GB 11643-1999 §8.2)."""
    body = s[:17]
    if body.isascii() and body.isdigit() and (len(s) == 15 or s[17] in "0123456789X"):
        return
    for position, char in enumerate(s, start=1):
        if char.isascii() and char.isdigit():
            continue
        if char == "X" and position == 18:
            continue
        if position == 18:
            raise IdNumberError(
                f"末位「{char}」无效，只能是数字或 X",
                f"last character '{char}' is invalid: it must be a digit or X",
                code="characters",
            )
        only_last = "（只有 18 位号码的末位可以是 X）" if char == "X" else ""
        only_last_en = " (only the last character of an 18-character number may be X)" if char == "X" else ""
        raise IdNumberError(
            f"第 {position} 位「{char}」不是数字{only_last}",
            f"character {position} ('{char}') is not a digit{only_last_en}",
            code="characters",
        )


def _birth_date(digits8: str) -> date:
    try:
        return date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:8]))
    except ValueError:
        raise IdNumberError(
            f"出生日期 {digits8} 不是有效日期",
            f"birth date {digits8} is not a valid date",
            code="birth_date",
        ) from None


_GENDER_WORDS: dict[str, Gender] = {
    "男": "male",
    "男性": "male",
    "m": "male",
    "male": "male",
    "女": "female",
    "女性": "female",
    "f": "female",
    "female": "female",
}


def normalise_gender(value: str) -> Gender:
    """Map 男/女/male/female/M/F (any case, full-width allowed) to ``"male"``/``"female"``.

    Raises ``ValueError`` (bilingual message) for anything else.
    """
    key = unicodedata.normalize("NFKC", str(value)).strip().lower()
    try:
        return _GENDER_WORDS[key]
    except KeyError:
        raise ValueError(
            f"性别「{value}」无法识别，应为「男」或「女」"
            f" / gender '{value}' not recognised: use 男/女 or male/female"
        ) from None


_GENDER_ZH: dict[Gender, str] = {"male": "男", "female": "女"}


def check_consistency(
    idn: IdNumber | str,
    *,
    birth_date: date | str | None = None,
    gender: str | None = None,
) -> list[str]:
    """Return bilingual reasons why separately entered data disagrees with the number.

    Registration forms ask for gender and birth date next to the ID number; when they
    disagree one of them was mistyped, and the number (which carries a checksum) is
    usually the one to trust — but a person has to decide, so we only report.
    An empty list means consistent.  ``birth_date`` may be a date or ISO string,
    ``gender`` any spelling accepted by :func:`normalise_gender`.
    """
    parsed = idn if isinstance(idn, IdNumber) else parse_id_number(idn)
    reasons: list[str] = []
    if birth_date is not None:
        entered = _as_date(birth_date)
        if entered is None:
            reasons.append(f"出生日期「{birth_date}」无法识别 / birth date '{birth_date}' not recognised")
        elif entered != parsed.birth_date:
            reasons.append(
                f"出生日期 {entered.isoformat()} 与身份证号中的 {parsed.birth_date.isoformat()} 不符"
                f" / birth date {entered.isoformat()} does not match {parsed.birth_date.isoformat()}"
                " in the ID number"
            )
    if gender is not None:
        try:
            entered_gender = normalise_gender(gender)
        except ValueError as exc:
            reasons.append(str(exc))
        else:
            if entered_gender != parsed.gender:
                reasons.append(
                    f"性别「{_GENDER_ZH[entered_gender]}」与身份证号（{_GENDER_ZH[parsed.gender]}）不符"
                    f" / gender {entered_gender} does not match the ID number ({parsed.gender})"
                )
    return reasons


def _as_date(value: date | str) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def age_on(idn_or_birthdate: IdNumber | date | str, on: date) -> int:
    """Age in whole years on day ``on`` (the birthday itself counts as the new year).

    Accepts an :class:`IdNumber`, an ID number string, or a birth date.  Someone
    born on 29 February turns a year older on 1 March in common years.
    Raises ``ValueError`` if ``on`` is before the birth date.
    """
    if isinstance(idn_or_birthdate, IdNumber):
        born = idn_or_birthdate.birth_date
    elif isinstance(idn_or_birthdate, str):
        born = parse_id_number(idn_or_birthdate).birth_date
    elif isinstance(idn_or_birthdate, datetime):
        born = idn_or_birthdate.date()
    else:
        born = idn_or_birthdate
    if isinstance(on, datetime):
        on = on.date()
    if on < born:
        raise ValueError(
            f"日期 {on.isoformat()} 早于出生日期 {born.isoformat()} / {on.isoformat()} is before birth date "
            f"{born.isoformat()}"
        )
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def mask_id_number(value: IdNumber | str) -> str:
    """Mask an ID number for display, keeping only the first and the last character.

    ``4****************X``. Keeping more is not safe: the first 6 digits are the place of
    registration, 8 the birth date, 3 a sequence number and the last a check character, so
    "first 6 + last 4" beside a birth date (or an age) left only a few hundred candidates
    (issue 9). Never raises: an unparseable value is still masked (short values entirely),
    because masking is used when rendering and must not break a page.
    """
    s = value.number if isinstance(value, IdNumber) else _normalise(str(value))
    if len(s) <= 4:
        return "*" * len(s)
    return s[0] + "*" * (len(s) - 2) + s[-1]
