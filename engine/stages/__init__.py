"""The shared lifecycle's stages as working services (plan-type agnostic).

needs → design → recruitment → training → service → records → rewards. Each stage is a folder
with ``models.py`` (tables), ``service.py`` (the rules, callable from Python), ``routes.py``
(HTTP under ``/api/v1/programmes/{programme_id}/…``). Plan types change them only through hooks.
"""

from __future__ import annotations

from types import ModuleType


def builtin_plugins() -> list[tuple[str, ModuleType]]:
    """The stages register their guards, actions, routers and scheduled jobs through the ordinary hooks."""
    from engine.stages import guards, routes
    from engine.stages.service import jobs

    return [("engine.stages.guards", guards), ("engine.stages.routes", routes), (jobs.JOB, jobs)]
