"""The store: SQLAlchemy 2 tables, sessions, Alembic migrations."""

from engine.store.base import Base, UTCDateTime, utcnow
from engine.store.db import Database, normalise_url

__all__ = ["Base", "Database", "UTCDateTime", "normalise_url", "utcnow"]
