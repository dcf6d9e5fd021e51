"""Every legal-aid router, offered to the engine through ``volunteer_api_routers``.

Under ``/api/v1/programmes/{programme_id}/legal-aid``: ``cases`` (see :mod:`.api.cases`), ``volunteers``
(:mod:`.api.volunteers`), ``consultations``, ``documents``, ``talks``, ``deadlines``, ``report``
(:mod:`.api.services`). Case and document transitions use the engine's generic
``/programmes/{programme_id}/instances/{instance_id}/fire``.
"""

from __future__ import annotations

from fastapi import APIRouter

from .api import cases, services, volunteers

__all__ = ["routers"]


def routers() -> list[APIRouter]:
    return [cases.router, volunteers.router, services.router]
