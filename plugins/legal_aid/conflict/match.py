"""Rule classification and scoring of candidate rows (pure Python, small sets).

The scoring helpers are pure functions of (query string, stored string) and
are memoised: a common name arrives as hundreds of rows sharing one stored
spelling (463 stored 张伟 at 1M), which need scoring once.

Why separate from the index: the SQL side only finds rows whose keys are
equal to a query key; *which* rule that equality stands for, whether a
near-spelling candidate really is within one edit, and how close it is are
decided here, on a few dozen rows at most, with rapidfuzz.

Scores (0-100) are ordered so that stronger evidence always wins for a
party that matched several ways:

=================  =======  ===============================================
rule               score    meaning
=================  =======  ===============================================
id_number          100      same resident ID / USCC after normalisation
exact_name         100      same main name after NFKC/space/case folding
traditional_form   98       same only after OpenCC t2s (張偉 = 张伟)
alias / org_alias  93-95    same name where one side is an alias, former or
                            short name registered for the party
pinyin             92       romanised spelling equals the Han name's pinyin
                            (any syllable order): Zhang Xiaoming = 张小明
pinyin             85-89    Han homophone (张晓明 / 张小明): same toneless
                            pinyin, different characters; higher when more
                            characters agree
org_short_name     90       same organisation core (字号+行业) after
                            stripping region and legal form
birth_date         96       (corroborated) a name rule above *and* the same
                            birth date: the name's rule is kept, the score raised
birth_date         50       the same birth date alone (party field or the one
                            in a resident ID): a low "review" tier, never blocks
near_spelling      60-84    one edit: romanised typo (Zhang Sna), IME fuzzy
                            sound on >= 3 syllables (张三丰 / 张山丰), or one
                            character in an organisation core of >= 4 chars
=================  =======  ===============================================

中文：根据命中的键判断规则（证件号、同名、繁简、别名、拼音、近似拼写、企业简称/曾用名）并打分。
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from . import pinyin as py
from .keys import DOB, ID, NAME, ORG_CORE, ORG_DEL, PY, PY_CORR, PY_FUZZY, PY_LATIN, PY_SORTED, QueryKey
from .normalise import is_han_name, name_syllables, normalise_name, org_core, surface_form

RULES: tuple[str, ...] = (
    "id_number",
    "exact_name",
    "traditional_form",
    "alias",
    "org_alias",
    "org_short_name",
    "pinyin",
    "near_spelling",
    "birth_date",
)
PRECEDENCE = {r: i for i, r in enumerate(RULES)}
DOB_ALONE = 50.0  # the review tier: below every name rule, reported for a person to look at
DOB_CORROBORATED = 96.0  # a name rule plus the same birth date: as strong as an alias


@dataclass(frozen=True, slots=True)
class Hit:
    """One party that matched a search.

    party_ref: the caller's opaque reference ("party:123", "declaration:45").
    rule: which rule matched (see RULES).  score: 0-100, higher is closer.
    matched: the stored name or ID that matched, as it was stored.
    query: the query name or ID that matched it, as given.
    display_name: the label stored with the party (not part of matching).
    """

    party_ref: str
    rule: str
    score: float
    matched: str
    query: str
    display_name: str = ""
    corroborated: bool = False  # the same birth date as well as a name rule


def _near(sim: float) -> float:
    """Map a 0-1 similarity onto the near_spelling band 60-84."""
    return round(60.0 + 24.0 * sim, 1)


def _orderings(sylls: list[str]) -> list[str]:
    """Surname-first and surname-last spellings of a syllable list."""
    return ["".join(sylls), "".join(sylls[1:] + sylls[:1])]


@lru_cache(maxsize=65_536)
def _latin_typo_score(query: str, source: str) -> float | None:
    letters = py.latin_letters(query)
    best = 0.0
    for sylls in name_syllables(source) or [[py.latin_letters(source)]]:
        for spelled in _orderings(sylls):
            best = max(best, OSA.normalized_similarity(letters, spelled))
    return _near(best) if best > 0 else None


@lru_cache(maxsize=65_536)
def _fuzzy_score(query: str, source: str) -> float | None:
    """Verify a fuzzy-pinyin candidate: at most one syllable (and character) differs."""
    qn, sn = normalise_name(query), normalise_name(source)
    if is_han_name(qn) and is_han_name(sn):
        if len(qn) != len(sn):
            return None
        if sum(a != b for a, b in zip(qn, sn, strict=True)) > 1 and sorted(qn) != sorted(sn):
            return None
    best: float | None = None
    for qs in name_syllables(query):
        for ss in name_syllables(source):
            diff = Counter(qs) - Counter(ss)
            if len(qs) != len(ss) or sum(diff.values()) > 1:
                continue
            sim = OSA.normalized_similarity(py.sorted_key(qs), py.sorted_key(ss))
            best = max(best or 0.0, _near(sim))
    return best


@lru_cache(maxsize=65_536)
def _homophone_score(query: str, source: str) -> float:
    """85-89: same sound, more agreeing characters score higher."""
    return round(85.0 + 4.0 * fuzz.ratio(normalise_name(query), normalise_name(source)) / 100.0, 1)


@lru_cache(maxsize=65_536)
def _core_typo_score(query: str, source: str, min_len: int) -> float | None:
    qc, sc = org_core(query), org_core(source)
    if min(len(qc), len(sc)) < min_len or OSA.distance(qc, sc) > 1:
        return None
    return _near(OSA.normalized_similarity(qc, sc))


def classify(
    qk: QueryKey, key_kind: str, source: str, name_pos: int, org: bool, min_core_typo: int
) -> tuple[str, float] | None:
    """Rule and score for one candidate row, or None if it does not qualify."""
    via = qk.via
    alias_rule = "org_alias" if org else "alias"
    if key_kind == ID:
        return "id_number", 100.0
    if key_kind == DOB:
        return "birth_date", DOB_ALONE
    if key_kind == NAME:
        exact = surface_form(qk.query) == surface_form(source)
        if name_pos > 0 or qk.query_pos > 0:
            return alias_rule, 95.0 if exact else 93.0
        return ("exact_name", 100.0) if exact else ("traditional_form", 98.0)
    if key_kind == ORG_CORE and via == "core":
        return (alias_rule if name_pos > 0 or qk.query_pos > 0 else "org_short_name"), 90.0
    if key_kind in (ORG_CORE, ORG_DEL):  # core_typo
        score = _core_typo_score(qk.query, source, min_core_typo)
        return ("near_spelling", score) if score is not None else None
    if key_kind == PY:  # Han homophone
        return "pinyin", _homophone_score(qk.query, source)
    if key_kind in (PY_SORTED, PY_LATIN) and via in ("latin_sorted", "han_sorted"):
        return "pinyin", 92.0
    if key_kind in (PY_SORTED, PY_LATIN, PY_CORR):  # romanised typo, either side
        typo_side, other = (qk.query, source) if via == "latin_corr" else (source, qk.query)
        score = _latin_typo_score(typo_side, other)
        return ("near_spelling", score) if score is not None else None
    if key_kind == PY_FUZZY:
        score = _fuzzy_score(qk.query, source)
        return ("near_spelling", score) if score is not None else None
    return None


def better(a: Hit, b: Hit) -> bool:
    """True if a is stronger evidence than b for the same party."""
    return (a.score, -PRECEDENCE[a.rule]) > (b.score, -PRECEDENCE[b.rule])


def sort_key(h: Hit) -> tuple[float, int, str]:
    """Best first; ties by rule strength, then party_ref for stable output."""
    return (-h.score, PRECEDENCE[h.rule], h.party_ref)
