"""Incidents for plan types (public): grades, warning colours, acknowledgement, automatic escalation
(:mod:`engine.stages.service.incident_timer`). Each takes the caller's ``ctx`` and acts as
``ctx.actor`` at ``ctx.now``; results are :class:`engine.sdk.IncidentView`."""

from __future__ import annotations

from engine.sdk.context import PlanContext
from engine.stages.service.incidents import CATEGORIES as CATEGORIES  # the incident categories (public)
from engine.views import IncidentView, view_of

GOV_GRADES = ("particularly_serious", "serious", "relatively_serious", "general")
WARNING_COLOURS = ("red", "orange", "yellow", "blue")


def report_incident(ctx: PlanContext, category: str, description: str, *, level: str | None = None,
                    shift_id: int | None = None, gov_grade: str | None = None,
                    warning_colour: str | None = None) -> IncidentView:
    from engine.stages.service.incident_timer import report

    return view_of(IncidentView, report(ctx.session, ctx.programme, category=category, description=description,
                                        actor=ctx.actor, now=ctx.now, level=level, shift_id=shift_id,
                                        gov_grade=gov_grade, warning_colour=warning_colour))


def acknowledge_incident(ctx: PlanContext, incident_id: int) -> IncidentView:
    from engine.stages.service.incident_timer import acknowledge

    return view_of(IncidentView, acknowledge(ctx.session, ctx.programme, incident_id, actor=ctx.actor, now=ctx.now))


def escalate_incident(ctx: PlanContext, incident_id: int, *, to_level: str | None = None,
                      note: str | None = None) -> IncidentView:
    from engine.stages.service.incident_timer import escalate

    return view_of(IncidentView, escalate(ctx.session, ctx.programme, incident_id, actor=ctx.actor, now=ctx.now,
                                          to_level=to_level, note=note))


def escalate_overdue(ctx: PlanContext, ack_minutes: dict[str, int]) -> list[int]:
    """Escalate open incidents nobody acknowledged within their level's minutes (call it from
    ``volunteer_scheduled``); returns the incident ids moved."""
    from engine.stages.service.incident_timer import escalate_overdue as run

    return run(ctx.session, ctx.programme, ack_minutes, now=ctx.now, actor=ctx.actor)
