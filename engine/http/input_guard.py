"""Refuse text no store can keep, for every request, before any route sees it.

PostgreSQL refuses a NUL byte in a text column (SQLite stores it), and neither driver can encode a
lone UTF-16 surrogate (``"\\ud800"`` is valid JSON). Rather than a check in every schema, this
middleware looks at every string of a request once — the query string, a form body and a JSON body,
keys and values at any depth — and answers 422 naming the field (``query.state``,
``body.payload.note``) the same way on both databases. Path segments are checked too (they reach
queries as ids and names). Multipart uploads are left to the importers, which name row and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_BODY_LIMIT = 8 * 1024 * 1024  # larger bodies pass unchecked here (the app refuses them by its own limit)


_BAD = re.compile("[\x00\ud800-\udfff]")


def bad_text(text: str) -> str | None:
    """Why ``text`` cannot be stored, or None."""
    found = _BAD.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "含有 NUL 字符 / contains a NUL character (U+0000)"
    return "含有孤立的代理字符 / contains a lone UTF-16 surrogate (not a character)"


def _walk(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        reason = bad_text(value)
        if reason:
            yield where, reason
    elif isinstance(value, dict):
        for key, item in value.items():
            reason = bad_text(key)
            if reason:
                yield where, f"有一个键{reason} / a key {reason}"
                continue
            yield from _walk(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, f"{where}.{i}")


def _pairs(text: str, where: str) -> Iterator[tuple[str, str]]:
    for key, value in parse_qsl(text, keep_blank_values=True):
        yield from _walk({key: value}, where)


def _refusal(field: str, reason: str) -> JSONResponse:
    shown = field.encode("utf-8", "replace").decode("utf-8")
    message = f"输入有误：{shown} {reason.split(' / ')[0]} / invalid input at {shown}: {reason.split(' / ')[-1]}"
    return JSONResponse(status_code=422, content={"detail": {
        "error": "InvalidInput", "message": message, "field": shown,
        "problems": [{"field": shown, "message": reason}]}})


class InputGuard:
    """ASGI middleware: see the module docstring."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = self._url_problem(scope)
        if problem is None and scope["method"] in ("POST", "PUT", "PATCH"):
            kind = self._kind(scope)
            if kind is not None:
                body, receive = await _buffer(receive)
                problem = _body_problem(body, kind)
        if problem is not None:
            await _refusal(*problem)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _url_problem(scope: Scope) -> tuple[str, str] | None:
        path = str(scope.get("path", ""))
        if bad_text(path):
            for i, segment in enumerate(path.split("/")):
                reason = bad_text(segment)
                if reason:
                    return f"path.{i}", reason
        raw = scope.get("query_string", b"")
        if b"%00" not in raw and b"\x00" not in raw:  # a surrogate cannot come out of percent-decoding
            return None
        return next(_pairs(raw.decode("latin-1"), "query"), None)

    @staticmethod
    def _kind(scope: Scope) -> str | None:
        for name, value in scope.get("headers", []):
            if name == b"content-type":
                ctype = value.decode("latin-1").lower()
                if "json" in ctype:
                    return "json"
                if ctype.startswith("application/x-www-form-urlencoded"):
                    return "form"
                return None
        return None


def _body_problem(body: bytes | None, kind: str) -> tuple[str, str] | None:
    if not body:
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "body", "不是 UTF-8 文本 / is not UTF-8 text"
    if kind == "form":
        if "%00" not in text and "\x00" not in text:
            return None
        return next(_pairs(text, "body"), None)
    if "\\u" not in text:  # JSON writes NUL and surrogates only as \u escapes: nothing to look for
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None  # FastAPI answers a malformed body itself, naming the position
    try:
        return next(_walk(value, "body"), None)
    except RecursionError:
        return "body", "嵌套过深 / is nested too deeply"


async def _buffer(receive: Receive) -> tuple[bytes | None, Receive]:
    """Read the body (None past ``_BODY_LIMIT``) and give back a ``receive`` that replays what was read."""
    read: list[Message] = []
    size = 0
    while True:
        message = await receive()
        read.append(message)
        if message["type"] != "http.request":
            break
        size += len(message.get("body", b""))
        if not message.get("more_body", False) or size > _BODY_LIMIT:
            break
    complete = read[-1]["type"] == "http.request" and not read[-1].get("more_body", False)
    body = b"".join(m.get("body", b"") for m in read) if complete and size <= _BODY_LIMIT else None

    async def replay() -> Message:
        if read:
            return read.pop(0)
        return await receive()

    return body, replay
