"""Security headers on every response: pages, API and the API docs.

* ``Content-Security-Policy`` — the API's JSON allows nothing to load and nothing to frame it; pages
  load only from this server (inline ``<style>`` allowed, no inline script); the docs pages
  (Swagger UI, ReDoc, served from this server, see :mod:`engine.http.docs`) need their one inline
  start-up script and ReDoc's blob: worker. ``frame-ancestors 'none'`` everywhere (and the older
  ``X-Frame-Options: DENY``): no one can frame a page to trick a click.
* ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer`` (a page's address, which may
  carry a programme id, never leaves with a link), ``Cross-Origin-Opener-Policy: same-origin``.
* ``Strict-Transport-Security`` only when the request came over HTTPS — directly, or through a
  reverse proxy whose ``X-Forwarded-Proto`` uvicorn trusts (``volunteer serve --forwarded-allow-ips``;
  see docs/security.md). Sent over plain HTTP it would be ignored, and on a LAN install it would lock
  browsers out once the site is reached without TLS.

Written by hand rather than with a headers package: the only logic is which policy applies to which
path, and the constants are the whole of it.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
DOCS_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
               "form-action 'self'; frame-ancestors 'none'")
HSTS = "max-age=31536000; includeSubDomains"
COMMON = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
DOCS_PATHS = ("/docs", "/redoc")


def policy_for(path: str) -> str:
    if path.startswith(DOCS_PATHS):
        return DOCS_POLICY
    if path.startswith("/api/"):
        return API_POLICY
    return PAGE_POLICY


def _encoded(policy: str, https: bool) -> list[tuple[bytes, bytes]]:
    pairs = [*COMMON.items(), ("content-security-policy", policy)]
    if https:
        pairs.append(("strict-transport-security", HSTS))
    return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in pairs]


# encoded once: this runs on every response, the check-in burst's included
_HEADERS = {(policy, https): _encoded(policy, https) for policy in (API_POLICY, PAGE_POLICY, DOCS_POLICY)
            for https in (False, True)}


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = _HEADERS[policy_for(scope.get("path", "")), scope.get("scheme") == "https"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
