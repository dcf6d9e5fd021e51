"""Every volunteer page router, in the order they are mounted."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from engine.web.volunteer import changes, me, opportunities, rewards, shifts

    return [me.router, opportunities.router, shifts.router, changes.router, rewards.router]
