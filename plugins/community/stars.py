"""星级志愿者 Star levels by cumulative hours (seed 003 §3(六): 根据服务时长依次认定为一至五星级志愿者).

Schemes differ between regions, so the thresholds are data:

* ``rules.stars.preset`` names a shipped scheme from :data:`PRESETS`. ``national`` is the common
  scheme of the Ministry of Civil Affairs' 《志愿服务记录办法》(2012): 100 / 300 / 600 / 1000 / 1500 h
  for one to five stars (Beijing 第三十七条 and Zhejiang 第二十九条 call for a star scheme and leave
  the figures to such rules).
* ``rules.stars.levels`` replaces the preset with the programme's own list (other thresholds, more
  or fewer stars, ``nomination: true`` on a level that needs a recorded nomination).
* ``nomination_from: 5`` is a shortcut: five stars (and above) need a nomination.
* ``sequential: true`` — "the lower star first": a level that is not granted (its nomination is
  missing) blocks every level above it; otherwise such a level is skipped.
* ``exclude_categories`` / ``exclude_captured`` — kinds of hours that do not count.

To add a preset: add an entry to :data:`PRESETS` (levels lowest first, with the document it comes
from in ``source``), add a test with its thresholds and edges, and list it in
``docs/plan-types/community.md``. Programmes then select it with ``rules.stars.preset: <name>``.

The engine asks :func:`level_for` through ``volunteer_level_for`` whenever a volunteer's hours
change; it stores the answer and writes an honour when the level rises.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import Level
from engine.errors import Conflict, InvalidInput
from engine.sdk import PlanContext
from engine.sdk.tables import ServiceRecord
from plugins.community.models import StarNomination
from plugins.community.rules import CommunityRules, StarLevel


@dataclass(frozen=True)
class Preset:
    levels: tuple[StarLevel, ...]
    source: str


def _levels(*hours: int) -> tuple[StarLevel, ...]:
    names = ["一星志愿者 1-star", "二星志愿者 2-star", "三星志愿者 3-star", "四星志愿者 4-star", "五星志愿者 5-star"]
    return tuple(StarLevel(stars=i + 1, name=names[i], min_hours=Decimal(h)) for i, h in enumerate(hours))


PRESETS: dict[str, Preset] = {
    "national": Preset(_levels(100, 300, 600, 1000, 1500), "民政部《志愿服务记录办法》(2012) 星级认定: 100/300/600/1000/1500 小时"),
}


def scheme(rules: CommunityRules) -> list[StarLevel]:
    """The programme's levels, lowest first (its own list, else the preset's, else none)."""
    if rules.stars.levels is not None:
        return list(rules.stars.levels)
    if rules.stars.preset is None:
        return []
    return list(PRESETS[rules.stars.preset].levels)


def active(rules: CommunityRules) -> bool:
    """Whether the community rules decide levels (else the engine's ``rewards.levels`` do)."""
    return bool(scheme(rules))


def needs_nomination(rules: CommunityRules, level: StarLevel) -> bool:
    return level.nomination or (rules.stars.nomination_from is not None and level.stars >= rules.stars.nomination_from)


def counted_minutes(session: Session, programme: Any, volunteer_id: int, hours: float) -> int:
    """Minutes that count for stars: the engine's figure, unless the rules exclude kinds of hours."""
    rules: CommunityRules = programme.rules
    if not rules.stars.exclude_categories and not rules.stars.exclude_captured:
        return round(hours * 60)
    counted = [c for c in programme.config.rewards.level_hours_from if c not in rules.stars.exclude_captured]
    q = select(func.coalesce(func.sum(ServiceRecord.minutes), 0)).where(
        ServiceRecord.programme_id == programme.id, ServiceRecord.volunteer_id == volunteer_id,
        ServiceRecord.verified_at.is_not(None), ServiceRecord.captured.in_(counted))
    if rules.stars.exclude_categories:
        q = q.where(ServiceRecord.category.not_in(rules.stars.exclude_categories))
    return int(session.scalar(q) or 0)


def nominated(session: Session, programme_id: str, volunteer_id: int) -> set[int]:
    return set(session.scalars(select(StarNomination.stars).where(
        StarNomination.programme_id == programme_id, StarNomination.volunteer_id == volunteer_id)))


def decide(rules: CommunityRules, minutes: int, nominations: set[int]) -> StarLevel | None:
    """The highest level granted for ``minutes`` given the nominations on record."""
    best = None
    for level in scheme(rules):
        if Decimal(minutes) < level.min_hours * 60:
            break
        if needs_nomination(rules, level) and level.stars not in nominations:
            if rules.stars.sequential:
                break
            continue
        best = level
    return best


def level_for(session: Session, programme: Any, volunteer: Any, hours: float) -> Level | None:
    """The ``volunteer_level_for`` answer; ``None`` when the programme uses the engine's thresholds."""
    rules: CommunityRules = programme.rules
    if not active(rules) or volunteer is None:
        return None
    minutes = counted_minutes(session, programme, volunteer.id, hours)
    noms = nominated(session, programme.id, volunteer.id) if any(needs_nomination(rules, lv) for lv in scheme(rules)) else set()
    level = decide(rules, minutes, noms)
    if level is None:  # below one star; the engine then finds no level in an empty rewards.levels
        return None
    return Level(name=level.name, min_hours=float(level.min_hours))


def nominate(ctx: PlanContext, volunteer_id: int, stars: int, *, reason: str) -> StarNomination:
    """Record ``ctx.actor``'s nomination for ``stars`` (once per volunteer and level); the caller
    re-evaluates the level (``ctx.recompute_level``)."""
    session, programme = ctx.session, ctx.programme
    rules: CommunityRules = programme.rules
    level = next((lv for lv in scheme(rules) if lv.stars == stars), None)
    if level is None:
        raise InvalidInput(f"本项目的星级方案没有 {stars} 星 / the programme's star scheme has no {stars}-star level",
                           field="stars")
    vol = ctx.volunteer(volunteer_id)
    if stars in nominated(session, programme.id, volunteer_id):
        raise Conflict(f"{vol.name} 已被推荐为 {level.name} / {vol.name} is already nominated for {level.name}",
                       field="stars")
    row = StarNomination(programme_id=programme.id, volunteer_id=volunteer_id, stars=stars, reason=reason.strip(),
                         nominated_by=ctx.actor)
    session.add(row)
    session.flush()
    return row
