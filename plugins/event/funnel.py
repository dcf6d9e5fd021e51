"""招募漏斗 The recruitment funnel and directed registration by unit (seed 000 篇3 招募流程; seed 004 三、2).

Stages of a :class:`Candidate`: ``applied`` → ``screened`` → (interview scores by several
interviewers) → ``offered`` (top candidates, one offer per place) or ``waitlisted`` (ranked) →
``agreed`` (志愿服务协议书); ``rejected`` at screening. Directed recruitment (seed 004 第(1)—(8)类:
"集体动员、组织报名 … 个人无需自行报名"): a unit's liaison registers their people in one batch, checked
against the unit's quota and the eligibility rules; the batch is all or nothing, and a bad row is
named by its number and field. Those people enter as ``screened`` (the unit vouches for them).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.sdk.people import IdNumberError, parse_id_number

from . import eligibility
from .models import Candidate, InterviewScore

ORDER = ("applied", "screened", "offered", "waitlisted", "agreed", "rejected")


def unit_of(rules: Any, code: str) -> Any:
    for u in rules.units:
        if u.code == code:
            return u
    raise NotFound(f"没有单位 {code!r} / no unit {code!r} in rules.units", field="unit_code")


def open_unit(rules: Any, code: str) -> Any:
    """An open-recruitment unit (``directed: false``) an open application may name."""
    unit = next((u for u in rules.units if u.code == code), None)
    if unit is None:
        raise InvalidInput(f"没有单位 {code!r}，公开招募单位有：{'、'.join(u.code for u in rules.units if not u.directed) or '无'}"
                           f" / no unit {code!r} in rules.units; open-recruitment units: "
                           f"{', '.join(u.code for u in rules.units if not u.directed) or 'none'}", field="unit")
    if unit.directed:
        raise InvalidInput(f"单位「{unit.name}」为定向招募，请由其联络员在 /units/{unit.code}/registrations 报名 / unit "
                   f"{unit.code!r} is directed (rules.units[].directed: true): its liaison registers its people at "
                   f"/units/{unit.code}/registrations", field="unit")
    return unit


def registered(ctx: Any, unit_code: str) -> int:
    return ctx.session.scalar(select(func.count()).select_from(Candidate).where(
        Candidate.programme_id == ctx.programme.id, Candidate.unit_code == unit_code)) or 0


def may_register_for(ctx: Any, unit: Any, roles: frozenset[str], username: str) -> None:
    if roles & {"admin", "hq", "coordinator"}:
        return
    if "unit_liaison" in roles and unit.liaison == username:
        return
    raise Forbidden(f"只有单位「{unit.name}」的联络员或协调员可以为其报名 / only the liaison of unit {unit.code!r} (or a "
                    "coordinator) registers its people")


def _check_person(ctx: Any, p: Any) -> list[str]:
    birth = parse_id_number(p.id_number).birth_date
    on = ctx.rules.event.starts_on or ctx.today
    out = eligibility.reasons(ctx.rules.eligibility, birth_date=birth, on=on, available_days=p.available_days,
                              resident_months=p.resident_months, local_household=p.local_household,
                              languages=p.languages)
    day = ctx.rules.eligibility.age_on or on  # ages are the call's: on its day, as eligibility.reasons reckons them
    return out + eligibility.minor_reasons(ctx.programme.config.recruitment, birth_date=birth, on=day,
                                           guardian_name=getattr(p, "guardian_name", None))


def register_batch(ctx: Any, unit_code: str | None, people: list[Any], *, stage: str) -> list[int]:
    """Register people (a unit's batch, or one open applicant); all or nothing. Returns candidate ids."""
    unit = unit_of(ctx.rules, unit_code) if unit_code else None
    problems: list[str] = []
    for i, p in enumerate(people, start=1):
        try:
            for reason in _check_person(ctx, p):
                problems.append(f"第 {i} 行 / row {i}: {reason}")
        except IdNumberError as exc:  # a bad ID number: named by its row
            problems.append(f"第 {i} 行 id_number / row {i} id_number: {exc}")
    if unit is not None and registered(ctx, unit.code) + len(people) > unit.quota:
        problems.append(f"单位「{unit.name}」名额 {unit.quota} 人，已报 {registered(ctx, unit.code)} 人，本批 {len(people)} 人超额 "
                        f"/ unit {unit.code!r} has a quota of {unit.quota}; {registered(ctx, unit.code)} registered, "
                        f"this batch of {len(people)} exceeds it")
    if problems:
        raise InvalidInput("; ".join(problems), field="people")
    ids: list[int] = []
    for p in people:
        vol = ctx.register_person(p.name, p.id_number, phone=p.phone, languages=p.languages, skills=p.skills)
        ctx.enrol_volunteer(vol.id, source=f"event:{unit.code}" if unit else "event:open")
        if getattr(p, "guardian_name", None) and eligibility.age_on(vol.birth_date, ctx.today) < eligibility.ADULT:
            # a minor today (the engine enrols and checks applications on today's date)
            consent = ctx.consent(vol.id)  # the paper form the liaison holds (监护人书面同意)
            if consent is None or consent.status != "given":
                ctx.record_consent(vol.id, "given", via="paper", guardian_name=p.guardian_name)
        if ctx.session.scalar(select(Candidate.id).where(Candidate.programme_id == ctx.programme.id,
                                                         Candidate.volunteer_id == vol.id)) is not None:
            raise Conflict(f"{p.name} 已在本次活动报名 / {p.name} is already registered for this event", field="people")
        row = Candidate(programme_id=ctx.programme.id, volunteer_id=vol.id, unit_code=unit.code if unit else None,
                        stage=stage, available_days=p.available_days, resident_months=p.resident_months,
                        local_household=p.local_household, registered_by=ctx.actor)
        ctx.session.add(row)
        ctx.session.flush()
        ids.append(row.id)
    return ids


def get(ctx: Any, candidate_id: int) -> Candidate:
    row = ctx.session.get(Candidate, candidate_id)
    if row is None or row.programme_id != ctx.programme.id:
        raise NotFound(f"没有报名者 {candidate_id} / no candidate {candidate_id}", field="candidate_id")
    return row


def move(row: Candidate, to: str, *, allowed_from: tuple[str, ...]) -> None:
    if row.stage not in allowed_from:
        raise Conflict(f"报名者 {row.id} 处于 {row.stage}，不能转为 {to} / candidate {row.id} is {row.stage!r}; {to!r} "
                       f"needs one of {', '.join(allowed_from)}", field="stage")
    row.stage = to


def score(ctx: Any, candidate_id: int, value: Decimal) -> None:
    row = get(ctx, candidate_id)
    if row.stage != "screened":
        raise Conflict(f"报名者 {row.id} 处于 {row.stage}，只有通过初筛的才能面试 / only screened candidates are "
                       f"interviewed; candidate {row.id} is {row.stage!r}", field="stage")
    if ctx.session.scalar(select(InterviewScore.id).where(InterviewScore.candidate_id == row.id,
                                                          InterviewScore.interviewer == ctx.actor)) is not None:
        raise Conflict(f"{ctx.actor} 已为报名者 {row.id} 打分 / {ctx.actor} already scored candidate {row.id}")
    ctx.session.add(InterviewScore(candidate_id=row.id, interviewer=ctx.actor, score=value))
    ctx.session.flush()


def interviews_needed(ctx: Any, places: int) -> int:
    """面试比例: candidates to invite for ``places`` (e.g. 1.2 per place, rounded up)."""
    return math.ceil(places * ctx.rules.funnel.interview_ratio)


def make_offers(ctx: Any, places: int) -> dict[str, Any]:
    """Offer the best-scored screened candidates (≥ min interviewers, mean ≥ pass score) one place
    each; the rest who passed go on the waitlist in score order."""
    f = ctx.rules.funnel
    rows = ctx.session.execute(select(Candidate, func.avg(InterviewScore.score), func.count(InterviewScore.id)).join(
        InterviewScore, InterviewScore.candidate_id == Candidate.id).where(
        Candidate.programme_id == ctx.programme.id, Candidate.stage == "screened").group_by(Candidate.id)).all()
    ranked = sorted(((Decimal(str(avg)), c) for c, avg, n in rows if n >= f.min_interviewers
                     and Decimal(str(avg)) >= f.pass_score), key=lambda t: (-t[0], t[1].id))
    last = ctx.session.scalar(select(func.max(Candidate.waitlist_rank)).where(
        Candidate.programme_id == ctx.programme.id)) or 0
    offered, waitlisted = [], []
    for i, (_, c) in enumerate(ranked):
        if i < places:
            c.stage = "offered"
            offered.append(c.id)
        else:
            last += 1
            c.stage, c.waitlist_rank = "waitlisted", last
            waitlisted.append(c.id)
    ctx.session.flush()
    return {"offered": offered, "waitlisted": waitlisted, "interviews_needed": interviews_needed(ctx, places)}


def next_from_waitlist(ctx: Any) -> Candidate:
    """候补递补: the first on the waitlist is offered the place (asked in order)."""
    row = ctx.session.scalars(select(Candidate).where(Candidate.programme_id == ctx.programme.id,
                                                      Candidate.stage == "waitlisted")
                              .order_by(Candidate.waitlist_rank).limit(1)).first()
    if row is None:
        raise Conflict("候补名单为空 / the waitlist is empty")
    row.stage = "offered"
    ctx.session.flush()
    return row


def summary(ctx: Any) -> dict[str, Any]:
    counts = dict(ctx.session.execute(select(Candidate.stage, func.count()).where(
        Candidate.programme_id == ctx.programme.id).group_by(Candidate.stage)).all())
    units = [{"code": u.code, "name": u.name, "quota": u.quota, "directed": u.directed,
              "registered": registered(ctx, u.code), "remaining": max(0, u.quota - registered(ctx, u.code))}
             for u in ctx.rules.units]
    return {"stages": {s: counts.get(s, 0) for s in ORDER}, "units": units}
