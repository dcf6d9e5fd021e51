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
rules.py, moved.py      the ``rules:`` model (figures from seed 001 / 003); the keys that moved
(the engine)            points, the 5-star share, bonuses and stars: ``rules.points`` and
                        ``rules.levels`` from the pack ``community-points-002`` (default.yaml)
units.py                the ledger units (the engine's points policy's) and refs
mentoring.py            老带新 pairing and its bonus
backbone.py             骨干 ≥ 48 h a year here; only they redeem love rewards
reset.py                the record of each yearly reset (the reset is the engine's)
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
from engine.sdk import PlanContext
from plugins.community.moved import MOVED_KEYS
from plugins.community.rules import CommunityRules

PLAN_TYPE = "community"
HERE = Path(__file__).resolve().parent


@hookimpl
def volunteer_register_plan_types(register: Any) -> None:
    register.add(PlanType(
        id=PLAN_TYPE, title="社区志愿服务 Community", rules_model=CommunityRules,
        default_yaml=HERE / "default.yaml", moved_keys=MOVED_KEYS,
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
    from plugins.community.catalogue import sync_catalogue
    from plugins.community.network import sync_network

    sync_network(session, programme)
    sync_catalogue(ctx)


@hookimpl
def volunteer_check_programme(programme: Any) -> list[Any]:
    """The community year (backbone hours, the yearly reset) and the points policy's year agree."""
    pol = programme.policy.points if programme.policy is not None else None
    rules: CommunityRules = programme.rules
    if pol is not None and pol.reset.year_start != rules.year_start:
        return [(("rules", "year_start"),
                 f"社区年度从 {rules.year_start} 开始，而 rules.points.reset.year_start 为 {pol.reset.year_start}：两者须一致 / "
                 f"the community year starts on {rules.year_start} but rules.points.reset.year_start is "
                 f"{pol.reset.year_start}: they must agree", f"rules.points.reset.year_start: \"{rules.year_start}\"")]
    return []


@hookimpl
def volunteer_compute_awards(record: Any, programme: Any, session: Any, ctx: PlanContext) -> list[Any]:
    """Points are the engine's (``rules.points``); here only the mentor's bonus when a mentee's
    service completes a pairing (written directly: it credits another volunteer)."""
    from plugins.community import mentoring

    pol = ctx.points_policy
    if record.reverses_id is not None or record.adjusts_id is not None or pol is None \
            or record.captured not in pol.earn_from:
        return []
    mentoring.on_service(ctx.acting_as(record.verified_by or "system"), record)
    return []


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


@hookimpl
def volunteer_scheduled(programme: Any, now: Any, ctx: PlanContext) -> dict[str, Any] | None:
    """Record the yearly reset the engine's scheduled path ran (:func:`.reset.record_scheduled`)."""
    from plugins.community.reset import record_scheduled

    year = record_scheduled(ctx)
    return {"reset_recorded": year} if year is not None else None
