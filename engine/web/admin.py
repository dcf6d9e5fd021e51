"""Administration (operators): programmes, users, roles."""

from __future__ import annotations

from engine.web.kit.routing import page_router

router = page_router()
