"""Bonuses counted over the history (``rules.points.bonuses``) when the number of records does not
say it: a streak that breaks (``break_on_no_show``, ``max_gap_days``), or ``earn_from`` leaving some
kinds of records out (a transferred-in record is then no service: no first-service bonus for it).

The services counted: verified records of a kind in ``points.earn_from`` that are neither a
reversal, an adjustment, nor reversed by a verified reversal, in the order they started; the
no-shows: assignments of the volunteer marked ``no_show``, at their shift's start. The rule itself
is :func:`engine.rules.points.streak_due`. Bonuses are numbered per volunteer (ref
``streak:<programme>:<volunteer>:#<n>:<unit>``): the n-th is written when the history first makes n
due, so a record verified late or out of order never pays one twice, and one paid stays paid when a
correction later shortens the streak. The replay counts the same history under the changed rules.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.rules.models import ALL_CAPTURED, PointsPolicy
from engine.rules.points import streak_due
from engine.stages.design.models import Shift
from engine.stages.records.models import ServiceRecord
from engine.stages.service.models import Assignment


def _services(session: Session, programme_id: str, earn_from: list[str], volunteer_id: int | None) -> Any:
    rev = ServiceRecord.__table__.alias("rev")
    r = ServiceRecord.__table__
    q = select(r.c.volunteer_id, r.c.started_at).where(
        r.c.programme_id == programme_id, r.c.verified_at.is_not(None), r.c.reverses_id.is_(None),
        r.c.adjusts_id.is_(None), r.c.captured.in_(earn_from),
        ~select(rev.c.id).where(rev.c.reverses_id == r.c.id, rev.c.verified_at.is_not(None)).exists())
    if volunteer_id is not None:
        q = q.where(r.c.volunteer_id == volunteer_id)
    return session.execute(q.order_by(r.c.volunteer_id, r.c.started_at, r.c.id))


def _no_shows(session: Session, programme_id: str, volunteer_id: int | None) -> Any:
    q = select(Assignment.volunteer_id, Shift.starts_at).join(Shift, Shift.id == Assignment.shift_id).where(
        Assignment.programme_id == programme_id, Assignment.status == "no_show")
    if volunteer_id is not None:
        q = q.where(Assignment.volunteer_id == volunteer_id)
    return session.execute(q)


def history(session: Session, programme_id: str, policy: PointsPolicy, volunteer_id: int | None = None
            ) -> dict[int, tuple[list[dt.datetime], list[dt.datetime]]]:
    """Each volunteer's (service start times, no-show times)."""
    out: dict[int, tuple[list[dt.datetime], list[dt.datetime]]] = defaultdict(lambda: ([], []))
    for vid, started in _services(session, programme_id, list(policy.earn_from), volunteer_id):
        out[vid][0].append(started)
    streak = policy.bonuses.streak
    if streak is not None and streak.break_on_no_show:
        for vid, starts in _no_shows(session, programme_id, volunteer_id):
            out[vid][1].append(starts)
    return dict(out)


def history_mode(policy: PointsPolicy) -> bool:
    """Whether the bonuses are counted over the history rather than from the number of records: a
    streak that breaks, or only some kinds of records earning (the others count as no service)."""
    streak = policy.bonuses.streak
    return set(policy.earn_from) != set(ALL_CAPTURED) or (streak is not None and streak.breaks)


def _count(services: list[dt.datetime], no_shows: list[dt.datetime], policy: PointsPolicy) -> tuple[int, int, int]:
    streak = policy.bonuses.streak
    if streak is None:
        return len(services), 0, 0
    if not streak.breaks:
        return len(services), len(services) // streak.every, len(services)
    return len(services), *streak_due(services, no_shows, streak)


def state(session: Session, programme_id: str, policy: PointsPolicy, volunteer_id: int) -> tuple[int, int, int]:
    """(services counted, streak bonuses due, current streak) of one volunteer."""
    services, no_shows = history(session, programme_id, policy, volunteer_id).get(volunteer_id, ([], []))
    return _count(services, no_shows, policy)


def counts_by_volunteer(session: Session, programme_id: str, policy: PointsPolicy) -> dict[int, tuple[int, int]]:
    """Every volunteer's (services counted, streak bonuses due): the replay's figures in history mode."""
    return {vid: _count(s, n, policy)[:2] for vid, (s, n) in history(session, programme_id, policy).items()}


def ref(programme_id: str, volunteer_id: int, n: int, unit: str) -> str:
    return f"streak:{programme_id}:{volunteer_id}:#{n}:{unit}"
