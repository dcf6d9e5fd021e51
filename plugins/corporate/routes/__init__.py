"""Every corporate router, offered to the engine through ``volunteer_api_routers``."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["routers"]


def routers() -> list[APIRouter]:
    from . import grants, matching, org, plans, report, vto

    return [org.router, vto.router, plans.router, grants.router, matching.router, report.router]
