"""Facade methods for the engine's points and levels policies, mixed into :class:`PlanContext`.

A plan type that takes its points and levels from ``rules.points`` / ``rules.levels`` (a pack and
its overrides) reads the same figures the engine writes, pages show and the replay recomputes:

* ``points_policy`` (the effective ``rules.points``, or None), ``levels_policy`` (``rules.levels``,
  else ``rewards.levels`` as a scheme);
* ``level_standing(volunteer_id)`` — hours, level hours, level, ``next_level``, ``hours_to_next``,
  ``top``: the one answer of ``GET /programmes/{id}/levels/{volunteer}``;
* ``nominate_level(volunteer_id, level, note=)`` — a nomination (推荐) for a level of the scheme,
  then the level decided again; ``level_nominations(volunteer_id=)``;
* ``streak(volunteer_id)`` — (streak bonuses due, current streak) under ``rules.points.bonuses.streak``,
  ``services_counted(volunteer_id)``, or all three in one read: ``service_counts(volunteer_id)``;
* ``reset_points_year(year)`` — the yearly reset of ``rules.points.reset`` now (the scheduled path
  also runs it by itself); ``points_reset_taken(year)`` — what a year's reset took, whoever ran it.

Pure helpers over a policy (rounding, next step) are in :mod:`engine.sdk.policies`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

if TYPE_CHECKING:
    from engine.rules.models import LevelsPolicy, PointsPolicy


@dataclass(frozen=True, slots=True)
class NominationView:
    """A recorded nomination for a level (``rules.levels``)."""

    id: int
    volunteer_id: int
    level: str
    note: str | None
    nominated_by: str
    created_at: dt.datetime


def _nomination(row: Any) -> NominationView:
    return NominationView(row.id, row.volunteer_id, row.level, row.note, row.nominated_by, row.created_at)


class RewardsMethods:
    session: Any
    programme: Any
    host: Any
    actor: str

    @property
    def points_policy(self) -> PointsPolicy | None:
        from engine.stages.rewards.points_policy import policy_points

        return policy_points(self.programme)

    @property
    def levels_policy(self) -> LevelsPolicy:
        from engine.stages.rewards.levels import effective_levels

        return effective_levels(self.programme)

    def level_standing(self, volunteer_id: int) -> dict[str, Any]:
        """Hours, level hours, level, next level and hours to it (``top`` at the top of the scheme)."""
        from engine.stages.rewards.level_policy import standing

        return standing(self.session, self.programme, volunteer_id)

    def nominate_level(self, volunteer_id: int, level: str, *, note: str | None = None) -> NominationView:
        """Record ``actor``'s nomination of a volunteer for ``level`` (refused: not in the scheme,
        already nominated, or the level below not yet awarded under ``previous_required``)."""
        from engine.stages.rewards.level_policy import nominate

        return _nomination(nominate(self.session, self.programme, self.host, volunteer_id, level,
                                    actor=self.actor, note=note))

    def level_nominations(self, volunteer_id: int | None = None) -> list[NominationView]:
        from engine.stages.rewards.models import LevelNomination as N

        q = select(N).where(N.programme_id == self.programme.id)
        if volunteer_id is not None:
            q = q.where(N.volunteer_id == volunteer_id)
        return [_nomination(r) for r in self.session.scalars(q.order_by(N.id))]

    def service_counts(self, volunteer_id: int) -> tuple[int, int, int]:
        """(services counted for bonuses — verified, of an ``earn_from`` kind, not reversed —, streak
        bonuses due over the history, the current streak), read once; (0, 0, 0) without a points policy."""
        from engine.stages.rewards import streaks

        pol = self.points_policy
        return (0, 0, 0) if pol is None else streaks.state(self.session, self.programme.id, pol, volunteer_id)

    def streak(self, volunteer_id: int) -> tuple[int, int]:
        """(streak bonuses due over the history, the current streak) — (0, 0) without a streak bonus."""
        _, due, current = self.service_counts(volunteer_id)
        return due, current

    def reset_points_year(self, year: int) -> tuple[int, Any]:
        """The yearly reset of ``rules.points`` for ``year`` as ``actor`` at ``now``: what was earned
        before the year began (spent since comes from it first; lifetime points kept). Refused while
        the year has not begun or the policy has no yearly reset; a year already reset — by hand or
        by the scheduled path — takes nothing. Returns (volunteers reset now, total taken now)."""
        from engine.stages.rewards.points_policy import reset_points

        return reset_points(self, year)

    def points_reset_taken(self, year: int) -> tuple[int, Any]:
        """What the reset of ``year`` took, whoever ran it: (volunteers, total), from the ledger."""
        from engine.stages.rewards.yearly_reset import year_totals

        pol = self.points_policy
        return (0, 0) if pol is None else year_totals(self.session, self.programme.id, pol.unit, year)

    def services_counted(self, volunteer_id: int) -> int:
        """The volunteer's services that count for bonuses (verified, of an ``earn_from`` kind, not reversed)."""
        return self.service_counts(volunteer_id)[0]


__all__ = ["NominationView", "RewardsMethods"]
