"""Every staff page router, in the order they are mounted."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from engine.web.staff import dashboard

    return [dashboard.router]
