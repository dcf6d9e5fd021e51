"""The web app for coordinators and volunteers: server-rendered pages over the same stage services
and role checks as the API (page handlers call the API's endpoint functions with an ``Access``
built from the session cookie), progressively enhanced with htmx. See docs/web.md.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from engine.web.extension import NavEntry, Panel, WebPages
from engine.web.kit.routing import PageAccess, PageUser, ViewerDep, page_router

if TYPE_CHECKING:
    from fastapi import FastAPI

    from engine.core import VolunteerEngine

__all__ = ["NavEntry", "PageAccess", "PageUser", "Panel", "ViewerDep", "WebPages", "mount", "page_router"]

log = logging.getLogger("engine.web")
STATIC = Path(__file__).with_name("static")


def mount(app: FastAPI, engine: VolunteerEngine) -> None:
    """Add the pages, the static files and the plan types' pages (``volunteer_web_pages``) to ``app``."""
    import asyncio

    from fastapi.staticfiles import StaticFiles

    from engine.web import admin, calendar, home, verify
    from engine.web.kit.render import add_template_dir
    from engine.web.staff import routes as staff
    from engine.web.volunteer import routes as volunteer

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    if engine.db.engine.dialect.name == "sqlite":
        app.state.page_gate = asyncio.Lock()  # see engine.web.kit.routing.PageRoute
    for module in (home, admin, calendar, verify):
        app.include_router(module.router)
    for router in (*staff.routers(), *volunteer.routers()):
        app.include_router(router)
    answers, failures = engine.host.call_isolated("volunteer_web_pages")
    found: list[WebPages] = []
    for answer in answers:
        for pages in answer if isinstance(answer, list) else [answer]:
            if not isinstance(pages, WebPages):
                log.error("volunteer_web_pages returned %r, not engine.web.WebPages: ignored", pages)
                continue
            if pages.template_dir:
                add_template_dir(pages.template_dir)
            if pages.router is not None:
                app.include_router(pages.router)
            found.append(pages)
    for failure in failures:
        log.error("%s", failure)
        app.state.load_problems[f"plugin {failure.name}"] = str(failure)
    app.state.web_pages = found
