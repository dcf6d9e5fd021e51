"""Every volunteer page router, in the order they are mounted."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from engine.web.volunteer import certificates, changes, me, opportunities, rewards, shifts, swap_pages

    return [certificates.router, me.router, opportunities.router, shifts.router, changes.router, swap_pages.router, rewards.router]
