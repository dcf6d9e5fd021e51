"""Rendering: one Jinja environment per language, with gettext, the programme's time zone and
the shared page context (who is reading, the CSRF token, navigation, a one-shot notice)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from engine.timeutil import local
from engine.web.kit import i18n

TEMPLATES = Path(__file__).parents[1] / "templates"
FLASH = "ve_flash"
_extra_dirs: list[str] = []


def add_template_dir(path: str) -> None:
    """A plugin's own templates (they extend ``base.html`` like ours); call before the first render."""
    if path not in _extra_dirs:
        _extra_dirs.append(path)
        environment.cache_clear()


@jinja2.pass_context
def _when(ctx: Any, value: dt.datetime | dt.date | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored (UTC) time in the programme's zone; the page's ``tz`` is the programme's."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        zone = ctx.get("tz") or "Asia/Shanghai"
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return local(value, zone).strftime(fmt)
    return value.strftime("%Y-%m-%d")


def _num(value: Any, places: int = 2) -> str:
    if value is None:
        return "—"
    d = Decimal(str(value)).quantize(Decimal(1).scaleb(-places))
    text = f"{d:,}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _hours(minutes: int | None) -> str:
    return _num((minutes or 0) / 60, 1)


@cache
def environment(locale: str) -> jinja2.Environment:
    """Templates are compiled once per process and not checked for changes on every render (a
    ``stat`` per template and per ``extends``/``import`` otherwise); ``volunteer serve --reload``
    restarts the process, which picks up edited templates."""
    loader = jinja2.FileSystemLoader([str(TEMPLATES), *_extra_dirs])
    env = jinja2.Environment(loader=loader, autoescape=True, extensions=["jinja2.ext.i18n"],
                             trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.install_gettext_translations(i18n.translations(locale), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(when=_when, num=_num, hours=_hours, urlq=lambda v: quote(str(v), safe=""))
    env.globals.update(locales=i18n.LOCALES, locale_labels=i18n.LABELS)
    return env


def gettext(request: Request, message: str) -> str:
    return i18n.translations(getattr(request.state, "locale", i18n.LOCALES[0])).gettext(message)


def render(request: Request, template: str, context: dict[str, Any], *, status: int = 200) -> HTMLResponse:
    locale = getattr(request.state, "locale", None) or i18n.choose(request)
    base: dict[str, Any] = {"request": request, "locale": locale, "html_lang": i18n.html_lang(locale),
                            "path": request.url.path}
    base.update(getattr(request.state, "page", {}))
    flash = request.cookies.get(FLASH)
    base["flash"] = unquote(flash) if flash else None
    base.update(context)
    html = environment(locale).get_template(template).render(base)
    response = HTMLResponse(html, status_code=status)
    if base["flash"]:
        response.delete_cookie(FLASH, path="/")
    new_csrf = getattr(request.state, "new_csrf", None)
    if new_csrf:
        from engine.web.kit.csrf import ANON_COOKIE
        response.set_cookie(ANON_COOKIE, new_csrf, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https", path="/")
    return response


def redirect(request: Request, url: str, notice: str | None = None) -> RedirectResponse:
    """303 to ``url`` (a path of ours), with a one-shot notice shown on the next page."""
    response = RedirectResponse(url, status_code=303)
    if notice:
        response.set_cookie(FLASH, quote(notice)[:1500], max_age=60, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https", path="/")
    return response
