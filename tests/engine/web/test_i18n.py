"""The pages' catalogues: every message the templates and page modules use has a Chinese
translation, and the committed .mo files say exactly what their .po sources say (run `make i18n`
after changing a text)."""

from __future__ import annotations

import gettext
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).parents[3]
LOCALE = ROOT / "engine" / "web" / "locale"
METHODS = [("engine/web/**.py", "python"), ("engine/web/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": (2,), "ngettext": (1, 2), "N_": None}


def _used() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(ROOT), METHODS, keywords=KEYWORDS,
            options_map={"engine/web/templates/**.html": {"extensions": "jinja2.ext.i18n"}}):
        msg = message[0] if isinstance(message, tuple) else message
        if msg:
            found.add(msg)
    return found


def _catalogue(locale: str):
    with (LOCALE / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=locale)


def test_every_page_text_has_a_chinese_translation() -> None:
    zh = {m.id[0] if isinstance(m.id, tuple) else m.id: m.string for m in _catalogue("zh_Hans") if m.id}
    missing = sorted(m for m in _used() if not zh.get(m) or (isinstance(zh[m], tuple) and not all(zh[m])))
    assert not missing, "untranslated (run `make i18n`, then translate in the .po): " + "; ".join(missing[:20])


def test_compiled_catalogues_match_their_sources() -> None:
    for locale in ("zh_Hans", "en"):
        po = _catalogue(locale)
        with (LOCALE / locale / "LC_MESSAGES" / "messages.mo").open("rb") as f:
            mo = gettext.GNUTranslations(f)
        for m in po:
            if not m.id or not m.string:
                continue
            if isinstance(m.id, tuple):
                assert mo.ngettext(m.id[0], m.id[1], 1) == (m.string[0] or m.id[0]), f"{locale}: {m.id} is stale"
            else:
                assert mo.gettext(m.id) == m.string, f"{locale}: {m.id!r} is stale in messages.mo: run `make i18n`"
