"""The FastAPI application factory."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from engine.core import VolunteerEngine
from engine.errors import PluginError, VolunteerEngineError

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

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.gate = asyncio.Semaphore(limit)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
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
    from engine.http.routes import auth, health, programmes, reports, workflows
    from engine.scheduling.timer import lifespan
    from engine.web import pages

    engine = engine or VolunteerEngine()
    app = FastAPI(
        title="Volunteer Engine 志愿服务引擎",
        version="1",
        description="Needs → design → recruitment → training → service → records → rewards, "
                    "for any plan type. Log in at POST /api/v1/auth/token, then use the Authorize button.",
        openapi_url=f"{API}/openapi.json",
        docs_url="/docs",
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.run_scheduler = scheduler
    app.state.load_problems = {}
    if engine.db.engine.dialect.name == "sqlite":
        app.add_middleware(SingleWriterGate, limit=SQLITE_IN_FLIGHT)
    if programmes_dir is not None:
        app.state.load_problems = load_folder(engine, programmes_dir)

    @app.exception_handler(VolunteerEngineError)
    async def _engine_error(request: Request, exc: VolunteerEngineError) -> JSONResponse:
        if isinstance(exc, PluginError):
            log.error("%s", exc.message)
        headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
        return JSONResponse(status_code=exc.http_status, content={"detail": exc.to_dict()}, headers=headers)

    for module in (health, auth, programmes, workflows, reports):
        app.include_router(module.router, prefix=API)
    routers, failures = engine.host.call_isolated("volunteer_api_routers")
    for router in routers:
        app.include_router(router, prefix=API)
    for failure in failures:  # one broken plugin must not take the service down
        log.error("%s", failure)
        app.state.load_problems[f"plugin {failure.name}"] = str(failure)
    app.include_router(pages.router)
    return app


def load_folder(engine: VolunteerEngine, folder: Path) -> dict[str, str]:
    problems: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            engine.load(path, filename=str(path))
        except VolunteerEngineError as exc:
            problems[str(path)] = exc.message
            log.error("not loaded: %s\n%s", path, exc.message)
    return problems
