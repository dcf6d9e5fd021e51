"""The engine's points and redemption policies in the store (``rules.points``, ``rules.redemption``).

Awards are written by :func:`engine.stages.rewards.service.after_record_verified` next to any
plan type's own; a plan type that declares its own ``rules.points`` keeps it (the policy is then
shadowed and writes nothing). A reversal takes back what the reversed record earned; a rule-change
adjustment earns nothing here (the replay writes its own adjusting entries).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import String, cast, func, literal, select
from sqlalchemy.orm import Session

from engine import timeutil
from engine.errors import Conflict, InvalidInput, NotFound
from engine.programme import LoadedProgramme
from engine.rules import points as rules_points
from engine.rules import redemption as rules_redemption
from engine.rules.hours import level_condition
from engine.rules.models import ItemLimit, PointsPolicy, RedemptionPolicy
from engine.stages.records.models import ServiceRecord, VolunteerTotal
from engine.stages.rewards import streaks
from engine.stages.rewards.awards import Award
from engine.stages.rewards.ledger import append, balance_of
from engine.stages.rewards.levels import effective_levels
from engine.stages.rewards.models import CatalogueItem, LedgerEntry, Redemption


def policy_points(programme: LoadedProgramme) -> PointsPolicy | None:
    p = programme.policy
    return None if p is None or p.points is None or "points" in programme.shadowed else p.points


def policy_redemption(programme: LoadedProgramme) -> RedemptionPolicy | None:
    p = programme.policy
    return None if p is None or p.redemption is None or "redemption" in programme.shadowed else p.redemption


def _earned_by(session: Session, programme_id: str, record_id: int, unit: str) -> Decimal:
    return Decimal(session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
        LedgerEntry.programme_id == programme_id, LedgerEntry.record_id == record_id, LedgerEntry.unit == unit,
        LedgerEntry.kind.in_(("award", "outcome", "adjustment")))) or 0)


def engine_awards(session: Session, programme: LoadedProgramme, record: ServiceRecord) -> list[Award]:
    """What a just-verified record earns under ``rules.points``."""
    policy = policy_points(programme)
    if policy is None or record.adjusts_id is not None:
        return []
    units = [policy.unit] + ([policy.reset.mirror_unit] if policy.reset.mirror_unit else [])
    if record.reverses_id is not None:  # take back what it earned, as far as the balance still holds it
        out: list[Award] = []
        for u in units:
            owed = _earned_by(session, programme.id, record.reverses_id, u)
            take = min(owed, balance_of(session, programme.id, record.volunteer_id, u))
            out.append(Award(u, -take, f"冲正记录 #{record.reverses_id} 的积分 / points of reversed record "
                           f"#{record.reverses_id}", kind="award",
                           data={"reverses": record.reverses_id, "owed": str(owed), "taken": str(take),
                                 "not_recovered": str(owed - take)}))
        return out
    base, bonus = rules_points.record_parts(policy, minutes=record.minutes, category=record.category,
                                            captured=record.captured, rating=record.rating)
    data = {"minutes": record.minutes, "category": record.category, "rating": record.rating, "rule": "rules.points"}
    out = [Award(u, base, f"服务 {record.minutes / 60:g} 小时 / {record.minutes / 60:g} h of service",
                 data=data) for u in units]
    if bonus:  # its own entry (an appeal disputes exactly it), kind award: a reversal or outcome takes it too
        rb = policy.rating_bonus
        assert rb is not None
        out += [Award(u, bonus, f"{record.rating} 星评价 +{rb.percent:g}% / {record.rating}-star rating +{rb.percent:g}%",
                      ref=f"rating:{programme.id}:{record.id}:{u}",
                      data={"base": str(base), "percent": str(rb.percent), "rating": record.rating,
                            "rule": "rules.points.rating_bonus"}) for u in units]
    if streaks.history_mode(policy):
        return out + _history_bonuses(session, programme, policy, record.volunteer_id, units)
    # bonuses count every verified service, net of reversals (as the replay does)
    n = session.scalar(select(VolunteerTotal.records).where(
        VolunteerTotal.programme_id == programme.id, VolunteerTotal.volunteer_id == record.volunteer_id)) or 0
    for b in rules_points.bonuses(policy, service_number=int(n), key=f"{programme.id}:{record.volunteer_id}"):
        out += [Award(u, b.amount, b.reason, kind=b.kind, ref=f"{b.ref}:{u}", data={"rule": "rules.points.bonuses"})
                for u in units]
    return out


def _history_bonuses(session: Session, programme: LoadedProgramme, policy: PointsPolicy, volunteer_id: int,
                     units: list[str]) -> list[Award]:
    """First-service and numbered streak bonuses now due and not yet written, counted over the
    volunteer's services (:mod:`engine.stages.rewards.streaks`)."""
    services, due, current = streaks.state(session, programme.id, policy, volunteer_id)
    out: list[Award] = []
    first = policy.bonuses.first_service
    if services >= 1 and first > 0:
        out += [Award(u, first, "首次参与 / first service", kind="bonus", ref=f"first:{programme.id}:{volunteer_id}:{u}",
                      data={"rule": "rules.points.bonuses.first_service"}) for u in units]
    streak = policy.bonuses.streak
    if streak is None or streak.points <= 0 or due == 0:
        return out
    prefix = f"streak:{programme.id}:{volunteer_id}:#"
    paid = int(session.scalar(select(func.count()).select_from(LedgerEntry).where(
        LedgerEntry.programme_id == programme.id, LedgerEntry.unit == policy.unit,
        LedgerEntry.ref.like(prefix + "%"))) or 0)
    return out + [Award(u, streak.points, f"连续参与满 {streak.every} 次 / {streak.every} consecutive services",
                        kind="bonus", ref=streaks.ref(programme.id, volunteer_id, n, u),
                        data={"rule": "rules.points.bonuses.streak", "n": n, "every": streak.every,
                              "current_streak": current})
                  for n in range(paid + 1, due + 1) for u in units]


def apply_outcome(session: Session, programme: LoadedProgramme, record_id: int, outcome: str, *,
                  actor: str) -> LedgerEntry | None:
    """An outcome changes a record's points (``rules.points.outcomes``: a substantiated complaint × 0)."""
    policy = policy_points(programme)
    if policy is None or outcome not in policy.outcomes:
        known = ", ".join(policy.outcomes) if policy else "(no rules.points)"
        raise InvalidInput(f"未知的结果 {outcome!r} / unknown outcome {outcome!r}; known: {known}", field="outcome")
    rec = session.get(ServiceRecord, record_id)
    if rec is None or rec.programme_id != programme.id:
        raise NotFound(f"没有服务记录 {record_id} / no service record {record_id}", record=record_id)
    awarded = _earned_by(session, programme.id, record_id, policy.unit)
    delta = rules_points.outcome_delta(policy, outcome, awarded)
    if delta == 0:
        return None
    return append(session, programme_id=programme.id, volunteer_id=rec.volunteer_id, unit=policy.unit, amount=delta,
                  kind="outcome", reason=f"{outcome}: ×{policy.outcomes[outcome]}", actor=actor, record_id=rec.id,
                  ref=f"outcome:{rec.id}:{outcome}", data={"rule": f"rules.points.outcomes.{outcome}"})


def yearly_policy(programme: LoadedProgramme) -> PointsPolicy:
    """``rules.points`` if it resets yearly; refused (naming the key) otherwise."""
    policy = policy_points(programme)
    if policy is None or not policy.reset.yearly:
        raise InvalidInput("本项目积分不年度清零 / rules.points.reset.yearly is off", field="year")
    return policy


def reset_points(ctx: Any, year: int) -> tuple[int, Decimal]:
    """The yearly reset of spendable points as ``ctx.actor`` at ``ctx.now`` (lifetime points kept):
    what was earned before the year began (:mod:`engine.stages.rewards.yearly_reset`); a second
    run of a year takes nothing. Returns (volunteers reset, total taken)."""
    from engine.stages.rewards.yearly_reset import reset_year

    return reset_year(ctx, yearly_policy(ctx.programme), year)


def _hours_this_year(session: Session, programme: LoadedProgramme, volunteer_id: int, today: dt.date) -> Decimal:
    start = dt.datetime.combine(dt.date(today.year, 1, 1), dt.time(0), tzinfo=programme.config.tz)
    minutes = session.scalar(select(func.coalesce(func.sum(ServiceRecord.minutes), 0)).where(
        ServiceRecord.programme_id == programme.id, ServiceRecord.volunteer_id == volunteer_id,
        ServiceRecord.verified_at.is_not(None), ServiceRecord.ended_at >= start,
        level_condition(programme, ServiceRecord.captured, ServiceRecord.category))) or 0
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def _used(session: Session, programme: LoadedProgramme, volunteer_id: int, items: list[int] | None,
          since: dt.date, tz: Any) -> int:
    """Redemptions in the period that were not cancelled (a cancelled one has a refund entry)."""
    start = dt.datetime.combine(since, dt.time(0), tzinfo=tz)
    refunded = select(LedgerEntry.id).where(
        LedgerEntry.ref == literal("refund:redemption:").concat(cast(Redemption.id, String)))
    q = select(func.count()).select_from(Redemption).where(
        Redemption.programme_id == programme.id, Redemption.volunteer_id == volunteer_id,
        Redemption.created_at >= start, ~refunded.exists())
    if items is not None:
        q = q.where(Redemption.item_id.in_(items))
    return int(session.scalar(q) or 0)


def redemption_refusals(session: Session, programme: LoadedProgramme, volunteer_id: int,
                        item: CatalogueItem) -> list[dict[str, Any]]:
    """Why the limits refuse this redemption now: ``[{rule, message, opens}]`` (empty: allowed)."""
    points, limits = policy_points(programme), policy_redemption(programme)
    tz = programme.config.tz
    today = timeutil.today(tz)
    total = session.scalar(select(VolunteerTotal).where(VolunteerTotal.programme_id == programme.id,
                                                        VolunteerTotal.volunteer_id == volunteer_id))
    level_minutes = total.level_minutes if total else 0
    lifetime = (Decimal(level_minutes) / 60).quantize(Decimal("0.01"))
    out: list[dict[str, Any]] = []
    if points is not None and item.unit == points.unit and lifetime < points.min_hours_to_redeem:
        out.append({"rule": "rules.points.min_hours_to_redeem", "opens": None,
                    "message": f"服务满 {points.min_hours_to_redeem:g} 小时后方可兑换，现 {lifetime:g} 小时 / redeeming "
                               f"needs {points.min_hours_to_redeem:g} h of service, has {lifetime:g} h"})
    if limits is None:
        return out
    names = [lv.name for lv in effective_levels(programme).scheme]
    rank = names.index(total.level) if total and total.level in names else None
    checks: list[tuple[str, ItemLimit, list[int] | None]] = []
    if item.code in limits.items:
        checks.append((f"rules.redemption.items.{item.code}", limits.items[item.code], [item.id]))
    for flag in item.flags or []:
        if flag in limits.flags:
            rows = session.execute(select(CatalogueItem.id, CatalogueItem.flags).where(
                CatalogueItem.programme_id == programme.id))
            flagged: list[int] | None = [i for i, flags in rows if flag in (flags or [])]
            checks.append((f"rules.redemption.flags.{flag}", limits.flags[flag], flagged))
    if limits.catalogue is not None:
        checks.append(("rules.redemption.catalogue", limits.catalogue, None))
    year_hours = None
    for rule, limit, ids in checks:
        if limit.min_hours_this_year is not None and year_hours is None:
            year_hours = _hours_this_year(session, programme, volunteer_id, today)
        used = _used(session, programme, volunteer_id, ids, rules_redemption.period_bounds(today, limit.per)[0], tz) \
            if limit.max is not None else 0
        min_rank = names.index(limit.min_level) if limit.min_level in names else None
        why = rules_redemption.refusal(limit, rule, today=today, used=used, level_rank=rank, min_rank=min_rank,
                                       lifetime_hours=lifetime, year_hours=year_hours or Decimal(0))
        if why is not None:
            out.append({"rule": rule, "message": why[0], "opens": why[1]})
    return out


def check_limits(session: Session, programme: LoadedProgramme, volunteer_id: int, item: CatalogueItem) -> None:
    refusals = redemption_refusals(session, programme, volunteer_id, item)
    if refusals:
        raise Conflict(f"不能兑换 {item.title}：" + "；".join(r["message"] for r in refusals),
                       rule=refusals[0]["rule"], opens=refusals[0]["opens"], refusals=refusals)
