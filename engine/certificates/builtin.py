"""Certificates' and organisations' own plugin: their API routers, by the ordinary hook."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.hookspecs import hookimpl

if TYPE_CHECKING:
    from fastapi import APIRouter


@hookimpl
def volunteer_api_routers() -> list[APIRouter]:
    from engine.certificates import public_routes, routes
    from engine.orgs import routes as org_routes

    return [routes.router, public_routes.router, org_routes.router]
