"""ID numbers: resident ID (GB 11643-1999) and unified social credit code (GB 32100-2015).

Why: the same person or organisation must be found whatever way the number
was typed (lower-case x, spaces, full-width digits, the pre-1999 15-digit
form).  Normalising to one canonical 18-character string lets the index use
plain equality on an indexed column.

中文：身份证号（含末位 X/x、15 位旧号升 18 位）与统一社会信用代码的规范化与校验。
"""

from __future__ import annotations

import re
import unicodedata

_RID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RID_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SEPARATORS = re.compile(r"[\s\-_./]+")


def resident_id_check(first17: str) -> str:
    """GB 11643 check character (ISO 7064 MOD 11-2) for 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _RID_WEIGHTS, strict=True))
    return _RID_CHECK[total % 11]


def uscc_check(first17: str) -> str:
    """GB 32100 check character (MOD 31) for the first 17 characters."""
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def is_valid_resident_id(s: str) -> bool:
    """True for an 18-character resident ID with a correct check character."""
    return bool(re.fullmatch(r"\d{17}[\dX]", s)) and resident_id_check(s[:17]) == s[17]


def is_valid_uscc(s: str) -> bool:
    """True for an 18-character unified social credit code with a correct check character."""
    return len(s) == 18 and all(c in _USCC_CHARS for c in s) and uscc_check(s[:17]) == s[17]


def upgrade_15(s: str) -> str:
    """Old 15-digit resident ID -> 18 digits: insert century '19', add check digit.

    15-digit numbers were issued before 1999 with a two-digit birth year,
    all in the 1900s, so the century is always 19.
    """
    first17 = s[:6] + "19" + s[6:]
    return first17 + resident_id_check(first17)


def normalise_id(s: str | None) -> str | None:
    """Canonical form of an ID number, or None for empty input.

    NFKC (full-width digits), drop separators, upper-case (x -> X), and
    upgrade a 15-digit resident ID.  Numbers that fail their checksum are
    kept as typed (normalised): exact equality is still evidence, and
    rejecting them would hide a conflict behind a data-entry error.
    """
    if s is None:
        return None
    t = _SEPARATORS.sub("", unicodedata.normalize("NFKC", s)).upper()
    if not t:
        return None
    if len(t) == 15 and t.isdigit():
        return upgrade_15(t)
    return t


def birth_date_of_id(s: str | None) -> str | None:
    """The birth date (``YYYY-MM-DD``) written in a resident ID number (GB 11643: digits 7-14), or None
    for an organisation code or a number without a plausible date."""
    n = normalise_id(s)
    if not n or not re.fullmatch(r"\d{17}[\dX]", n):
        return None
    y, m, d = int(n[6:10]), int(n[10:12]), int(n[12:14])
    if not (1900 <= y <= 2100 and 1 <= m <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"
