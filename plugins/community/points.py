"""Points for one verified service record (seed 001 §1(一) and §1(三)).

The rule, per record, written as a person would compute it::

    class   = rules.points.category_map[record.category]  (or the category itself, or default_class)
    base    = round(per_hour[class] × minutes / 60)        routine 1, professional 2, high_risk 3
    rating  = round(base × 10 %)  when the beneficiary rated it 5 stars (五星评价可额外获得10%积分)
    round() = to a multiple of rules.points.rounding.step (0.01), half up — once per ledger entry

So 30 minutes of routine service earn 0.50 and, rated 5 stars, 0.05 more; 20 minutes of high-risk
service earn 1.00 (+0.10). Each amount is one ledger entry with its own idempotency ref, so an
appeal can dispute exactly the part it disputes. Every earning is mirrored as ``lifetime_points``
(never reset) when ``rules.points.lifetime`` is on.

Only records whose ``captured`` kind is in ``rules.points.earn_from`` earn (default: check-in and
coordinator entries); records transferred from elsewhere bring their points through the time bank
instead, so nothing is counted twice. A reversing record (a correction) takes back what the record
it reverses earned — spendable points only as far as the balance still holds them (points already
redeemed are not clawed back; the shortfall is noted in the entry's data).
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Any

from sqlalchemy import func, select

from engine import Award
from engine.sdk import PlanContext
from engine.sdk.tables import LedgerEntry, ServiceRecord
from plugins.community.rules import CommunityRules, PointsRules, Rounding

POINTS = "points"
LIFETIME = "lifetime_points"
_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_UP}


def ref(programme_id: str, *parts: object) -> str:
    """An idempotency key in the community namespace (ledger refs are unique across programmes)."""
    return ":".join(["community", programme_id, *(str(p) for p in parts)])


def round_amount(value: Decimal, rounding: Rounding) -> Decimal:
    """Round to a multiple of ``rounding.step`` (default 0.01, half up); result has 2 decimals."""
    steps = (value / rounding.step).quantize(Decimal(1), rounding=_MODES[rounding.mode])
    return (steps * rounding.step).quantize(Decimal("0.01"))


def rate_class(points: PointsRules, category: str | None) -> str | None:
    """The per-hour class of a record category (None: no class, earns nothing)."""
    if category in points.per_hour:
        return category
    if category in points.category_map:
        return points.category_map[category]
    return points.default_class


def base_points(rules: CommunityRules, minutes: int, category: str | None) -> tuple[str | None, Decimal]:
    """(class, points) for ``minutes`` of service of ``category``, pro rata and rounded."""
    cls = rate_class(rules.points, category)
    if cls is None or minutes <= 0:
        return cls, Decimal(0)
    exact = rules.points.per_hour[cls] * Decimal(minutes) / Decimal(60)
    return cls, round_amount(exact, rules.points.rounding)


def rating_bonus(rules: CommunityRules, base: Decimal, rating: int | None) -> Decimal:
    """The 5-star share (10 % of the record's rounded points), or 0."""
    if rating is None or rating < rules.rating.stars or base <= 0:
        return Decimal(0)
    return round_amount(base * rules.rating.percent / Decimal(100), rules.points.rounding)


def earning(rules: CommunityRules, amount: Decimal, reason: str, kind: str, key: str,
            data: dict[str, Any]) -> list[Award]:
    """One earning as its ledger awards: spendable points, and lifetime points when configured."""
    if amount <= 0:
        return []
    units = [POINTS, LIFETIME] if rules.points.lifetime else [POINTS]
    return [Award(unit=u, amount=amount, reason=reason, kind=kind, ref=f"{key}:{u}", data=data) for u in units]


def record_awards(record: Any, programme_id: str, rules: CommunityRules) -> list[Award]:
    """The base and rating awards of one (non-reversing) record."""
    cls, base = base_points(rules, record.minutes, record.category)
    hours = Decimal(record.minutes) / Decimal(60)
    data = {"class": cls, "category": record.category, "minutes": record.minutes,
            "rate": str(rules.points.per_hour.get(cls, 0)) if cls else None, "rule": "seed 001 §1(一)"}
    out = earning(rules, base, f"服务 {hours:.2f} 小时（{cls}）/ {hours:.2f} h of {cls} service", "award",
                  ref(programme_id, "record", record.id), data)
    bonus = rating_bonus(rules, base, record.rating)
    out += earning(rules, bonus, f"五星评价 +{rules.rating.percent}% / 5-star rating +{rules.rating.percent}%",
                   "bonus", ref(programme_id, "rating", record.id),
                   {"base": str(base), "percent": str(rules.rating.percent), "rating": record.rating,
                    "rule": "seed 001 §1(三)"})
    return out


def reversal_awards(ctx: PlanContext, record: Any) -> list[Award]:
    """Take back what the reversed record earned (its base and rating entries, both units)."""
    session, programme_id = ctx.session, ctx.programme.id
    prefixes = (ref(programme_id, "record", record.reverses_id) + ":", ref(programme_id, "rating", record.reverses_id) + ":")
    rows = session.execute(select(LedgerEntry.unit, func.sum(LedgerEntry.amount)).where(
        LedgerEntry.programme_id == programme_id, LedgerEntry.record_id == record.reverses_id,
        LedgerEntry.ref.like(prefixes[0] + "%") | LedgerEntry.ref.like(prefixes[1] + "%"))
        .group_by(LedgerEntry.unit)).all()
    out: list[Award] = []
    for unit, total in sorted(rows):
        owed = Decimal(total or 0)
        if owed <= 0:
            continue
        take = owed
        if unit == POINTS:
            take = min(owed, ctx.balance(record.volunteer_id, POINTS))
        if take <= 0:
            continue
        out.append(Award(unit=unit, amount=-take, kind="reversal", ref=ref(programme_id, "unrecord", record.id, unit),
                         reason=f"服务记录 {record.reverses_id} 已冲正 / service record {record.reverses_id} was reversed",
                         data={"reverses_record": record.reverses_id, "owed": str(owed), "taken": str(take),
                               "not_recovered": str(owed - take)}))
    return out


def earns(rules: CommunityRules, record: Any) -> bool:
    return record.captured in rules.points.earn_from and record.verified_at is not None


def services_query(programme_id: str, volunteer_id: int, rules: CommunityRules) -> Any:
    """A volunteer's services that count for bonuses: verified, earning, not reversals, not reversed."""
    reversed_ids = select(ServiceRecord.reverses_id).where(
        ServiceRecord.programme_id == programme_id, ServiceRecord.volunteer_id == volunteer_id,
        ServiceRecord.reverses_id.is_not(None))
    return select(ServiceRecord.id, ServiceRecord.started_at).where(
        ServiceRecord.programme_id == programme_id, ServiceRecord.volunteer_id == volunteer_id,
        ServiceRecord.verified_at.is_not(None), ServiceRecord.reverses_id.is_(None), ServiceRecord.minutes > 0,
        ServiceRecord.captured.in_(rules.points.earn_from), ServiceRecord.id.not_in(reversed_ids))
