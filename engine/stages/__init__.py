"""The shared lifecycle's stages as working services (plan-type agnostic).

needs → design → recruitment → training → service → records → rewards. Each stage is a folder
with ``models.py`` (tables), ``service.py`` (the rules, callable from Python), ``routes.py``
(HTTP under ``/api/v1/programmes/{programme_id}/…``). Plan types change them only through hooks.
"""

from __future__ import annotations
