"""Rostering for plan types (public): the shift rules and the CP-SAT auto-roster of the service stage.

* :func:`auto_roster` — fill the programme's open shifts (or ``shift_ids``) acting as ``ctx.actor``;
  returns needed, filled, CP-SAT's bound and gap, kept/added/removed and every unfilled place with
  its reason (:mod:`engine.stages.service.autoroster`); ``unavailable`` (volunteer → (start, end)
  windows they are not free) keeps people off shifts that overlap such a window; ``preferred`` as a
  dict gives each wish a weight (a volunteer's first choice above their second);
* :func:`redeploy_refusals` — why a rostered volunteer may not be moved to another post for a window;
* :func:`shift_rule_violations` — what a (start, end) would break next to other spans under the
  programme's ``rules.shifts`` (empty without shift rules).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from engine.sdk.context import PlanContext


def auto_roster(ctx: PlanContext, *, shift_ids: list[int] | None = None,
                available: dict[int, set[dt.date]] | None = None,
                preferred: set[tuple[int, int]] | dict[tuple[int, int], int] | None = None,
                time_limit: float = 5.0, write: bool = True,
                unavailable: dict[int, list[tuple[dt.datetime, dt.datetime]]] | None = None) -> dict[str, Any]:
    from engine.stages.service.autoroster import run

    return run(ctx.session, ctx.programme, ctx.host, actor=ctx.actor, now=ctx.now, shift_ids=shift_ids,
               available=available, preferred=preferred, time_limit=time_limit, write=write,
               unavailable=unavailable)


def shift_rule_violations(ctx: PlanContext, others: Sequence[tuple[dt.datetime, dt.datetime]],
                          new: tuple[dt.datetime, dt.datetime]) -> list[str]:
    from engine.stages.service.shift_rules import policy_of, violations

    rules = policy_of(ctx.programme)
    return [] if rules is None else violations(rules, others, new, ctx.zone)


def place_on_post(ctx: PlanContext, volunteer_id: int, post_id: int, *, signed_on: dt.date,
                  guardian_name: str | None = None, eligible_on: dt.date | None = None) -> int:
    """Directed placement: a volunteer the plan type has already screened, interviewed and offered a
    place (its own funnel) gets the engine's application to ``post_id`` taken through the engine's
    own workflow — apply (eligibility checked), screen, offer, the signed 志愿服务协议书 recorded, agree — each
    transition with its guards, acting as ``ctx.actor``. Returns the application id; refuses (422,
    every reason) exactly where the engine's routes would.

    ``guardian_name``: who signed a minor's agreement (003 附件4 第二条; without it a minor is refused).
    ``eligible_on``: the day the post's conditions (age …) are reckoned on, e.g. the event's first day
    when a call says "18 on the day of the event" (default: today)."""
    from engine.errors import GuardsFailed
    from engine.stages.recruitment.applications import apply, fire, record_agreement
    from engine.stages.recruitment.models import Volunteer

    vol = ctx.session.get(Volunteer, volunteer_id)
    if vol is None:
        from engine.errors import NotFound

        raise NotFound(f"没有志愿者 {volunteer_id} / no volunteer {volunteer_id}", field="volunteer_id")
    app, _inst, _reminders = apply(ctx.session, ctx.programme, ctx.host, vol, post_id, actor=ctx.actor,
                                   on=ctx.today, eligible_on=eligible_on)
    for trigger in ("screen", "offer"):
        res = fire(ctx.session, ctx.programme, ctx.host, app, trigger, actor=ctx.actor, roles=ctx.roles, own=False)
        if not res.ok:
            raise GuardsFailed(trigger, res.reasons)
    record_agreement(ctx.session, ctx.programme, app, signed_on=signed_on, actor=ctx.actor, on=ctx.today,
                     guardian_name=guardian_name)
    res = fire(ctx.session, ctx.programme, ctx.host, app, "agree", actor=ctx.actor, roles=ctx.roles, own=False)
    if not res.ok:
        raise GuardsFailed("agree", res.reasons)
    return app.id


def redeploy_refusals(ctx: PlanContext, volunteer_id: int, from_shift_id: int, to_post_id: int,
                      starts_at: dt.datetime, ends_at: dt.datetime) -> list[str]:
    """Why a rostered volunteer may not be moved from their shift ``from_shift_id`` to ``to_post_id``
    for ``[starts_at, ends_at)`` on the day (empty: they may): eligibility for the post, the no-show
    cap, and overlap, rest and hours of their duty stretched over the window under ``service.*`` and
    ``rules.shifts`` (:mod:`engine.stages.service.redeploy`). Reads only."""
    from engine.stages.service.redeploy import redeploy_refusals as check

    return check(ctx.session, ctx.programme, ctx.host, volunteer_id=volunteer_id, from_shift_id=from_shift_id,
                 to_post_id=to_post_id, starts_at=starts_at, ends_at=ends_at, now=ctx.now)
