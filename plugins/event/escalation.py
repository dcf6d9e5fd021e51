"""Automatic incident escalation, run by the engine's scheduled path (``volunteer_scheduled``):
an incident not acknowledged within ``rules.incidents.ack_minutes[level]`` goes one level up
(seed 000 篇3 分级响应: ordinary → team leader → functional-group head → HQ)."""

from __future__ import annotations

from typing import Any

from engine.sdk.incidents import escalate_overdue


def escalate_unacknowledged(ctx: Any) -> list[int]:
    return escalate_overdue(ctx, ctx.rules.incidents.timers())
