"""Index keys for one party, and the matching keys for a query.

Why keys: search has to be set-based SQL on an indexed (key_kind, key)
column, so every tolerance we want (spaces, traditional form, pinyin, word
order, IME fuzzy sounds, romanised typos, organisation short names and
one-character typos in organisation names) is turned into *exact* keys that
are written once when a party is added.  A query computes the mirrored keys
and the database does equality look-ups; only the few rows that come back
are scored in Python (see match.py).

Key kinds (short codes because there are ~6 rows per party):

====  =====================================================  ===========
kind  content                                               written for
====  =====================================================  ===========
id    normalised ID number (resident ID / USCC)              any party
nm    normalise_name() of every name                         any party
py    Han name's straight pinyin, per surname reading        person, Han
pys   Han name's sorted syllables                            person, Han
pyl   romanised name's sorted syllables (valid pinyin)       person, Latin
pyc   sorted syllables of one-edit corrections of a          person, Latin
      romanised name that is *not* valid pinyin (typo)
pyf   fuzzy-pinyin sorted key, names of >= 3 syllables       person
oc    org_core() of every name (>= 2 chars)                  org
dob   birth date ``YYYY-MM-DD``: the party's date-of-birth   person
      field, else the one written in their resident ID
ocd   SymSpell deletions of org_core() (core >= 4 chars)     org
====  =====================================================  ===========

中文：每个当事人写入若干“键”（证件号、规范化姓名、拼音、模糊音、企业核心名及其删除变体），
查询时生成对应键做等值查找。
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from . import pinyin as py
from .ids import birth_date_of_id
from .normalise import is_han_name, is_latin_name, normalise_id, normalise_name, org_core

PartyKind = Literal["person", "org"]

DOB = "dob"
ID, NAME, PY, PY_SORTED, PY_LATIN, PY_CORR, PY_FUZZY, ORG_CORE, ORG_DEL = (
    "id",
    "nm",
    "py",
    "pys",
    "pyl",
    "pyc",
    "pyf",
    "oc",
    "ocd",
)
# Near-spelling thresholds, see index.py for the reasoning and figures.
MIN_FUZZY_SYLLABLES = 3  # 2-character names get no fuzzy/near-spelling keys
MIN_CORE_FOR_TYPO = 4  # org cores shorter than this match exactly only
MIN_CORE = 2


@dataclass(frozen=True, slots=True)
class KeyRow:
    """One stored key: what it is and which stored name (source, position) produced it."""

    key_kind: str
    key: str
    source: str
    name_pos: int  # 0 = main name, 1.. = alias / former / short name, -1 = ID


@dataclass(frozen=True, slots=True)
class QueryKey:
    """One look-up: stored key kind to search, key value, and how it was derived."""

    key_kind: str
    key: str
    via: str  # derivation on the query side, drives rule classification
    query: str  # the query name / ID as given
    query_pos: int


def deletions(s: str) -> set[str]:
    """All strings with one character deleted (SymSpell distance-1 keys)."""
    return {s[:i] + s[i + 1 :] for i in range(len(s))}


def _person_name_rows(name: str, pos: int) -> list[KeyRow]:
    norm = normalise_name(name)
    rows = [KeyRow(NAME, norm, name, pos)]
    if is_han_name(norm):
        for sylls in py.han_syllables(norm):
            rows.append(KeyRow(PY, "".join(sylls), name, pos))
            rows.append(KeyRow(PY_SORTED, py.sorted_key(sylls), name, pos))
            if len(sylls) >= MIN_FUZZY_SYLLABLES:
                rows.append(KeyRow(PY_FUZZY, py.fuzzy_key(sylls), name, pos))
    elif is_latin_name(name):
        latin = py.latin_syllables(name)
        if latin:
            sylls = latin
            rows.append(KeyRow(PY_LATIN, py.sorted_key(sylls), name, pos))
            if len(sylls) >= MIN_FUZZY_SYLLABLES:
                rows.append(KeyRow(PY_FUZZY, py.fuzzy_key(sylls), name, pos))
        # Typo-looking romanisations (see pinyin.latin_corrections) also get
        # the keys of their one-edit corrections.
        for fixed in py.latin_corrections(name):
            rows.append(KeyRow(PY_CORR, py.sorted_key(fixed), name, pos))
    return rows


def _org_name_rows(name: str, pos: int) -> list[KeyRow]:
    rows = [KeyRow(NAME, normalise_name(name), name, pos)]
    core = org_core(name)
    if len(core) >= MIN_CORE:
        rows.append(KeyRow(ORG_CORE, core, name, pos))
    if len(core) >= MIN_CORE_FOR_TYPO:
        rows.extend(KeyRow(ORG_DEL, d, name, pos) for d in sorted(deletions(core)))
    return rows


def birth_key(kind: PartyKind, id_number: str | None, birth_date: str | None) -> str | None:
    """A person's birth date as a key: the date given, else the one in their resident ID."""
    if kind != "person":
        return None
    return birth_date or birth_date_of_id(id_number)


def party_key_rows(kind: PartyKind, names: list[str], id_number: str | None,
                   birth_date: str | None = None) -> list[KeyRow]:
    """Key rows to store for one party, de-duplicated (first = main name wins)."""
    rows: list[KeyRow] = []
    nid = normalise_id(id_number)
    if nid:
        rows.append(KeyRow(ID, nid, id_number or nid, -1))
    dob = birth_key(kind, id_number, birth_date)
    if dob:
        rows.append(KeyRow(DOB, dob, dob, -2))
    build = _person_name_rows if kind == "person" else _org_name_rows
    for pos, name in enumerate(names):
        if name and name.strip():
            rows.extend(build(name, pos))
    seen: set[tuple[str, str]] = set()
    out: list[KeyRow] = []
    for r in rows:
        if r.key and (r.key_kind, r.key) not in seen:
            seen.add((r.key_kind, r.key))
            out.append(r)
    return out


def party_keys(kind: PartyKind, names: list[str], id_number: str | None) -> list[tuple[str, str]]:
    """(key_kind, key) pairs to store for one party; names[0] is the main name."""
    return [(r.key_kind, r.key) for r in party_key_rows(kind, names, id_number)]


def _person_query(name: str, pos: int) -> list[QueryKey]:
    norm = normalise_name(name)
    out = [QueryKey(NAME, norm, "name", name, pos)]

    def q(kind: str, key: str, via: str) -> None:
        out.append(QueryKey(kind, key, via, name, pos))

    if is_han_name(norm):
        for sylls in py.han_syllables(norm):
            q(PY, "".join(sylls), "han_py")  # homophones
            q(PY_LATIN, py.sorted_key(sylls), "han_sorted")  # stored romanised
            q(PY_CORR, py.sorted_key(sylls), "han_sorted")  # stored romanised typo
            if len(sylls) >= MIN_FUZZY_SYLLABLES:
                q(PY_FUZZY, py.fuzzy_key(sylls), "fuzzy")
    elif is_latin_name(name):
        latin = py.latin_syllables(name)
        if latin:
            sylls = latin
            key = py.sorted_key(sylls)
            q(PY_SORTED, key, "latin_sorted")
            q(PY_LATIN, key, "latin_sorted")
            if len(sylls) >= MIN_FUZZY_SYLLABLES:
                q(PY_FUZZY, py.fuzzy_key(sylls), "fuzzy")
        for fixed in py.latin_corrections(name):
            key = py.sorted_key(fixed)
            q(PY_SORTED, key, "latin_corr")
            q(PY_LATIN, key, "latin_corr")
    return out


def _org_query(name: str, pos: int) -> list[QueryKey]:
    out = [QueryKey(NAME, normalise_name(name), "name", name, pos)]
    core = org_core(name)
    if len(core) >= MIN_CORE:
        out.append(QueryKey(ORG_CORE, core, "core", name, pos))
    if len(core) >= MIN_CORE_FOR_TYPO:
        out.append(QueryKey(ORG_DEL, core, "core_typo", name, pos))  # stored has one more char
        for d in sorted(deletions(core)):
            out.append(QueryKey(ORG_DEL, d, "core_typo", name, pos))  # substitution / swap
            if len(d) >= MIN_CORE_FOR_TYPO:
                out.append(QueryKey(ORG_CORE, d, "core_typo", name, pos))  # stored has one less
    return out


def query_keys(kind: PartyKind, names: list[str], id_number: str | None,
               birth_date: str | None = None) -> list[QueryKey]:
    """Look-ups for a search, mirroring party_key_rows()."""
    out: list[QueryKey] = []
    nid = normalise_id(id_number)
    if nid:
        out.append(QueryKey(ID, nid, "id", id_number or nid, -1))
    dob = birth_key(kind, id_number, birth_date)
    if dob:
        out.append(QueryKey(DOB, dob, "dob", dob, -2))
    build = _person_query if kind == "person" else _org_query
    for pos, name in enumerate(names):
        if name and name.strip():
            out.extend(build(name, pos))
    return out
