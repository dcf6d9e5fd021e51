"""The HTTP API (FastAPI), versioned under ``/api/v1``; the application factory is ``engine.http.app.create_app``."""
