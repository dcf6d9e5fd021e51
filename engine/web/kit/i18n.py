"""Translations for the pages: gettext catalogues under ``engine/web/locale`` (Chinese first,
English alongside as the source language of the message ids).

The compiled ``.mo`` files are committed next to their ``.po`` sources, so an installed wheel
needs no build step; ``tests/engine/web/test_i18n.py`` fails when a ``.mo`` is out of date or a
message used in a template or page module is missing from a catalogue (``make i18n`` refreshes
them with pybabel).
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

from starlette.requests import Request

LOCALE_DIR = Path(__file__).parents[1] / "locale"
LOCALES = ("zh_Hans", "en")  # the first is the default
LABELS = {"zh_Hans": "中文", "en": "English"}
COOKIE = "ve_lang"


@cache
def translations(locale: str) -> gettext.NullTranslations:
    if locale == "en":
        return gettext.NullTranslations()  # message ids are English
    return gettext.translation("messages", localedir=str(LOCALE_DIR), languages=[locale], fallback=True)


def choose(request: Request) -> str:
    """The reader's language: their choice (cookie), else the first of ours their browser names,
    else Chinese."""
    chosen = request.cookies.get(COOKIE)
    if chosen in LOCALES:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh_Hans"
        if tag.startswith("en"):
            return "en"
    return LOCALES[0]


def html_lang(locale: str) -> str:
    return "zh-CN" if locale == "zh_Hans" else "en"


def N_(message: str) -> str:
    """Marks a message id for extraction where it is translated later (when drawn)."""
    return message


# Words the pages translate from data (units, statuses, categories, weekdays), listed for extraction.
DATA_WORDS = [
    N_("points"), N_("lifetime_points"), N_("stars"), N_("time_bank"), N_("assigned"), N_("cancelled"), N_("no_show"), N_("pending"),
    N_("approved"), N_("rejected"), N_("open"), N_("resolved"), N_("medical"), N_("lost_person"), N_("fire"),
    N_("weather"), N_("dispute"), N_("other"), N_("mon"), N_("tue"), N_("wed"), N_("thu"), N_("fri"), N_("sat"),
    N_("sun"),
]
