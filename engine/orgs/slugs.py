"""A URL-safe slug for an organisation name: pinyin for Chinese, lower case, hyphens (used by the
migration from today's ``organisation: {name: …}`` too, so it must stay a pure function)."""

from __future__ import annotations

import hashlib
import re

SLUG_RE = r"^[a-z0-9][a-z0-9-]{0,62}$"


def slug_for(name: str) -> str:
    """``测试志愿服务站`` → ``ce-shi-zhi-yuan-fu-wu-zhan`` (at most 63 characters, never empty)."""
    from pypinyin import lazy_pinyin  # loaded on first use: its dictionaries take ~0.4 s

    words = lazy_pinyin(name.strip())
    text = "-".join(re.sub(r"[^a-z0-9]+", "-", w.lower()).strip("-") for w in words)
    text = re.sub(r"-{2,}", "-", text).strip("-")
    if not text:
        return "org-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
    if len(text) > 63:
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        text = text[:54].rstrip("-") + "-" + digest
    return text
