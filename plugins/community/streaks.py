"""One-off bonuses (seed 001 §1(一)): first service +5, every 10 consecutive services +10.

"Consecutive" is defined here, because the document does not: a volunteer's services are taken in
the order they started; the streak counts up by one per service and goes back to zero

* at a no-show on a shift they were rostered on (``rules.bonuses.streak.break_on_no_show``), and
* when more than ``max_gap_days`` (default 31) passed since their previous service.

A bonus is due at the 10th, 20th, 30th … service of a streak. The bonuses written are numbered
per volunteer (``…:streak:<volunteer>:<n>``): the n-th is written when the history first makes n
bonuses due, so verifying records late or out of order, or correcting one, never pays a bonus twice.
A bonus once paid is not taken back if a later correction shortens the streak.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import Award
from engine.sdk.tables import Assignment, LedgerEntry, Shift
from plugins.community.points import POINTS, earning, ref, services_query
from plugins.community.rules import CommunityRules


def service_times(session: Session, programme_id: str, volunteer_id: int, rules: CommunityRules) -> list[dt.datetime]:
    q = services_query(programme_id, volunteer_id, rules).order_by("started_at", "id")
    return [row.started_at for row in session.execute(q)]


def no_show_times(session: Session, programme_id: str, volunteer_id: int) -> list[dt.datetime]:
    return list(session.scalars(select(Shift.starts_at).join(Assignment, Assignment.shift_id == Shift.id).where(
        Assignment.programme_id == programme_id, Assignment.volunteer_id == volunteer_id,
        Assignment.status == "no_show")))


def streak_state(services: list[dt.datetime], no_shows: list[dt.datetime], rules: CommunityRules) -> tuple[int, int]:
    """(bonuses due over the whole history, length of the current streak)."""
    cfg = rules.bonuses.streak
    events = sorted([(t, 1) for t in services] + ([(t, 0) for t in no_shows] if cfg.break_on_no_show else []))
    gap = dt.timedelta(days=cfg.max_gap_days) if cfg.max_gap_days else None
    due = streak = 0
    last: dt.datetime | None = None
    for when, is_service in events:
        if not is_service:
            streak, last = 0, None
            continue
        if gap is not None and last is not None and when - last > gap:
            streak = 0
        streak += 1
        last = when
        if streak % cfg.every == 0:
            due += 1
    return due, streak


def _paid(session: Session, programme_id: str, prefix: str) -> int:
    return int(session.scalar(select(func.count()).select_from(LedgerEntry).where(
        LedgerEntry.programme_id == programme_id, LedgerEntry.unit == POINTS,
        LedgerEntry.ref.like(prefix + "%:" + POINTS))) or 0)


def bonus_awards(session: Session, record: Any, programme_id: str, rules: CommunityRules) -> list[Award]:
    """First-service and streak bonuses now due for the record's volunteer."""
    vid = record.volunteer_id
    services = service_times(session, programme_id, vid, rules)
    if not services:
        return []
    out: list[Award] = []
    first_key = ref(programme_id, "first", vid)
    first_paid = session.scalar(select(LedgerEntry.id).where(LedgerEntry.ref == f"{first_key}:{POINTS}"))
    if rules.bonuses.first_service > 0 and first_paid is None:
        out += earning(rules, rules.bonuses.first_service, "首次参与志愿服务奖励 / first service bonus", "bonus",
                       first_key, {"rule": "seed 001 §1(一) 首次参与志愿服务额外奖励5分"})
    cfg = rules.bonuses.streak
    if cfg.points > 0:
        due, current = streak_state(services, no_show_times(session, programme_id, vid), rules)
        paid = _paid(session, programme_id, ref(programme_id, "streak", vid) + ":")
        for n in range(paid + 1, due + 1):
            out += earning(rules, cfg.points, f"连续参与满 {cfg.every} 次奖励 / {cfg.every} consecutive services bonus",
                           "bonus", ref(programme_id, "streak", vid, n),
                           {"rule": "seed 001 §1(一) 连续参与满10次奖励10分", "n": n, "every": cfg.every,
                            "current_streak": current})
    return out
