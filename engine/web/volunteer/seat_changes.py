"""Which of a volunteer's seats they may still change themselves, and what they could swap to (shown on
"My shifts"; the forms that act on it are in ``changes``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.http.deps import Access
from engine.stages.design.models import Shift
from engine.store.base import utcnow


def change_options(session: Session, access: Access, upcoming: list[tuple[Any, Shift, Any]]) -> dict[str, Any]:
    """Which of the reader's seats they may still change (by assignment id: the last moment), and the
    shifts of the same posts they could swap to (one query)."""
    minutes = access.programme.config.service.self_cancel_minutes_before
    if minutes is None:
        return {"self_change": False, "until": {}, "swaps": {}}
    now, margin = utcnow(), dt.timedelta(minutes=minutes)
    until = {a.id: s.starts_at - margin for a, s, _ in upcoming if a.status == "assigned" and s.starts_at - margin >= now}
    posts = {s.post_id for a, s, _ in upcoming if a.id in until}
    swaps: dict[int, list[Shift]] = {}
    if posts:
        for shift in session.scalars(select(Shift).where(
                Shift.programme_id == access.programme.id, Shift.post_id.in_(posts), Shift.cancelled_at.is_(None),
                Shift.starts_at > now + margin).order_by(Shift.starts_at).limit(200)):
            swaps.setdefault(shift.post_id, []).append(shift)
    return {"self_change": True, "until": until, "swaps": swaps}
