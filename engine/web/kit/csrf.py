"""CSRF protection for every state-changing page request.

The token is an HMAC keyed by the login session's own token (an HttpOnly cookie no other site can
read), so a forged form cannot carry it; before login it is keyed by a random ``ve_csrf`` cookie
(double submit, enough for the login form). Forms send it as the ``csrf`` field, htmx requests
as the ``X-CSRF-Token`` header (set once on ``<body hx-headers=…>``). A request whose ``Origin``
names another site is refused as well. The API's bearer tokens are not cookies and need none of this.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request

from engine.errors import Forbidden

ANON_COOKIE = "ve_csrf"
FIELD = "csrf"
HEADER = "x-csrf-token"


def _sign(key: str) -> str:
    return hmac.new(key.encode("utf-8"), b"volunteer-engine-csrf", hashlib.sha256).hexdigest()


def key_for(request: Request, session_token: str | None) -> tuple[str, str | None]:
    """(key, new anonymous cookie value to set or None)."""
    if session_token:
        return session_token, None
    anon = request.cookies.get(ANON_COOKIE)
    if anon and 20 <= len(anon) <= 100:
        return anon, None
    anon = getattr(request.state, "new_csrf", None) or secrets.token_urlsafe(24)
    request.state.new_csrf = anon
    return anon, anon


def token(request: Request, session_token: str | None) -> str:
    key, _ = key_for(request, session_token)
    return _sign(key)


async def check(request: Request, session_token: str | None) -> None:
    """Refuse a POST without the right token (403), naming what is missing."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        expected = f"{request.url.scheme}://{request.headers.get('host', '')}"
        if origin != expected:
            raise Forbidden("请求来自其他网站 / the request came from another site (Origin does not match)")
    sent = request.headers.get(HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(FIELD)
        sent = value if isinstance(value, str) else None
    key = session_token or request.cookies.get(ANON_COOKIE)
    if not sent or not key or not hmac.compare_digest(sent, _sign(key)):
        raise Forbidden("页面已过期，请刷新后重试 / this page has expired (missing or wrong CSRF token): "
                        "reload it and try again")
