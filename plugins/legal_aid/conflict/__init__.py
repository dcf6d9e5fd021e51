"""Conflict-of-interest matching for the legal-aid plan type (利益冲突检索).

Finds parties (clients, adverse and related parties, lawyers' declared
interests) that may be the same person or organisation as a query: same ID
number, same name up to spacing/width/traditional form, pinyin spellings,
near spellings, organisation short and former names.  See index.py for the
design of the near-spelling search and match.py for rules and scores.
"""

from .index import ConflictIndex, PartyRecord
from .keys import party_keys
from .match import RULES, Hit
from .normalise import normalise_id, normalise_name, org_core, pinyin_key, pinyin_sorted_key

__all__ = [
    "RULES",
    "ConflictIndex",
    "Hit",
    "PartyRecord",
    "normalise_id",
    "normalise_name",
    "org_core",
    "party_keys",
    "pinyin_key",
    "pinyin_sorted_key",
]
