"""Logging in without starving the server: the one place a password is checked over HTTP.

A password hash costs about a fifth of a second of CPU by design. Thirty-two people (or one script)
logging in at once would otherwise hold thirty-two of the thread pool's forty threads and both
cores, and every other request would queue behind them. Here:

* the throttle (:mod:`engine.auth.throttle`) answers 429 before any hashing;
* at most ``VOLUNTEER_PASSWORD_HASH_CONCURRENCY`` hashes run at once (half the cores by default);
  the others wait on the event loop, holding no thread and — on SQLite — no slot of the request
  gate (the login path is exempt from it and takes a slot only for its two short queries);
* an unknown account is verified against a dummy hash, so it takes as long as a wrong password.

Used by ``POST /api/v1/auth/token`` and the login page alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from fastapi import Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from engine.auth.passwords import DUMMY_HASH, verify_password
from engine.auth.service import WRONG
from engine.errors import Unauthorized
from engine.settings import get_settings
from engine.store.models import User

_hash_gates: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = WeakKeyDictionary()


def hash_concurrency() -> int:
    configured = get_settings().password_hash_concurrency
    return configured or max(1, (os.cpu_count() or 2) // 2)


def _hash_gate() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    gate = _hash_gates.get(loop)
    if gate is None:
        gate = _hash_gates[loop] = asyncio.Semaphore(hash_concurrency())
    return gate


@contextlib.asynccontextmanager
async def _db_slot(request: Request) -> AsyncIterator[None]:
    gate: asyncio.Semaphore | None = getattr(request.app.state, "db_gate", None)
    if gate is None:
        yield
        return
    async with gate:
        yield


@dataclass
class _Stored:
    id: int
    password_hash: str
    active: bool


def _lookup(engine: Any, username: str) -> _Stored | None:
    with engine.session() as s:
        row = s.execute(select(User.id, User.password_hash, User.active).where(User.username == username)).first()
    return _Stored(row.id, row.password_hash, row.active) if row is not None else None


def _issue(engine: Any, user_id: int) -> str:
    with engine.session() as s:
        user = s.get(User, user_id)
        assert user is not None
        token: str = engine.auth.issue_token(s, user)
    return token


def client_address(request: Request) -> str:
    """The client's address as uvicorn reports it (the proxy's client when its headers are trusted)."""
    return request.client.host if request.client else ""


async def log_in(request: Request, username: str, password: str) -> str:
    """A new token for the account, or :class:`Unauthorized` / ``TooManyAttempts`` (429)."""
    engine = request.app.state.engine
    throttle = engine.auth.throttle
    address = client_address(request)
    throttle.check(username, address)
    async with _db_slot(request):
        stored = await run_in_threadpool(_lookup, engine, username)
    async with _hash_gate():
        ok = await run_in_threadpool(verify_password, stored.password_hash if stored else DUMMY_HASH, password)
    if stored is None or not stored.active or not ok:
        throttle.failed(username, address)
        raise Unauthorized(WRONG)
    throttle.succeeded(username, address)
    async with _db_slot(request):
        return await run_in_threadpool(_issue, engine, stored.id)
