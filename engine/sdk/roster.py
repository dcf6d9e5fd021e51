"""Rostering for plan types (public): the shift rules and the CP-SAT auto-roster of the service stage.

* :func:`auto_roster` — fill the programme's open shifts (or ``shift_ids``) acting as ``ctx.actor``;
  returns needed, filled, CP-SAT's bound and gap, kept/added/removed and every unfilled place with
  its reason (:mod:`engine.stages.service.autoroster`);
* :func:`shift_rule_violations` — what a (start, end) would break next to other spans under the
  programme's ``rules.shifts`` (empty without shift rules).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from engine.sdk.context import PlanContext


def auto_roster(ctx: PlanContext, *, shift_ids: list[int] | None = None,
                available: dict[int, set[dt.date]] | None = None, preferred: set[tuple[int, int]] | None = None,
                time_limit: float = 5.0, write: bool = True) -> dict[str, Any]:
    from engine.stages.service.autoroster import run

    return run(ctx.session, ctx.programme, ctx.host, actor=ctx.actor, now=ctx.now, shift_ids=shift_ids,
               available=available, preferred=preferred, time_limit=time_limit, write=write)


def shift_rule_violations(ctx: PlanContext, others: Sequence[tuple[dt.datetime, dt.datetime]],
                          new: tuple[dt.datetime, dt.datetime]) -> list[str]:
    from engine.stages.service.shift_rules import policy_of, violations

    rules = policy_of(ctx.programme)
    return [] if rules is None else violations(rules, others, new, ctx.zone)
