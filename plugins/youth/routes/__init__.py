"""The youth plan type's HTTP API (mounted under ``/api/v1/programmes/{id}/youth``)."""

from __future__ import annotations

from typing import Any


def routers() -> list[Any]:
    from . import people

    return [people.router]
