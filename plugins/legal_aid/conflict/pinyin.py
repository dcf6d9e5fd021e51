"""Pinyin helpers for name matching (toneless, built on pypinyin).

Why this module exists: pypinyin turns Han characters into syllables, but a
conflict check also has to read *romanised* input typed by people ("Zhang San",
"zhangsan", "San Zhang", "Zhang Sna").  For that we need the set of valid
syllables (taken from pypinyin's own dictionary, not hand-typed), a segmenter
for Latin strings, an order-insensitive key, an IME "fuzzy pinyin" key and a
generator of one-edit corrections for romanised typos.

中文说明：本模块负责拼音相关的规范化（无声调），包括拉丁字母拼音的切分、
排序音节键、模糊音键（z/zh、c/ch、s/sh、n/l、-n/-ng）以及拼写错误的候选纠正。
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import lru_cache

# pypinyin is imported where it is used: its phrase dictionary takes ~0.4 s to load, which every
# ``volunteer`` command and worker start would otherwise pay before any name is matched.

# Syllables without a vowel (m, n, ng, hm, hng, ê) are interjections; allowing
# them would let almost any consonant cluster "segment" as pinyin.
_NON_NAME_SYLLABLES = frozenset({"hm", "hng", "m", "n", "ng", "ê"})
# Passport spellings of ü after l/n (吕 = LYU since 2012) and pypinyin's "v".
_U_VARIANTS = {"lyu": "lu", "nyu": "nu", "lyue": "lue", "nyue": "nue"}
_MAX_SYLLABLE = 6  # zhuang, shuang, chuang


def canonical_syllable(s: str) -> str:
    """Fold ü spellings (lv, lü, lyu) onto plain u so romanisations agree."""
    s = s.replace("ü", "u").replace("v", "u")
    return _U_VARIANTS.get(s, s)


@lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    """All toneless syllables known to pypinyin, canonicalised (≈410)."""
    import pypinyin.pinyin_dict as pd
    from pypinyin.contrib.tone_convert import to_normal

    out: set[str] = set()
    for value in set(pd.pinyin_dict.values()):
        for reading in value.split(","):
            syl = to_normal(reading)
            if syl not in _NON_NAME_SYLLABLES:
                out.add(canonical_syllable(syl))
    out.update(_U_VARIANTS)  # accept lyu/nyu as typed, canonicalised later
    return frozenset(out)


@lru_cache(maxsize=1)
def _pinyin_word() -> re.Pattern[str]:
    """Regex accepting exactly the tokens segment() accepts (C-speed pre-filter).

    One syllable, then syllables that do not start with a vowel (the
    apostrophe rule); alternatives longest first.
    """
    syl = sorted(syllables(), key=len, reverse=True)
    cons = [x for x in syl if x[0] not in "aoe"]
    return re.compile(f"(?:{'|'.join(syl)})(?:{'|'.join(cons)})*")


def is_han_char(ch: str) -> bool:
    """CJK unified ideograph (basic block + extension A)."""
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2EBEF


@lru_cache(maxsize=65536)
def char_readings(ch: str) -> tuple[str, ...]:
    """Toneless readings of one Han character, default reading first.

    Cached per character: names are not phrases, so per-character readings
    are what we want, and the cache makes bulk indexing ~20x faster than
    calling lazy_pinyin on every whole name.
    """
    from pypinyin import Style, lazy_pinyin, pinyin

    default = canonical_syllable(lazy_pinyin(ch, style=Style.NORMAL)[0])
    others = [canonical_syllable(r) for r in pinyin(ch, style=Style.NORMAL, heteronym=True)[0]]
    return tuple(dict.fromkeys([default, *others]))


def han_syllables(name: str, surname_readings: int = 3) -> list[list[str]]:
    """Syllable lists for a normalised all-Han name.

    The first list uses default readings.  Surname characters are notoriously
    polyphonic (曾 zeng/ceng, 单 shan/dan, 解 xie/jie), so further lists vary
    the first character over up to ``surname_readings`` readings.
    """
    base = [char_readings(c)[0] for c in name]
    out = [base]
    for alt in char_readings(name[0])[1:surname_readings]:
        out.append([alt, *base[1:]])
    return out


def latin_letters(s: str) -> str:
    """Lower-case ASCII letters only (tone marks and ü folded): 'Zhāng Sān' -> 'zhangsan'."""
    decomposed = unicodedata.normalize("NFKD", s.casefold())
    return "".join(c for c in decomposed if c in string.ascii_lowercase)


def latin_tokens(s: str) -> list[str]:
    """Split romanised input on anything that is not a letter (spaces, ', -, ·)."""
    decomposed = unicodedata.normalize("NFKD", s.casefold())
    tokens: list[str] = []
    cur: list[str] = []
    for c in decomposed:
        if c in string.ascii_lowercase:
            cur.append(c)
        elif unicodedata.category(c) == "Mn":
            continue  # tone mark / diaeresis
        elif cur:
            tokens.append("".join(cur))
            cur = []
    if cur:
        tokens.append("".join(cur))
    return tokens


@lru_cache(maxsize=200_000)
def segment(token: str) -> tuple[str, ...] | None:
    """Split one letters-only token into pinyin syllables, or None.

    Follows the pinyin apostrophe rule: inside a word, a syllable starting
    with a, o or e must be preceded by an apostrophe, so without one it
    cannot start mid-token ("xian" is xian, not xi'an).  Among the remaining
    segmentations the one with the fewest syllables wins, then the one with
    the longest leading syllables, which makes the result deterministic.
    """
    syl = syllables()
    n = len(token)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for i in range(n):
        prev = best[i]
        if prev is None:
            continue
        for j in range(i + 1, min(n, i + _MAX_SYLLABLE) + 1):
            piece = token[i:j]
            if piece not in syl or (i > 0 and piece[0] in "aoe"):
                continue
            cand = (*prev, canonical_syllable(piece))
            cur = best[j]
            if cur is None or len(cand) < len(cur) or (len(cand) == len(cur) and _longer_first(cand, cur)):
                best[j] = cand
    return best[n]


def _longer_first(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Tie-break between equally short segmentations: longest syllables first (min+yu, not mi+nyu)."""
    return [len(x) for x in a] > [len(x) for x in b]


def latin_syllables(s: str) -> list[str] | None:
    """Syllables of romanised input, or None when it is not valid pinyin."""
    tokens = latin_tokens(s)
    if not tokens:
        return None
    out: list[str] = []
    for tok in tokens:
        seg = segment(tok)
        if seg is None:
            return None
        out.extend(seg)
    return out


def fuzzy_syllable(s: str) -> str:
    """IME 'fuzzy pinyin' (模糊音): zh=z, ch=c, sh=s, n=l, -ng=-n.

    These are the confusions every mainstream pinyin IME offers as an
    option, i.e. the commonest way a Chinese name is mistyped or misheard.
    """
    for a, b in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if s.startswith(a):
            s = b + s[2:]
            break
    if s.startswith("n"):
        s = "l" + s[1:]
    if s.endswith("ng"):
        s = s[:-1]
    return s


def sorted_key(sylls: list[str]) -> str:
    """Order-insensitive key: 'San Zhang' and 张三 both give 'sanzhang'."""
    return "".join(sorted(sylls))


def fuzzy_key(sylls: list[str]) -> str:
    """Order-insensitive fuzzy-pinyin key."""
    return "".join(sorted(fuzzy_syllable(s) for s in sylls))


def _edits1(word: str) -> list[str]:
    """Norvig's one-edit variants, ordered by how few candidates each edit type makes.

    Swaps and deletions (n each) come before insertions and replacements
    (26n each), so that a cap on the number of corrections never drops the
    few cheap, likely ones ("xai" -> "xia").
    """
    letters = string.ascii_lowercase
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    deletes = [a + b[1:] for a, b in splits if b]
    inserts = [a + c + b for a, b in splits for c in letters]
    replaces = [a + c + b[1:] for a, b in splits if b for c in letters if c != b[0]]
    return [w for w in dict.fromkeys(transposes + deletes + inserts + replaces) if w != word]


def latin_corrections(s: str, max_out: int = 30) -> list[list[str]]:
    """One-edit corrections of romanised input that looks mistyped.

    Used for typos such as "Zhang Sna" -> zhang san / zhang sha / zhang na.
    A token is corrected when it does not segment as pinyin (exactly one such
    token, the typo is in it), or when a given-name token starts with a
    vowel ("Zhang Ei", "Wu Aneng"): zero-initial syllables are rare in given
    names and are what a dropped initial consonant leaves.  The letters glued
    together are also tried ("Zha Ngsan").  Ordinary valid pinyin returns []
    on purpose: "Zhang Lei" is a different name from "Zhang Wei", not a typo
    of it.
    """
    tokens = latin_tokens(s)
    if not tokens:
        return []
    segs = [segment(t) for t in tokens]
    bad = [i for i, sg in enumerate(segs) if sg is None]
    if bad:
        targets = bad if len(bad) == 1 else []
    else:
        targets = [i for i in range(1, len(tokens)) if tokens[i][0] in "aoe"]
        if not targets:
            return []
    out: list[list[str]] = []
    glued = segment("".join(tokens))
    if bad and glued is not None:
        out.append(list(glued))
    for i in targets:
        if len(tokens[i]) > 12:
            continue
        fixed: list[tuple[str, ...]] = []
        word = _pinyin_word()
        cands = _edits1(tokens[i])
        if not bad:  # vowel-initial token: the slip is most likely in its first letter
            tok = tokens[i]
            cands.sort(key=lambda w: 0 if w[1:] in (tok, tok[1:]) else 1)
        for cand in cands:
            sg = segment(cand) if word.fullmatch(cand) else None
            if sg is not None:
                fixed.append(sg)
            if len(fixed) >= max_out:
                break
        for sg in fixed:
            sylls: list[str] = []
            for j, other in enumerate(segs):
                sylls.extend(sg if j == i else other or ())
            out.append(sylls)
    return out
