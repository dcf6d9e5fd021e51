"""A plan type for testing the scheduled path: ``volunteer_scheduled`` writes one row per call into
``probe_calls`` (no unique constraint: a second call for the same slot would show as a second row)."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from sqlalchemy import text

from engine import PlanType, hookimpl

PROGRAMMES = ("probe-1", "probe-2", "probe-3")

YAML = """\
id: {pid}
name: 定时测试 Probe {pid}
plan_type: {plan_type}
organisation: {{name: 测试站}}
period: {{start: 2026-01-01, end: 2026-12-31}}
"""


def programme_yaml(pid: str, plan_type: str = "probe") -> str:
    return YAML.format(pid=pid, plan_type=plan_type)


def create_table(eng: Any) -> None:
    with eng.session() as s:
        s.execute(text("CREATE TABLE probe_calls (programme VARCHAR(63), at VARCHAR(40), actor VARCHAR(40), "
                       "worker VARCHAR(40))"))


def calls(eng: Any) -> list[tuple[str, str, str, str]]:
    with eng.session() as s:
        return [tuple(r) for r in s.execute(text("SELECT programme, at, actor, worker FROM probe_calls "
                                                 "ORDER BY programme, at"))]


class Probe:
    """The plan type ``probe``; its scheduled hook records (programme, ctx.now, actor, pid)."""

    @hookimpl
    def volunteer_register_plan_types(self, register: Any) -> None:
        register.add(PlanType(id="probe", title="定时测试 Probe"))

    @hookimpl
    def volunteer_scheduled(self, programme: Any, now: dt.datetime, ctx: Any) -> str:
        assert ctx.now == now and ctx.programme is programme
        ctx.session.execute(text("INSERT INTO probe_calls VALUES (:p, :at, :actor, :w)"),
                            {"p": programme.id, "at": now.isoformat(), "actor": f"{ctx.actor}/{','.join(ctx.roles)}",
                             "w": str(os.getpid())})
        return f"probed {programme.id}"


def plugins() -> list[tuple[str, object]]:
    """The probe plan type, and the tests' demo plan type (whose programmes the probe must not see)."""
    import vol_plan_demo

    return [("probe", Probe()), ("demo", vol_plan_demo)]
