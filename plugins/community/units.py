"""The community's ledger units and idempotency keys.

The units are the engine's points policy's (``rules.points.unit``, and the lifetime mirror
``rules.points.reset.lifetime_unit`` unless ``reset.lifetime: false``), so the mentoring bonus, the
time bank and the yearly reset write where the engine's awards are written.
"""

from __future__ import annotations

from typing import Any

from engine.sdk.policies import points_of

POINTS = "points"


def units(programme: Any) -> tuple[str, str | None]:
    """(spendable unit, lifetime unit or None) of a community programme."""
    pol = points_of(programme)
    if pol is None:
        return POINTS, None
    return pol.unit, pol.reset.mirror_unit


def ref(programme_id: str, *parts: object) -> str:
    """An idempotency key in the community namespace (ledger refs are unique across programmes)."""
    return ":".join(["community", programme_id, *(str(p) for p in parts)])
