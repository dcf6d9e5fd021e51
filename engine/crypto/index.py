"""Blind index: a keyed HMAC of a normalised value, for exact lookups and duplicate detection of
encrypted values without decrypting anything. Without the index key (kept outside the database,
``engine/crypto/keys.py``) the index cannot be reversed by trying every birth date and sequence
number, which an unkeyed or salted hash of an ID number can (issue 9)."""

from __future__ import annotations

import hashlib
import hmac

from engine.crypto.keys import get_keyring

INDEX_LENGTH = 64  # hex characters of HMAC-SHA256


def blind_index(value: str, purpose: str) -> str:
    """``purpose`` separates indexes of different kinds (an ID number and a phone with equal text
    get different indexes). The value is stripped and upper-cased (an ID number's check letter)."""
    return keyed_digest(value, purpose).hex()


def keyed_digest(value: str, purpose: str) -> bytes:
    """The raw HMAC, for callers building their own scheme on the same key (e.g. export matching)."""
    msg = purpose.encode("ascii") + b"\x00" + value.strip().upper().encode("utf-8")
    return hmac.new(get_keyring().index_key, msg, hashlib.sha256).digest()
