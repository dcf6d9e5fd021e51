"""CSV cells that a spreadsheet will not run as formulas (CSV injection, CWE-1236).

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel, WPS and
LibreOffice as a formula — ``=HYPERLINK(…)`` in a volunteer's "content" field would run on the
coordinator's machine. Every text cell an export writes goes through :func:`cell`, which puts a
single quote in front of such text (OWASP's advice; spreadsheets show the text as typed). Numbers
are left alone. An importer of our own CSV calls :func:`uncell` to get the text back exactly.
"""

from __future__ import annotations

from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def uncell(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(TRIGGERS):
        return text[1:]
    return text
