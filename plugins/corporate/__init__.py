"""The ``corporate`` plan type (企业员工技能型志愿服务, seed 000 篇4): employee volunteering with a
volunteer committee, department liaisons, partner organisations, skills-based matching, the
work-time allowance (VTO), matching grants and a CSR report — built only on the engine's plugin
contract.

Hook implementations (see ``engine/hookspecs.py``):

* ``volunteer_register_plan_types`` — plan type ``corporate`` with :class:`.rules.PlanRules` and
  ``default.yaml`` (roles committee, csr_office, liaison, manager, partner; the ``proposal`` workflow:
  a yearly plan or a project through the committee's votes);
* ``volunteer_register_guards`` / ``volunteer_register_actions`` — ``corporate.*`` (:mod:`.committee`);
* ``volunteer_rule_packs`` — real companies' allowance and grant policies (``packs/``), each citing its source;
* ``volunteer_migration_dirs`` — the ``corporate`` Alembic branch (``migrations/``);
* ``volunteer_api_routers`` — :mod:`.routes`;
* ``volunteer_report_sections`` — :mod:`.report`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine import PlanType, hookimpl

from .rules import PlanRules

HERE = Path(__file__).resolve().parent
PLAN_TYPE = "corporate"


@hookimpl
def volunteer_register_plan_types(register: Any) -> None:
    register.add(PlanType(
        id=PLAN_TYPE, title="企业员工志愿服务 Employee volunteering", rules_model=PlanRules,
        default_yaml=HERE / "default.yaml",
        description="志愿服务委员会审批计划与预算、部门联络员、技能匹配、团队报名、工作时间志愿服务假、"
                    "时长配捐、CSR 报告 (seed 000 篇4)"))


@hookimpl
def volunteer_register_guards(register: Any) -> None:
    from .committee import GUARDS

    for name, fn in GUARDS.items():
        register.add(name, fn)


@hookimpl
def volunteer_register_actions(register: Any) -> None:
    from .committee import ACTIONS

    for name, fn in ACTIONS.items():
        register.add(name, fn)


@hookimpl
def volunteer_rule_packs() -> str:
    return str(HERE / "packs")


@hookimpl
def volunteer_migration_dirs() -> str:
    from . import models  # noqa: F401 - the tables join Base.metadata before migrations run

    return str(HERE / "migrations")


@hookimpl
def volunteer_api_routers() -> list[Any]:
    from .routes import routers

    return routers()


@hookimpl
def volunteer_report_sections(programme: Any, session: Any) -> list[Any]:
    from .report import csr_section

    return [csr_section(session, programme)]
