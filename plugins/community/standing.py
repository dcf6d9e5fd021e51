"""One volunteer's standing in a community: balances, hours this year, backbone, stars, streak, mentoring.

What a volunteer (or the station) asks most: "how many points can I spend, am I a backbone volunteer,
how far to the next star?" — answered from the ledger, the records and the engine's level cache.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from engine.sdk import PlanContext
from plugins.community import stars
from plugins.community.backbone import current_year, threshold_minutes, year_minutes
from plugins.community.dismissal import is_dismissed
from plugins.community.models import Mentorship
from plugins.community.points import LIFETIME, POINTS
from plugins.community.rules import CommunityRules
from plugins.community.streaks import no_show_times, service_times, streak_state


def standing(ctx: PlanContext, volunteer_id: int) -> dict[str, Any]:
    """The volunteer's standing at ``ctx.now`` (an enrolled volunteer; NotFound otherwise)."""
    session, programme = ctx.session, ctx.programme
    rules: CommunityRules = programme.rules
    tz = programme.config.timezone
    vol = ctx.volunteer(volunteer_id)
    year = current_year(rules, tz, ctx.now)
    minutes = year_minutes(session, rules, tz, programme.id, volunteer_id, year)
    total = ctx.totals(volunteer_id)
    level_minutes = total.level_minutes
    next_level = next((lv for lv in stars.scheme(rules) if Decimal(level_minutes) < lv.min_hours * 60), None)
    services = service_times(session, programme.id, volunteer_id, rules)
    _, streak = streak_state(services, no_show_times(session, programme.id, volunteer_id), rules)
    pairs = list(session.scalars(select(Mentorship).where(
        Mentorship.programme_id == programme.id,
        (Mentorship.mentor_id == volunteer_id) | (Mentorship.mentee_id == volunteer_id)).order_by(Mentorship.id)))
    return {
        "volunteer_id": vol.id, "name": vol.name, "year": year,
        "points": ctx.balance(volunteer_id, POINTS),
        "lifetime_points": ctx.balance(volunteer_id, LIFETIME),
        "hours_this_year": round(minutes / 60, 2),
        "backbone": Decimal(minutes) >= threshold_minutes(rules),
        "backbone_hours_needed": float(rules.backbone.min_hours),
        "level": total.level,
        "level_hours": round(level_minutes / 60, 2),
        "next_level": next_level.name if next_level else None,
        "hours_to_next_level": float(round(next_level.min_hours - Decimal(level_minutes) / 60, 2)) if next_level else None,
        "services": len(services),
        "current_streak": streak,
        "streak_every": rules.bonuses.streak.every,
        "mentoring": [{"id": m.id, "role": "mentor" if m.mentor_id == volunteer_id else "mentee",
                       "mentor_id": m.mentor_id, "mentee_id": m.mentee_id, "status": m.status} for m in pairs],
        "dismissed": is_dismissed(session, programme.id, volunteer_id),
    }
