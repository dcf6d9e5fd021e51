"""Guards and actions every programme can use, whatever its plan type.

Registered through the same hooks a plugin uses (``volunteer_register_guards``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from engine.hookspecs import hookimpl
from engine.plugins import ActionRegistry, GuardRegistry
from engine.workflow.context import GuardContext


def require_payload(ctx: GuardContext) -> Iterable[str]:
    """The person firing the trigger must send these fields (params: fields: [reason, …])."""
    fields = ctx.params.get("fields", [])
    missing = [f for f in fields if ctx.payload.get(f) in (None, "")]
    if missing:
        yield f"请填写 / please provide: {', '.join(missing)}"


def within_period(ctx: GuardContext) -> Iterable[str]:
    """Today falls within the programme's period (params: allow_before_days: N)."""
    today = ctx.now.astimezone(ctx.programme.config.tz).date()
    period = ctx.programme.config.period
    early = dt.timedelta(days=int(ctx.params.get("allow_before_days", 0)))
    if today < period.start - early:
        yield f"项目尚未开始（{period.start} 开始）/ the programme starts on {period.start}"
    if today > period.end:
        yield f"项目已结束（{period.end} 结束）/ the programme ended on {period.end}"


def note_reason(ctx: GuardContext) -> None:
    """Action: nothing to store beyond the log — the payload is logged with the transition."""


@hookimpl
def volunteer_register_guards(register: GuardRegistry) -> None:
    register.add("require_payload", require_payload)
    register.add("within_period", within_period)


@hookimpl
def volunteer_register_actions(register: ActionRegistry) -> None:
    register.add("note_reason", note_reason)
