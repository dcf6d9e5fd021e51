"""What plan types return from ``volunteer_compute_awards``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Award:
    """One ledger entry a plan type wants written for a verified record.

    ``unit`` is the plan type's unit (``points``, ``lifetime_points``, ``credits`` …); ``kind``
    says why (``award``, ``bonus`` …); ``ref`` is an idempotency key when the award must never be
    written twice (e.g. ``"first-service:<volunteer>"``); ``data`` is kept for the evidence.
    """

    unit: str
    amount: Decimal
    reason: str
    kind: str = "award"
    ref: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Level:
    """A level (e.g. 三星志愿者) reached with ``min_hours``."""

    name: str
    min_hours: float
