"""The ``event`` plan type (大型活动志愿服务, seed 000 篇3 and seed 004): one event on fixed days, its
organisation (HQ → functional groups → teams), the recruitment funnel and directed registration by
unit, shift rules (the engine's ``rules.shifts``, packs in ``packs/``), the auto-roster (the engine's
CP-SAT roster) with volunteers' stored preferences and unavailability (:mod:`.wishes`), incident
escalation on a timer, equipment, permits, budget lines (:mod:`.budget`), a live board, a forecast and
reallocation between posts by crowd flow (:mod:`.realloc`).

Hook implementations: ``volunteer_register_plan_types`` (:class:`.rules.EventRules`, ``default.yaml``),
``volunteer_register_guards`` (:mod:`.guards`), ``volunteer_rule_packs`` (``packs/``),
``volunteer_migration_dirs`` (``migrations/``), ``volunteer_api_routers`` (:mod:`.routes`),
``volunteer_scheduled`` (incident escalation, :mod:`.escalation`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine import PlanType, hookimpl

from .rules import EventRules

HERE = Path(__file__).resolve().parent
PLAN_TYPE = "event"


@hookimpl
def volunteer_register_plan_types(register: Any) -> None:
    register.add(PlanType(
        id=PLAN_TYPE, title="大型活动志愿服务 Large events", rules_model=EventRules, default_yaml=HERE / "default.yaml",
        description="总指挥部—功能组—小组；招募漏斗与单位定向招募；轮班规则；自动排班；事件分级上报；装备；安全许可 "
                    "(seed 000 篇3, 004; 《大型群众性活动安全管理条例》; 《突发事件应对法》)"))


@hookimpl
def volunteer_register_guards(register: Any) -> None:
    from .guards import GUARDS

    for name, fn in GUARDS.items():
        register.add(name, fn)


@hookimpl
def volunteer_rule_packs() -> str:
    return str(HERE / "packs")


@hookimpl
def volunteer_migration_dirs() -> str:
    from . import models, models_day  # noqa: F401 - the tables join Base.metadata before migrations run

    return str(HERE / "migrations")


@hookimpl
def volunteer_api_routers() -> list[Any]:
    from .routes import routers

    return routers()


@hookimpl
def volunteer_scheduled(programme: Any, now: Any, ctx: Any) -> dict[str, list[int]] | None:
    """Incidents nobody acknowledged in time go one level up (:mod:`.escalation`)."""
    from .escalation import escalate_unacknowledged

    done = escalate_unacknowledged(ctx)
    return {"escalated": done} if done else None


@hookimpl
def volunteer_report_sections(programme: Any, session: Any) -> list[Any]:
    from .budget import budget_section
    from .report import event_section

    return [event_section(programme, session), budget_section(programme, session)]


@hookimpl
def volunteer_check_programme(programme: Any) -> list[Any]:
    """Mistakes across sections: the event's days against the duty window, a minimum age below 18
    without minors admitted, incident timers off the escalation path (:mod:`.checks`)."""
    from .checks import problems

    return problems(programme)
