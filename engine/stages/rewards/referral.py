"""Referral points (推荐积分, ``rules.points.bonuses.referral``): whoever recommended a newcomer to
the programme earns points once, when the newcomer is enrolled or after their N-th counted service.

The recommender is stored on the newcomer's enrolment (``enrolments.referred_by``), given when they
are registered or enrolled. Entries have kind ``referral`` and one idempotency ref per newcomer and
unit, so a repeated verification or a racing request pays nothing twice. The replay of a rule change
leaves them as they are: they follow from enrolments, not from service records.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import timeutil
from engine.errors import InvalidInput
from engine.programme import LoadedProgramme
from engine.rules.models import PointsPolicy, Referral
from engine.stages.records.models import ServiceRecord, VolunteerTotal
from engine.stages.recruitment.models import Enrolment, Volunteer
from engine.stages.recruitment.visibility import visible_here
from engine.stages.rewards.ledger import append
from engine.stages.rewards.models import LedgerEntry
from engine.stages.rewards.points_policy import policy_points

KIND = "referral"


def _policy(programme: LoadedProgramme) -> tuple[PointsPolicy, Referral] | None:
    points = policy_points(programme)
    if points is None or points.bonuses.referral is None:
        return None
    return points, points.bonuses.referral


def offered(programme: LoadedProgramme) -> bool:
    """Whether the programme pays for recommendations (pages then ask for and show volunteer numbers)."""
    return _policy(programme) is not None


def check_referrer(session: Session, programme: LoadedProgramme, volunteer_id: int | None, referrer_id: int) -> None:
    """The recommender must be someone else who is in this programme (422 naming ``referred_by``)."""
    if volunteer_id is not None and referrer_id == volunteer_id:
        raise InvalidInput("推荐人不能是本人 / a person cannot recommend themselves", field="referred_by")
    if session.scalar(select(Volunteer.id).where(Volunteer.id == referrer_id, visible_here(programme.id))) is None:
        raise InvalidInput(f"推荐人 {referrer_id} 不是本项目的志愿者 / the recommender {referrer_id} is not a volunteer "
                           f"of programme {programme.id!r}", field="referred_by")


def _award(session: Session, programme: LoadedProgramme, enrolment: Enrolment, actor: str, why: tuple[str, str]) -> int:
    """Pay the recommender for this newcomer (both the unit and its lifetime mirror); returns entries written."""
    found = _policy(programme)
    if found is None or enrolment.referred_by is None:
        return 0
    points, rule = found
    if rule.max_per_year is not None and _this_year(session, programme, enrolment.referred_by, points.unit) \
            >= rule.max_per_year:
        return 0
    units = [points.unit] + ([points.reset.mirror_unit] if points.reset.mirror_unit else [])
    written = 0
    for unit in units:
        entry = append(session, programme_id=programme.id, volunteer_id=enrolment.referred_by, unit=unit,
                       amount=rule.points, kind=KIND, actor=actor,
                       reason=f"推荐志愿者 #{enrolment.volunteer_id} {why[0]} / recommended volunteer "
                              f"#{enrolment.volunteer_id}, {why[1]}",
                       ref=f"referral:{programme.id}:{enrolment.volunteer_id}:{unit}",
                       data={"rule": "rules.points.bonuses.referral", "newcomer": enrolment.volunteer_id})
        written += entry is not None
    return written


def _this_year(session: Session, programme: LoadedProgramme, referrer: int, unit: str) -> int:
    today = timeutil.today(programme.config.tz)
    start = dt.datetime.combine(dt.date(today.year, 1, 1), dt.time(0), tzinfo=programme.config.tz)
    return int(session.scalar(select(func.count()).select_from(LedgerEntry).where(
        LedgerEntry.programme_id == programme.id, LedgerEntry.volunteer_id == referrer, LedgerEntry.unit == unit,
        LedgerEntry.kind == KIND, LedgerEntry.created_at >= start)) or 0)


def on_enrolment(session: Session, programme: LoadedProgramme, enrolment: Enrolment, *, actor: str) -> int:
    """A newcomer with a recommender was enrolled: pay now when the scheme pays on enrolment."""
    found = _policy(programme)
    if found is None or found[1].after_services:
        return 0
    return _award(session, programme, enrolment, actor, ("已注册", "enrolled"))


def on_service(session: Session, programme: LoadedProgramme, record: ServiceRecord, *, actor: str) -> int:
    """A newcomer's service was verified: pay when it is their N-th counted one (``after_services``)."""
    found = _policy(programme)
    if found is None or not found[1].after_services or record.reverses_id is not None or record.adjusts_id is not None:
        return 0
    enrolment = session.scalars(select(Enrolment).where(Enrolment.programme_id == programme.id,
                                                        Enrolment.volunteer_id == record.volunteer_id)).one_or_none()
    if enrolment is None or enrolment.referred_by is None:
        return 0
    served = session.scalar(select(VolunteerTotal.records).where(
        VolunteerTotal.programme_id == programme.id, VolunteerTotal.volunteer_id == record.volunteer_id)) or 0
    n = found[1].after_services
    if int(served) < n:
        return 0
    return _award(session, programme, enrolment, actor, (f"已服务 {n} 次", f"served {n} times"))


__all__ = ["KIND", "check_referrer", "offered", "on_enrolment", "on_service"]
