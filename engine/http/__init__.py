"""The HTTP API (FastAPI), versioned under ``/api/v1``."""

from engine.http.app import create_app

__all__ = ["create_app"]
