"""Page routes: who is reading (the session cookie), their Access in a programme (built exactly as
the API builds it), CSRF on every POST, and errors drawn as pages rather than JSON.

Every page module makes its router with :func:`page_router`; a plan type's pages (the
``volunteer_web_pages`` hook) use the same function and dependencies.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.responses import RedirectResponse, Response

from engine.errors import Forbidden, NotFound, Unauthorized, VolunteerEngineError
from engine.http.deps import Access, EngineDep, SessionDep, access_for
from engine.store.models import User
from engine.web.kit import csrf, i18n
from engine.web.kit.render import render

SESSION_COOKIE = "ve_token"


class LoginRequired(Exception):
    """Raised by :data:`PageUser` when nobody is logged in: the page answers with the login form."""


@dataclass
class Viewer:
    """The person reading a page (``user`` is None when anonymous) and what every page needs."""

    user: User | None
    locale: str
    csrf: str
    programmes: list[tuple[str, str]] = field(default_factory=list)  # (id, name) they belong to


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE)


def get_viewer(request: Request, engine: EngineDep, session: SessionDep) -> Viewer:
    user = None
    token = session_token(request)
    if token:
        try:
            user = engine.auth.user_for_token(session, token)
        except VolunteerEngineError:
            user = None
    locale = i18n.choose(request)
    viewer = Viewer(user, locale, csrf.token(request, token if user else None))
    request.state.locale = locale
    request.state.page = {"viewer": viewer, "user": user, "csrf_token": viewer.csrf}
    return viewer


ViewerDep = Annotated[Viewer, Depends(get_viewer)]


def get_anonymous_viewer(request: Request) -> Viewer:
    """The reader as a stranger, without touching the database: for the login form's POST, whose
    password check runs in its own short transactions (on SQLite a session opened here would hold
    the single write lock those transactions wait for)."""
    locale = i18n.choose(request)
    viewer = Viewer(None, locale, csrf.token(request, None))
    request.state.locale = locale
    request.state.page = {"viewer": viewer, "user": None, "csrf_token": viewer.csrf}
    return viewer


AnonymousViewerDep = Annotated[Viewer, Depends(get_anonymous_viewer)]


def require_user(viewer: ViewerDep) -> User:
    if viewer.user is None:
        raise LoginRequired
    return viewer.user


PageUser = Annotated[User, Depends(require_user)]


def page_access(programme_id: str, request: Request, engine: EngineDep, session: SessionDep, user: PageUser) -> Access:
    """The reader's Access in the programme: the same function the API's ``AccessDep`` uses."""
    from engine.web.nav import nav_for

    access = access_for(engine, session, user, programme_id)
    request.state.page.update(programme=access.programme, access=access, tz=access.programme.config.timezone,
                              nav=nav_for(request, access))
    return access


PageAccess = Annotated[Access, Depends(page_access)]


def _safe_next(path: str) -> str:
    return path if path.startswith("/") and not path.startswith("//") else "/"


class PageRoute(APIRoute):
    """Checks CSRF on POST and turns engine errors into pages (the API keeps its JSON errors).

    On SQLite every request holds the single write lock from its first query to its end, and
    waiters poll in SQLite's busy handler with growing sleeps, so under load some wait far longer
    than others (measured: p99 of 18 s with four users, "database is locked" with sixteen). Page
    requests therefore queue first on ``app.state.page_gate``, a FIFO lock (set by ``engine.web.mount``
    for SQLite only): they run one at a time, in order, as they would anyway.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            gate = getattr(request.app.state, "page_gate", None)
            if gate is None:
                return await guarded(request)
            async with gate:
                return await guarded(request)

        async def guarded(request: Request) -> Response:
            try:
                if request.method == "POST":
                    await csrf.check(request, session_token(request))
                return await original(request)
            except LoginRequired:
                target = request.url.path if request.method == "GET" else "/"
                return RedirectResponse("/login?next=" + quote(_safe_next(target)), status_code=303)
            except Unauthorized:
                return RedirectResponse("/login", status_code=303)
            except VolunteerEngineError as exc:
                return error_page(request, exc)
            except RequestValidationError as exc:
                where = ", ".join(".".join(str(p) for p in e.get("loc", ())) for e in exc.errors())
                return error_page(request, NotFound(f"地址有误 / not a valid address ({where})"))

        return handler


def error_page(request: Request, exc: VolunteerEngineError) -> Response:
    status = exc.http_status if 400 <= exc.http_status < 500 else 500
    reasons = getattr(exc, "reasons", None) or []
    return render(request, "error.html", {"error": exc.message, "reasons": reasons,
                                          "forbidden": isinstance(exc, Forbidden)}, status=status)


def page_router(**kwargs: Any) -> APIRouter:
    """An APIRouter for pages: hidden from the OpenAPI schema, with CSRF and HTML errors."""
    return APIRouter(route_class=PageRoute, include_in_schema=False, **kwargs)
