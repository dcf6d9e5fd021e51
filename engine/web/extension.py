"""What a plan type hands back from the ``volunteer_web_pages`` hook (see engine/hookspecs.py):
its page router, navigation entries and dashboard panels, drawn in the same layout and behind the
same role checks as the engine's own pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from engine.http.deps import Access


@dataclass(frozen=True)
class NavEntry:
    """A tab in a programme's navigation. ``path`` is relative to ``/p/{programme_id}/`` (``""`` is the
    programme's first page); only readers holding one of ``roles`` see it. ``label`` is shown as is
    (write it bilingual, e.g. ``"时间银行 Time bank"``), or is a message id of the engine's catalogue."""

    key: str
    label: str
    path: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Panel:
    """A box on the coordinator's dashboard. ``context(session, access)`` returns the values for
    ``template`` (a template in ``WebPages.template_dir``, rendered with the page's context too);
    readers without one of ``roles`` never see it and ``context`` is not called for them."""

    key: str
    title: str
    template: str
    context: Callable[[Session, Access], dict[str, Any]]
    roles: tuple[str, ...] = ("admin", "coordinator")


@dataclass
class WebPages:
    """One plugin's contribution. ``plan_type``: the plan type whose programmes get these entries
    and panels (None: every programme). ``router``: made with ``engine.web.page_router()``; its
    paths must start with ``/p/{programme_id}/x/<plugin>/`` and take ``access: PageAccess``.
    ``template_dir``: a folder of the plugin's templates (they ``{% extends "base.html" %}``)."""

    plan_type: str | None
    router: APIRouter | None = None
    nav: list[NavEntry] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    template_dir: str | None = None
