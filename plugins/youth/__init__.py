"""学生志愿服务 The ``youth`` plan type: school and student volunteering (seed 000 篇2).

Built on the engine's public surface only (``engine``, ``engine.sdk`` …; checked by
``lint-imports``). The mechanisms live in the engine — guardian consent as a workflow
(``ctx.record_consent`` …), minors' rules by region (``rules.minors``, packs ``minors-*``) and credit
conversion (``rules.credits``) — and this package ships the schemes and the school's own parts:

======================  ===============================================================
rules.py                ``rules:``: adult:minor ratio by age band, dangerous categories, quarters, awards
people.py               students (school, grade, class), instructor teachers, guardians; who sees whom
safety.py               the ``activity`` workflow's start guards (briefing, risk, insurance, instructor,
                        ratio, consent)
year.py                 the academic year's four quarters and the activities planned in each
credits.py              service-learning components and the credit report (engine conversion)
awards.py               hours-based awards by age band over a service year (e.g. PVSA)
portfolio.py            the growth portfolio (成长档案): page, PDF, 综合素质评价 export
routes/                 the HTTP API under ``/api/v1/programmes/{id}/youth``
packs/                  schools' credit schemes and award schemes as rule packs
======================  ===============================================================
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine import PlanType, hookimpl

from .rules import YouthRules

PLAN_TYPE = "youth"
HERE = Path(__file__).resolve().parent


@hookimpl
def volunteer_register_plan_types(register: Any) -> None:
    register.add(PlanType(
        id=PLAN_TYPE, title="学生志愿服务 Youth / school", rules_model=YouthRules, default_yaml=HERE / "default.yaml",
        description="学校与学生志愿服务：监护人同意、未成年人保护、活动安全、学年四季度、学分折算、成长档案 / "
                    "school and student volunteering: guardian consent, minors' safeguards, activity safety, the "
                    "academic year, credit conversion, awards and the growth portfolio (seed 000 篇2)"))


@hookimpl
def volunteer_register_guards(register: Any) -> None:
    from .safety import GUARDS

    for fn in GUARDS:
        register.add(f"youth.{fn.__name__}", fn)


@hookimpl
def volunteer_migration_dirs() -> str:
    from . import models  # noqa: F401 - the tables join Base.metadata before migrations run

    return str(HERE / "migrations")


@hookimpl
def volunteer_rule_packs() -> str:
    return str(HERE / "packs")


@hookimpl
def volunteer_notification_templates() -> str:
    return str(HERE / "notifications")


@hookimpl
def volunteer_api_routers() -> list[Any]:
    from .routes import routers

    return routers()


@hookimpl
def volunteer_programme_loaded(programme: Any, session: Any, ctx: Any) -> None:
    """Refuse a programme whose ``rules.credit_scheme`` or ``rules.award_pack`` names nothing."""
    from engine.errors import InvalidInput

    rules: YouthRules = programme.rules
    schemes = ctx.credit_schemes
    if rules.credit_scheme is not None and rules.credit_scheme not in schemes:
        raise InvalidInput(f"rules.credit_scheme {rules.credit_scheme!r} 不在 rules.credits 中 / is not one of the "
                           f"programme's credit schemes ({', '.join(schemes) or 'none: select a pack with credits'})",
                           field="rules.credit_scheme")
    if rules.award_pack is not None:
        from .awards import scheme

        try:
            scheme(ctx)
        except KeyError:
            raise InvalidInput(f"未安装规则包 {rules.award_pack!r} / rule pack {rules.award_pack!r} is not installed",
                               field="rules.award_pack") from None
