"""One volunteer's standing in a community: balances, hours this year, backbone, stars, streak, mentoring.

What a volunteer (or the station) asks most: "how many points can I spend, am I a backbone volunteer,
how far to the next star?" — the balances from the ledger, the level, the next one and the hours to
it from the engine's one answer (``ctx.level_standing``, the figures of every page and export), the
streak from the engine's points policy (``ctx.service_counts``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from engine.sdk import PlanContext
from plugins.community.backbone import current_year, threshold_minutes, year_minutes
from plugins.community.dismissal import is_dismissed
from plugins.community.models import Mentorship
from plugins.community.rules import CommunityRules
from plugins.community.units import units


def standing(ctx: PlanContext, volunteer_id: int) -> dict[str, Any]:
    """The volunteer's standing at ``ctx.now`` (an enrolled volunteer; NotFound otherwise)."""
    session, programme = ctx.session, ctx.programme
    rules: CommunityRules = programme.rules
    tz = programme.config.timezone
    vol = ctx.volunteer(volunteer_id)
    year = current_year(rules, tz, ctx.now)
    minutes = year_minutes(session, rules, tz, programme.id, volunteer_id, year)
    level = ctx.level_standing(volunteer_id)
    points, lifetime = units(programme)
    pol = ctx.points_policy
    streak = pol.bonuses.streak if pol is not None else None
    services, _, current = ctx.service_counts(volunteer_id)  # one read of the history for both
    pairs = list(session.scalars(select(Mentorship).where(
        Mentorship.programme_id == programme.id,
        (Mentorship.mentor_id == volunteer_id) | (Mentorship.mentee_id == volunteer_id)).order_by(Mentorship.id)))
    return {
        "volunteer_id": vol.id, "name": vol.name, "year": year,
        "points": ctx.balance(volunteer_id, points),
        "lifetime_points": ctx.balance(volunteer_id, lifetime) if lifetime else None,
        "hours_this_year": round(minutes / 60, 2),
        "backbone": Decimal(minutes) >= threshold_minutes(rules),
        "backbone_hours_needed": float(rules.backbone.min_hours),
        "level": level["level"],
        "level_hours": level["level_hours"],
        "next_level": level["next_level"],
        "hours_to_next_level": level["hours_to_next"] if level["next_level"] else None,
        "services": services,
        "current_streak": current,
        "streak_every": streak.every if streak else None,
        "mentoring": [{"id": m.id, "role": "mentor" if m.mentor_id == volunteer_id else "mentee",
                       "mentor_id": m.mentor_id, "mentee_id": m.mentee_id, "status": m.status} for m in pairs],
        "dismissed": is_dismissed(session, programme.id, volunteer_id),
    }
