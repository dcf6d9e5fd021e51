"""ASGI entry point for uvicorn: ``uvicorn engine.http.asgi:app`` (what ``volunteer serve`` runs).

Reads ``VOLUNTEER_DATABASE_URL``, ``VOLUNTEER_PROGRAMMES_DIR`` and ``VOLUNTEER_SCHEDULER`` (the
in-process scheduler, on unless ``off``) from the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

from engine.http.app import create_app
from engine.settings import get_settings

_folder = os.environ.get("VOLUNTEER_PROGRAMMES_DIR")
app = create_app(programmes_dir=Path(_folder) if _folder else None, scheduler=get_settings().scheduler)
