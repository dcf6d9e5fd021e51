"""志愿者骨干 Backbone volunteers (seed 003 附件4 第四条).

"凡每年在本社区服务时长达48小时以上，归入'志愿者骨干'登记注册 … 志愿者骨干可以依据个人志愿服务时长兑换
社区提供的爱心回馈": a volunteer is a backbone volunteer in a community year when their verified
service *in this community* that year reaches 48 hours — exactly 48 h counts ("达…以上"). Hours
transferred in from elsewhere are not service here and do not count (``backbone.count_captured``);
a correction (reversing record) subtracts. Compared in whole minutes, so 48 h is 2880 min exactly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.sdk.tables import ServiceRecord, Volunteer, utcnow
from plugins.community.rules import CommunityRules
from plugins.community.years import year_bounds, year_of


def threshold_minutes(rules: CommunityRules) -> Decimal:
    return rules.backbone.min_hours * 60


def current_year(rules: CommunityRules, tz: str, now: dt.datetime | None = None) -> int:
    return year_of(rules, tz, now or utcnow())


def _year_filter(rules: CommunityRules, tz: str, programme_id: str, year: int) -> list:  # type: ignore[type-arg]
    start, end = year_bounds(rules, tz, year)
    return [ServiceRecord.programme_id == programme_id, ServiceRecord.verified_at.is_not(None),
            ServiceRecord.captured.in_(rules.backbone.count_captured),
            ServiceRecord.started_at >= start, ServiceRecord.started_at < end]


def year_minutes(session: Session, rules: CommunityRules, tz: str, programme_id: str, volunteer_id: int,
                 year: int) -> int:
    """Verified minutes served here by one volunteer in community year ``year``."""
    return int(session.scalar(select(func.coalesce(func.sum(ServiceRecord.minutes), 0)).where(
        ServiceRecord.volunteer_id == volunteer_id, *_year_filter(rules, tz, programme_id, year))) or 0)


def is_backbone(session: Session, rules: CommunityRules, tz: str, programme_id: str, volunteer_id: int,
                year: int) -> bool:
    return Decimal(year_minutes(session, rules, tz, programme_id, volunteer_id, year)) >= threshold_minutes(rules)


def backbone_volunteers(session: Session, rules: CommunityRules, tz: str, programme_id: str,
                        year: int) -> list[tuple[int, str, int]]:
    """(volunteer id, name, minutes) of every backbone volunteer of the year, most hours first (one query)."""
    minutes = func.sum(ServiceRecord.minutes)
    rows = session.execute(select(ServiceRecord.volunteer_id, Volunteer.name, minutes)
                           .join(Volunteer, Volunteer.id == ServiceRecord.volunteer_id)
                           .where(*_year_filter(rules, tz, programme_id, year))
                           .group_by(ServiceRecord.volunteer_id, Volunteer.name)
                           .having(minutes >= threshold_minutes(rules))
                           .order_by(minutes.desc(), ServiceRecord.volunteer_id))
    return [(int(v), str(n), int(m)) for v, n, m in rows]
