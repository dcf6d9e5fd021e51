"""Collects every stage's router and offers them through the ordinary ``volunteer_api_routers`` hook."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.hookspecs import hookimpl

if TYPE_CHECKING:
    from fastapi import APIRouter


@hookimpl
def volunteer_api_routers() -> list[APIRouter]:
    from engine.stages.design import routes as design
    from engine.stages.needs import routes as needs
    from engine.stages.records import routes as records
    from engine.stages.recruitment import routes as recruitment
    from engine.stages.rewards import appeal_routes
    from engine.stages.rewards import routes as rewards
    from engine.stages.service import routes as service
    from engine.stages.service import swap_routes
    from engine.stages.training import routes as training

    return [m.router for m in (needs, design, recruitment, training, service, swap_routes, records, rewards, appeal_routes)]
