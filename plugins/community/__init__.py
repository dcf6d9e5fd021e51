"""社区志愿服务 The ``community`` plan type — the reference plugin a plan-type author can copy.

It uses only the engine's public surface — ``engine`` (``hookimpl``, ``PlanType``, ``Award``,
``Level``, ``ReportSection``, the errors), ``engine.sdk`` (the acting facade ``PlanContext``, the
read models), ``engine.sdk.tables`` (``Base`` for its own tables; the engine's tables only to read
and join), ``engine.sdk.http``, ``engine.inputs`` — which the import contract in ``pyproject.toml``
checks (``lint-imports``). Everything it writes to the engine's stages (ledger entries, workflow
instances, catalogue items, resets) goes through ``ctx``. It implements the hooks of
``engine/hookspecs.py`` in this one file; each hook hands over to a small module that holds the
rule and cites its source:

======================  ===============================================================
rules.py                the ``rules:`` model; every figure from seed 001 / 003
points.py, streaks.py   points per hour, 5-star share, first-service and streak bonuses
mentoring.py            老带新 pairing and its bonus
backbone.py             骨干 ≥ 48 h a year here; only they redeem love rewards
stars.py                star presets (national 100/300/600/1000/1500 h), nominations
reset.py                the yearly reset as ledger entries, once per year
catalogue.py            the redemption catalogue from YAML; the love-reward objection
appeals.py, dismissal.py  the two workflows of ``default.yaml`` and their records
network.py              station → grid → building, hours rolled up
timebank.py             partner communities, double-entry transfers, limits
report.py, routes/, cli.py    the report sections, the HTTP API, ``volunteer community …``
======================  ===============================================================
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine import PlanType, hookimpl
from engine.errors import InvalidInput
from engine.sdk import PlanContext
from plugins.community.rules import CommunityRules

PLAN_TYPE = "community"
HERE = Path(__file__).resolve().parent


@hookimpl
def volunteer_register_plan_types(register: Any) -> None:
    register.add(PlanType(
        id=PLAN_TYPE, title="社区志愿服务 Community", rules_model=CommunityRules,
        default_yaml=HERE / "default.yaml",
        description="需求导向、常年运行的社区志愿服务：积分、星级、骨干、兑换、申诉、劝退、三级网络、时间银行 / "
                    "needs-driven, year-round community service with points, stars, backbone volunteers, "
                    "redemption, appeals, dismissal, a three-level station network and a time bank "
                    "(seeds 000 篇1, 001, 003)"))


@hookimpl
def volunteer_register_guards(register: Any) -> None:
    from plugins.community.guards import GUARDS

    for fn in GUARDS:
        register.add(f"community.{fn.__name__}", fn)


@hookimpl
def volunteer_register_actions(register: Any) -> None:
    from plugins.community.guards import ACTIONS

    for fn in ACTIONS:
        register.add(f"community.{fn.__name__}", fn)


@hookimpl
def volunteer_migration_dirs() -> str:
    return str(HERE / "migrations")


@hookimpl
def volunteer_programme_loaded(programme: Any, session: Any, ctx: PlanContext) -> None:
    """Write the network and the catalogue from the programme's rules (idempotent on reload)."""
    from plugins.community import stars
    from plugins.community.catalogue import sync_catalogue
    from plugins.community.network import sync_network

    if stars.active(programme.rules) and programme.config.rewards.levels:
        raise InvalidInput("社区项目的星级由 rules.stars 决定，请删除 rewards.levels 或设 rules.stars.preset: null / "
                           "a community programme's stars come from rules.stars: remove rewards.levels, or set "
                           "rules.stars.preset: null to use the engine's thresholds", field="rewards.levels")
    sync_network(session, programme)
    sync_catalogue(ctx)


@hookimpl
def volunteer_compute_awards(record: Any, programme: Any, session: Any, ctx: PlanContext) -> list[Any]:
    """Points for a verified record: base, 5-star share, bonuses; the mentor's bonus is written directly."""
    from plugins.community import mentoring
    from plugins.community.points import earns, record_awards, reversal_awards
    from plugins.community.streaks import bonus_awards

    rules: CommunityRules = programme.rules
    if record.captured not in rules.points.earn_from:
        return []
    if record.reverses_id is not None:
        return reversal_awards(ctx, record)
    if not earns(rules, record):
        return []
    awards = record_awards(record, programme.id, rules) + bonus_awards(session, record, programme.id, rules)
    mentoring.on_service(ctx.acting_as(record.verified_by or "system"), record)
    return awards


@hookimpl
def volunteer_level_for(hours: float, programme: Any, volunteer: Any, session: Any) -> Any:
    from plugins.community.stars import level_for

    return level_for(session, programme, volunteer, hours)


@hookimpl
def volunteer_check_redemption(volunteer: Any, item: Any, programme: Any, session: Any) -> list[str]:
    from plugins.community.catalogue import redemption_objections

    return redemption_objections(session, programme, volunteer, item)


@hookimpl
def volunteer_check_eligibility(volunteer: Any, post: Any, programme: Any, session: Any) -> list[str]:
    """A volunteer dismissed from this station may not take its posts (seed 003 附件4 第五条)."""
    from plugins.community.dismissal import is_dismissed

    if is_dismissed(session, programme.id, volunteer.id):
        return [f"{volunteer.name} 已被本站劝退 / {volunteer.name} was dismissed by this station (seed 003 附件4 第五条)"]
    return []


@hookimpl
def volunteer_instance_access(programme: Any, instance: Any, user: Any, roles: frozenset[str], session: Any) -> bool | None:
    """Appeals: the appellant and the board; dismissal cases: staff, the board and the person concerned."""
    from plugins.community.models import Appeal, Dismissal

    model = {"appeal": Appeal, "dismissal": Dismissal}.get(instance.subject_type)
    if model is None:
        return None
    if roles & {"admin", "coordinator", "supervisor", "review_board"}:
        return True
    row = session.get(model, int(instance.subject_id))
    from engine.sdk.tables import Volunteer

    vol = session.get(Volunteer, row.volunteer_id) if row is not None else None
    return vol is not None and vol.user_id == user.id


@hookimpl
def volunteer_report_sections(programme: Any, session: Any) -> list[Any]:
    from plugins.community.report import sections

    return sections(session, programme)


@hookimpl
def volunteer_api_routers() -> list[Any]:
    from plugins.community.routes import routers

    return list(routers)


@hookimpl
def volunteer_cli_commands(app: Any) -> None:
    from plugins.community.cli import register

    register(app)
