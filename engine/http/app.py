"""The FastAPI application factory."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline

from engine.core import VolunteerEngine
from engine.errors import InvalidInput, PluginError, VolunteerEngineError
from engine.http.headers import SecurityHeaders
from engine.http.input_guard import InputGuard
from engine.settings import get_settings

log = logging.getLogger("engine.http")

API = "/api/v1"
# Fewer requests in flight than the thread pool has threads (anyio's default is 40): see SingleWriterGate.
SQLITE_IN_FLIGHT = 24


class SingleWriterGate:
    """ASGI middleware for SQLite: at most ``limit`` requests in flight at once.

    SQLite has one writer; a request takes the write lock at its first query (``BEGIN IMMEDIATE``)
    and still needs worker threads for its later dependencies and its commit. If every worker
    thread were held by requests waiting for that lock, the lock holder could never finish
    ("database is locked" after the busy timeout). Keeping fewer requests in flight than there are
    threads makes that impossible; the rest wait here, cheaply, on the event loop. PostgreSQL does
    not need the gate.
    """

    def __init__(self, app: Any, gate: asyncio.Semaphore, exempt: tuple[str, ...] = ()) -> None:
        self.app = app
        self.gate = gate
        self.exempt = exempt  # paths that take a slot themselves, only around their queries (login)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path") in self.exempt:
            await self.app(scope, receive, send)
            return
        async with self.gate:
            await self.app(scope, receive, send)



def create_app(engine: VolunteerEngine | None = None, *, programmes_dir: Path | None = None,
               scheduler: bool = False) -> FastAPI:
    """Build the app around ``engine`` (a new one on the configured database if not given).

    ``programmes_dir``: every ``*.yaml`` in it is loaded at start-up (``volunteer serve`` passes
    ``examples/`` by default); a file with problems is reported and skipped, the others load.
    ``scheduler``: run scheduled work in this process while the app runs (``volunteer serve``
    turns it on unless ``VOLUNTEER_SCHEDULER=off``; see :mod:`engine.scheduling.timer`).
    """
    from engine import web
    from engine.http import errors
    from engine.http.routes import account, auth, health, programmes, reports, workflows
    from engine.scheduling.timer import lifespan

    engine = engine or VolunteerEngine()
    app = FastAPIOffline(  # Swagger UI and ReDoc served from this server (no CDN): /docs, /redoc
        title="Volunteer Engine 志愿服务引擎",
        version="1",
        description="Needs → design → recruitment → training → service → records → rewards, "
                    "for any plan type. Log in at POST /api/v1/auth/token, then use the Authorize button.",
        openapi_url=f"{API}/openapi.json",
        static_url="/static/docs",
        max_body_size=get_settings().max_body_bytes,
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.run_scheduler = scheduler
    app.state.load_problems = {}
    errors.install(app)
    if engine.db.engine.dialect.name == "sqlite":
        app.state.db_gate = asyncio.Semaphore(SQLITE_IN_FLIGHT)
        app.add_middleware(SingleWriterGate, gate=app.state.db_gate, exempt=(f"{API}/auth/token", "/login"))
    app.add_middleware(InputGuard)
    app.add_middleware(SecurityHeaders)
    if programmes_dir is not None:
        app.state.load_problems = load_folder(engine, programmes_dir)

    @app.exception_handler(VolunteerEngineError)
    async def _engine_error(request: Request, exc: VolunteerEngineError) -> JSONResponse:
        if isinstance(exc, PluginError):
            log.error("%s", exc.message)
        headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
        if "retry_after" in exc.details:
            headers = {"Retry-After": str(exc.details["retry_after"])}
        return JSONResponse(status_code=exc.http_status, content={"detail": exc.to_dict()}, headers=headers)

    for module in (health, auth, account, programmes, workflows, reports):
        app.include_router(module.router, prefix=API)
    routers, failures = engine.host.call_isolated("volunteer_api_routers")
    for router in routers:
        app.include_router(router, prefix=API)
    for failure in failures:  # one broken plugin must not take the service down
        log.error("%s", failure)
        app.state.load_problems[f"plugin {failure.name}"] = str(failure)
    web.mount(app, engine)
    return app


def load_folder(engine: VolunteerEngine, folder: Path) -> dict[str, str]:
    """Load every ``*.yaml``/``*.yml`` in ``folder``; returns the files skipped and why (also logged).
    A second file with an id already loaded from this folder is skipped, never loaded over the first."""
    problems: dict[str, str] = {}
    seen: dict[str, str] = {}
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()):
        try:
            parsed = engine.parse(path, filename=path.name)  # messages name the file, never the server's folders
            if parsed.id in seen:
                raise InvalidInput(f"项目 id {parsed.id!r} 与 {seen[parsed.id]} 重复，已跳过 / programme id {parsed.id!r} "
                                   f"is already loaded from {seen[parsed.id]}: skipped", field="id")
            engine.load(path, filename=path.name)
            seen[parsed.id] = path.name
        except VolunteerEngineError as exc:
            problems[path.name] = exc.message
            log.error("skipped %s / 未加载: %s", path.name, exc.message)
    return problems
