"""Mainland China mobile numbers.

Volunteers are reached by SMS for shift changes and emergencies, so only mobile
numbers are useful here: 11 digits starting ``1[3-9]`` (the ranges the MIIT has
allocated to mobile networks).  Landlines are rejected on purpose so that the
problem is fixed at registration, not discovered when an SMS bounces.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["PhoneError", "mask_phone", "normalise_mobile"]

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Separators people type or that spreadsheets add; removed before checking.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—().]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


class PhoneError(ValueError):
    """A value that is not a mainland mobile number.

    Like :class:`engine.people.idcard.IdNumberError` it keeps ``zh`` and ``en``
    separately; ``str(error)`` is ``"<zh> / <en>"``.
    """

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


def normalise_mobile(raw: str) -> str:
    """Return the bare 11-digit mobile number or raise :class:`PhoneError`.

    Full-width digits are folded (NFKC); spaces, dashes, dots and brackets are
    dropped; a ``+86``, ``0086`` or ``86`` country prefix is removed.
    """
    text = unicodedata.normalize("NFKC", str(raw)).translate(_INVISIBLE).strip()
    shown = text
    digits = _SEPARATORS.sub("", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if not digits:
        raise PhoneError("手机号为空", "mobile number is empty")
    if not (digits.isascii() and digits.isdigit()):
        raise PhoneError(
            f"手机号「{shown}」含有非数字字符",
            f"mobile number '{shown}' contains characters other than digits",
        )
    if len(digits) != 11:
        raise PhoneError(
            f"手机号应为 11 位，「{shown}」为 {len(digits)} 位",
            f"a mobile number has 11 digits, '{shown}' has {len(digits)}",
        )
    if not _MOBILE.match(digits):
        raise PhoneError(
            f"「{shown}」不是大陆手机号（应以 13–19 开头）",
            f"'{shown}' is not a mainland mobile number (must start with 13-19)",
        )
    return digits


def mask_phone(value: str) -> str:
    """Mask a phone number for display: ``138****5678``.

    Never raises: a value that is not a valid mobile is masked as well as possible
    (first 3 and last 4 digits kept when at least 8 remain, otherwise all masked),
    because masking runs while rendering and must not break a page.
    """
    try:
        digits = normalise_mobile(value)
    except PhoneError:
        digits = _SEPARATORS.sub("", unicodedata.normalize("NFKC", str(value)))
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
