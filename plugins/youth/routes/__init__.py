"""The youth plan type's HTTP API (mounted under ``/api/v1/programmes/{id}/youth``)."""

from __future__ import annotations

from typing import Any


def routers() -> list[Any]:
    from . import activities, growth, people

    return [people.router, activities.router, growth.router]
