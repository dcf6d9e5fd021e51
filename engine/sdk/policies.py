"""The engine's policies for plan types (public).

Workplace (corporate): the work-time allowance (VTO) and matching grants for volunteer time, under
``rules.allowance`` and ``rules.grants``. Points and levels (community and any plan type that uses
``rules.points`` / ``rules.levels``): :func:`points_of` / :func:`levels_of` give a programme's
effective policies, :func:`round_points` rounds an amount as the policy rounds its awards,
:func:`next_step` answers the next level and the hours to it, :func:`record_parts` what one
activity earns (base and rating share), :func:`year_start` / :func:`year_of` a year that starts on a
given day (``rules.points.reset.year_start``) in the programme's time zone. Programmes write them in YAML or take them from a rule
pack; a plan type decides with the functions here (``docs/rules.md``). A context (``ctx``) has the
same as ``ctx.points_policy``, ``ctx.levels_policy``, ``ctx.level_standing(...)``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.rules import allowance, grants
from engine.rules.allowance import AllowancePolicy, Eligibility, Employee, PeriodBalance
from engine.rules.grants import Assessment, GrantPolicy, Line, Service, TeamGrant
from engine.rules.hours import round_to
from engine.rules.levels import Step, next_step
from engine.rules.models import LevelsPolicy, PointsPolicy, Rounding
from engine.rules.points import record_parts, streak_due
from engine.timeutil import year_of, year_start


def points_of(programme: Any) -> PointsPolicy | None:
    """The programme's effective ``rules.points`` (pack and overrides), or None."""
    from engine.stages.rewards.points_policy import policy_points

    return policy_points(programme)


def levels_of(programme: Any) -> LevelsPolicy:
    """The programme's level scheme: ``rules.levels``, else ``rewards.levels`` as a scheme."""
    from engine.stages.rewards.levels import effective_levels

    return effective_levels(programme)


def round_points(value: Decimal, policy: PointsPolicy | Rounding) -> Decimal:
    """``value`` rounded as ``policy`` rounds its awards (``rules.points.rounding``), to at least 2 decimals."""
    rounding = policy.rounding if isinstance(policy, PointsPolicy) else policy
    out = round_to(Decimal(value), rounding)
    return out.quantize(Decimal("0.01")) if out.as_tuple().exponent > -2 else out  # type: ignore[operator]


__all__ = ["AllowancePolicy", "Assessment", "Eligibility", "Employee", "GrantPolicy", "LevelsPolicy", "Line",
           "PeriodBalance", "PointsPolicy", "Rounding", "Service", "Step", "TeamGrant", "allowance", "grants",
           "levels_of", "next_step", "points_of", "record_parts", "round_points", "streak_due", "year_of", "year_start"]
