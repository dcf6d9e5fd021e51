"""老带新 Mentoring (seed 001 §2(一)): "每名骨干志愿者需培养3名新人,结对成功可获额外积分".

A coordinator pairs a backbone volunteer with a newcomer (no service yet, by default). When the
newcomer's ``first_services``-th service (3 by default) is verified, the pairing has succeeded and
the mentor is credited ``bonus`` points (10 by default) — once per pairing (ledger ref
``community:<programme>:mentor:<pairing>:<unit>``, kind ``mentoring``: not a figure of the engine's
``rules.points``, so a replay of a rule change leaves it as it is, like the engine's referrals). A mentor holds at most ``mentees_per_mentor``
(3) open pairings; a newcomer is paired once.

The engine's ``volunteer_compute_awards`` credits only the record's own volunteer, so the mentor's
entry is appended here with the engine's ledger service, in the same transaction (see the report
on the contract: an ``Award.volunteer_id`` would let the hook return it instead).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from engine.errors import Conflict, InvalidInput, NotFound
from engine.sdk import LedgerEntryView, PlanContext
from plugins.community.backbone import current_year, is_backbone, year_minutes
from plugins.community.models import Mentorship
from plugins.community.rules import CommunityRules
from plugins.community.units import ref, units


def service_count(ctx: PlanContext, volunteer_id: int) -> int:
    """Services that count (the engine's: verified, of an earning kind, not reversed)."""
    return ctx.services_counted(volunteer_id)


def pair(ctx: PlanContext, mentor_id: int, mentee_id: int) -> Mentorship:
    """Pair a mentor with a newcomer (as ``ctx.actor``, at ``ctx.now``), or refuse naming the rule
    that is not met."""
    session, programme, now = ctx.session, ctx.programme, ctx.now
    rules: CommunityRules = programme.rules
    cfg = rules.mentoring
    if not cfg.enabled:
        raise Conflict("本项目未开展老带新结对 / mentoring is switched off in this programme (rules.mentoring.enabled)")
    if mentor_id == mentee_id:
        raise InvalidInput("导师与新人不能是同一人 / mentor and mentee must be two people", field="mentee_id")
    mentor = ctx.volunteer(mentor_id)
    mentee = ctx.volunteer(mentee_id)
    tz = programme.config.timezone
    if cfg.mentor_must_be_backbone:
        year = current_year(rules, tz, now)
        if not is_backbone(session, rules, tz, programme.id, mentor_id, year):
            hours = year_minutes(session, rules, tz, programme.id, mentor_id, year) / 60
            raise Conflict(f"{mentor.name} 本年度在本社区服务 {hours:.2f} 小时，未满 {rules.backbone.min_hours} 小时，不是骨干志愿者 / "
                           f"{mentor.name} served {hours:.2f} h here in {year}, below the {rules.backbone.min_hours} h of a "
                           "backbone volunteer (seed 003 附件4 第四条; seed 001 §2(一) 骨干志愿者培养新人)", field="mentor_id")
    open_n = session.scalar(select(func.count()).select_from(Mentorship).where(
        Mentorship.programme_id == programme.id, Mentorship.mentor_id == mentor_id, Mentorship.status == "open")) or 0
    if open_n >= cfg.mentees_per_mentor:
        raise Conflict(f"{mentor.name} 已带 {open_n} 名新人，上限 {cfg.mentees_per_mentor} 名 / {mentor.name} already mentors "
                       f"{open_n} newcomer(s), the most is {cfg.mentees_per_mentor} (seed 001 §2(一))", field="mentor_id")
    done = service_count(ctx, mentee_id)
    if done > cfg.newcomer_max_services:
        raise Conflict(f"{mentee.name} 已服务 {done} 次，不是新人 / {mentee.name} already has {done} service(s): not a "
                       f"newcomer (at most {cfg.newcomer_max_services})", field="mentee_id")
    if session.scalar(select(Mentorship.id).where(Mentorship.programme_id == programme.id,
                                                  Mentorship.mentee_id == mentee_id)) is not None:
        raise Conflict(f"{mentee.name} 已有结对导师 / {mentee.name} is already paired with a mentor", field="mentee_id")
    row = Mentorship(programme_id=programme.id, mentor_id=mentor_id, mentee_id=mentee_id, status="open",
                     started_at=now, created_by=ctx.actor)
    session.add(row)
    session.flush()
    return row


def end(ctx: PlanContext, mentorship_id: int) -> Mentorship:
    """End an open pairing without the bonus (the newcomer left, the mentor stepped back)."""
    row = ctx.session.get(Mentorship, mentorship_id)
    if row is None or row.programme_id != ctx.programme.id:
        raise NotFound(f"没有结对 {mentorship_id} / no mentorship {mentorship_id}", mentorship=mentorship_id)
    if row.status != "open":
        raise Conflict(f"结对 {mentorship_id} 已是 {row.status} / mentorship {mentorship_id} is already {row.status}")
    row.status, row.completed_at = "ended", ctx.now
    ctx.session.flush()
    return row


def on_service(ctx: PlanContext, record: Any) -> list[LedgerEntryView]:
    """After a mentee's service is verified: credit the mentor (as ``ctx.actor``) when the pairing
    has succeeded."""
    session, programme = ctx.session, ctx.programme
    rules: CommunityRules = programme.rules
    cfg = rules.mentoring
    if not cfg.enabled:
        return []
    row = session.scalars(select(Mentorship).where(
        Mentorship.programme_id == programme.id, Mentorship.mentee_id == record.volunteer_id,
        Mentorship.status == "open")).one_or_none()
    if row is None or service_count(ctx, record.volunteer_id) < cfg.first_services:
        return []
    points, lifetime = units(programme)
    written = []
    for unit in ([points, *([lifetime] if lifetime else [])] if cfg.bonus > 0 else []):
        entry = ctx.append_ledger(row.mentor_id, unit, cfg.bonus,
                       kind="mentoring", reason=f"老带新结对成功（新人完成 {cfg.first_services} 次服务）/ mentoring bonus: "
                       f"newcomer completed {cfg.first_services} services", record_id=record.id,
                       ref=ref(programme.id, "mentor", row.id, unit),
                       data={"mentorship": row.id, "mentee": row.mentee_id, "rule": "seed 001 §2(一) 结对成功可获额外积分"})
        if entry is not None:
            written.append(entry)
    session.execute(update(Mentorship).where(Mentorship.id == row.id, Mentorship.status == "open").values(
        status="succeeded", completed_at=ctx.now,
        bonus_entry_id=written[0].id if written else None).execution_options(synchronize_session=False))
    session.expire(row)
    return written
