"""One-shot messages for the page after a redirect, carried in a cookie — never in the URL.

A message read from the query string (``/p/x?error=…``) lets anyone send a link that shows words of
their choosing under this site's name ("call this number to re-verify"). Instead the page that
redirects sets a short-lived, HttpOnly, SameSite=Strict cookie, and the next page shows it once
and clears it.
"""

from __future__ import annotations

import json
from urllib.parse import quote, unquote

from fastapi import Request
from starlette.responses import Response

COOKIE = "ve_flash"


def flash(response: Response, *, message: str | None = None, error: str | None = None) -> Response:
    value = quote(json.dumps({"message": message, "error": error}, ensure_ascii=False))
    response.set_cookie(COOKIE, value, max_age=60, httponly=True, samesite="strict", path="/")
    return response


def clear(response: Response) -> Response:
    response.delete_cookie(COOKIE, path="/")
    return response


def read(request: Request) -> tuple[str | None, str | None]:
    """(message, error) left by the previous response; clear them on the page that shows them."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None, None
    try:
        data = json.loads(unquote(raw))
        return str(data["message"]) if data.get("message") else None, str(data["error"]) if data.get("error") else None
    except (ValueError, KeyError, TypeError):
        return None, None
