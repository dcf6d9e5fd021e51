"""Pure normalisation functions for conflict-of-interest matching.

Why: every comparison in the index is an *equality* on a precomputed key, so
all tolerance for spaces, full-width forms, traditional characters, pinyin,
legal-form suffixes and ID formatting has to be folded into these functions.
They are deterministic and side-effect free so that keys written today match
keys computed for a query tomorrow.  Libraries do the heavy lifting:
unicodedata (NFKC), OpenCC (t2s), pypinyin (readings).

中文：规范化函数——全角/半角（NFKC）、空格与间隔号、繁转简（OpenCC t2s）、
大小写、拼音键、企业名称核心部分、证件号。
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

from . import pinyin as py
from .ids import normalise_id as _normalise_id
from .orgnames import LATIN_LEGAL_FORMS, LEGAL_FORMS, REGION_SUFFIXES, REGIONS

__all__ = [
    "is_han_name",
    "is_latin_name",
    "name_syllables",
    "normalise_id",
    "normalise_name",
    "org_core",
    "pinyin_key",
    "pinyin_sorted_key",
    "surface_form",
]

# Middle dots used in transliterated names (迈克尔·乔丹) in their various code points.
_DOTS = "·•‧∙⋅・･"
_STRIP = re.compile(r"[\s" + _DOTS + "]+")
_PARENS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def surface_form(s: str) -> str:
    """NFKC + whitespace/dot removal + casefold, *without* t2s.

    Used to tell an exact_name hit from a traditional_form hit: both have the
    same normalise_name(), only the exact one has the same surface form.
    """
    return _STRIP.sub("", unicodedata.normalize("NFKC", s)).casefold()


@lru_cache(maxsize=262_144)
def normalise_name(s: str) -> str:
    """NFKC, strip whitespace and middle dots, traditional -> simplified, casefold.

    '張 偉', 'ｚｈａｎｇ　ｗｅｉ' and '张伟' reduce to the forms they share.
    """
    converted: str = _t2s().convert(surface_form(s))
    return converted.casefold()


def is_han_name(norm: str) -> bool:
    """All characters are Han ideographs (the input to pinyin keys)."""
    return bool(norm) and all(py.is_han_char(c) for c in norm)


def is_latin_name(s: str) -> bool:
    """Input consists of letters a-z (any case/width/tone marks) and separators."""
    return bool(py.latin_letters(s)) and not any(
        c.isalnum() and not ("a" <= c <= "z")
        for c in unicodedata.normalize("NFKD", s.casefold())
        if unicodedata.category(c) != "Mn"
    )


def name_syllables(s: str) -> list[list[str]]:
    """Syllable lists for a person name (several for polyphonic surnames); [] if none.

    Han names use pypinyin readings; Latin input is segmented as pinyin.
    """
    norm = normalise_name(s)
    if is_han_name(norm):
        return py.han_syllables(norm)
    if is_latin_name(s):
        sylls = py.latin_syllables(s)
        return [sylls] if sylls else []
    return []


def pinyin_key(s: str) -> str | None:
    """Toneless pinyin joined: 张三 -> 'zhangsan'; 'Zhang San' -> 'zhangsan'.

    A Han name uses default readings; Latin input is taken as pinyin and
    reduced to its lower-case letters.  None for anything else (mixed
    scripts, digits), where a pinyin comparison would be meaningless.
    """
    norm = normalise_name(s)
    if is_han_name(norm):
        return "".join(py.han_syllables(norm, surname_readings=1)[0])
    if is_latin_name(s):
        return py.latin_letters(s) or None
    return None


def pinyin_sorted_key(s: str) -> str | None:
    """Order-insensitive pinyin key so that 'San Zhang' matches 张三 ('sanzhang').

    None if the input is not a Han name and does not segment as pinyin.
    """
    variants = name_syllables(s)
    return py.sorted_key(variants[0]) if variants else None


def _strip_region(core: str) -> str:
    for region in REGIONS:
        if core.startswith(region):
            rest = core[len(region) :]
            for suffix in REGION_SUFFIXES:
                if rest.startswith(suffix):
                    rest = rest[len(suffix) :]
                    break
            return rest if len(rest) >= 2 else core
    return core


@lru_cache(maxsize=131_072)
def org_core(s: str) -> str:
    """The comparable part of an organisation name: 字号 + 行业.

    北京某某科技有限公司 -> 某某科技; 某某科技(北京)有限公司 -> 某某科技;
    'Acme Trading Co., Ltd.' -> 'acmetrading'.  Strips parenthesised parts
    (regions, 普通合伙 ...), legal-form suffixes (repeatedly: 集团有限公司)
    and one leading region name.  Never strips down to fewer than two
    characters, so a name that *is* a suffix stays comparable only exactly.
    """
    text = unicodedata.normalize("NFKC", s).casefold()
    text = _PARENS.sub(" ", text)
    # Latin legal forms: whole trailing words only.
    words = re.findall(r"[^\W_]+", text)
    while len(words) > 1 and words[-1] in LATIN_LEGAL_FORMS:
        words.pop()
    core = normalise_name("".join(words))
    while True:
        suffix = next((x for x in LEGAL_FORMS if core.endswith(x)), None)
        if suffix is None or len(core) - len(suffix) < 2:
            break
        core = core[: -len(suffix)]
    return _strip_region(core)


def normalise_id(s: str | None) -> str | None:
    """Canonical ID number (see ids.normalise_id): 'x' -> 'X', 15 -> 18 digits."""
    return _normalise_id(s)
