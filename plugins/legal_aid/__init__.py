"""The ``legal_aid`` plan type (法律援助志愿服务, seed 000 篇5): a case workflow, professional
qualifications and confidential case files — built only on the engine's plugin contract.

Hook implementations (see ``engine/hookspecs.py``):

* ``volunteer_register_plan_types`` — plan type ``legal_aid`` with :class:`.rules.PlanRules` (the
  《法律援助法》 rules of :mod:`.law` plus the plan type's settings) and ``default.yaml`` (roles intake,
  lawyer, law_teacher, student; workflows ``case`` and ``legal_document``);
* ``volunteer_register_guards`` / ``volunteer_register_actions`` — ``legal_aid.*`` (:mod:`.guards`,
  :mod:`.actions`);
* ``volunteer_migration_dirs`` — the ``legal_aid`` Alembic branch (``migrations/``);
* ``volunteer_api_routers`` — :mod:`.routes`;
* ``volunteer_instance_access`` / ``volunteer_instance_filter`` / ``volunteer_instance_read`` — case files
  and their documents are confidential, and every look through the engine's routes is logged
  (:mod:`.access`, :mod:`.instance_reads`);
* ``volunteer_scheduled`` — deemed withdrawals (:mod:`.scheduled`);
* ``volunteer_report_sections`` — :mod:`.report`;
* ``volunteer_check_eligibility`` — posts asking for a licensed lawyer or an organised law student.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine import PlanType, hookimpl

from .rules import PlanRules

HERE = Path(__file__).resolve().parent
PLAN_TYPE = "legal_aid"


@hookimpl
def volunteer_register_plan_types(register: Any) -> None:
    register.add(PlanType(
        id=PLAN_TYPE, title="法律援助志愿服务 Legal aid", rules_model=PlanRules, default_yaml=HERE / "default.yaml",
        description="接案、初审、核实、利益冲突审查、指派、评估、办理、结案、归档；律师资质与保密 "
                    "(seed 000 篇5; 《法律援助法》; 《律师法》)"))


@hookimpl
def volunteer_register_guards(register: Any) -> None:
    from .guards import GUARDS

    for name, fn in GUARDS.items():
        register.add(name, fn)


@hookimpl
def volunteer_register_actions(register: Any) -> None:
    from .actions import ACTIONS

    for name, fn in ACTIONS.items():
        register.add(name, fn)


@hookimpl
def volunteer_migration_dirs() -> str:
    from . import models  # noqa: F401 - the tables join Base.metadata before migrations run

    return str(HERE / "migrations")


@hookimpl
def volunteer_api_routers() -> list[Any]:
    from .routes import routers

    return routers()


@hookimpl
def volunteer_instance_access(programme: Any, instance: Any, user: Any, roles: frozenset[str],
                              session: Any) -> bool | None:
    """Case and document instances obey the case-file rule: only the whole view is allowed through the
    generic endpoints (they cannot mask, and guard reasons name parties). The look is logged by
    ``volunteer_instance_read``, which the engine calls next, refused or not."""
    from .access import View, case_view_level, document_view_level
    from .models import LegalDocument

    if instance.subject_type == "case":
        return case_view_level(session, int(instance.subject_id), user.id, roles) is View.FULL
    if instance.subject_type == "legal_document":
        doc = session.get(LegalDocument, int(instance.subject_id))
        return doc is not None and document_view_level(session, programme, doc, user.id, roles) is View.FULL
    return None


@hookimpl
def volunteer_instance_filter(programme: Any, instances: list[Any], user: Any, roles: frozenset[str],
                              session: Any) -> list[int]:
    """Keep the case and document instances a reader may not open out of the engine's instance list."""
    from .instance_reads import hidden_instances

    return hidden_instances(session, programme, instances, user, roles)


@hookimpl
def volunteer_instance_read(programme: Any, instances: list[Any], user: Any, roles: frozenset[str], session: Any,
                            what: str, allowed: bool) -> None:
    """Every case shown or refused through the engine's instance routes goes to the case's read log."""
    from .instance_reads import log_instance_reads

    log_instance_reads(session, programme, instances, user, roles, what, allowed)


@hookimpl
def volunteer_scheduled(programme: Any, now: Any, ctx: Any) -> dict[str, list[int]] | None:
    """Deemed withdrawals take effect on their own (《法律援助法》第四十三条第二款; :mod:`.scheduled`)."""
    from .scheduled import deemed_withdrawals

    done = deemed_withdrawals(ctx)
    return {"deemed_withdrawn": done} if done else None


@hookimpl
def volunteer_report_sections(programme: Any, session: Any) -> list[Any]:
    from .report import legal_aid_section

    return [legal_aid_section(programme, session)]


@hookimpl
def volunteer_check_eligibility(volunteer: Any, post: Any, programme: Any, session: Any, on: Any) -> list[str]:
    """Posts that ask (in ``qualifications``) for ``licensed_lawyer`` or ``law_student``."""
    from .eligibility import post_problems

    return post_problems(session, programme, volunteer, post, on)
