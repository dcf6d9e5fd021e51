from __future__ import annotations

from typing import Any


def routers() -> list[Any]:
    return []
