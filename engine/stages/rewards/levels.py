"""Star levels (星级志愿者) from hours, one volunteer at a time or everybody at once.

Why in minutes: hours are stored as integer minutes, and a threshold such as 100 h must be
met exactly (6000 min is one star, 5999 min — 99.98 h — is none). Comparing integers (or
Decimals) avoids float rounding putting someone a star too high or too low.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, literal, or_, select, update
from sqlalchemy.orm import Session

from engine import timeutil
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.rules import levels as rules_levels
from engine.rules.hours import level_condition, level_kinds, level_minutes_expr
from engine.rules.models import LevelDef, LevelsPolicy
from engine.stages.records.models import ServiceRecord, VolunteerTotal
from engine.stages.recruitment.models import Volunteer
from engine.stages.rewards.awards import Level
from engine.stages.rewards.models import Honour, LevelNomination
from engine.store.base import utcnow

LEVEL_RULE = "rewards.levels"  # marks the honours written automatically when a level rises


def threshold_minutes(min_hours: float | Decimal) -> Decimal:
    """A threshold in minutes, exact (``100`` h → 6000)."""
    return Decimal(str(min_hours)) * 60


def policy_levels(programme: LoadedProgramme) -> LevelsPolicy | None:
    """The engine's level scheme from ``rules.levels`` (pack or file), unless the plan type keeps ``levels``;
    an empty scheme (``levels: {scheme: []}``, e.g. over a pack's stars) leaves levels to ``rewards.levels``."""
    policy = programme.policy
    if policy is None or policy.levels is None or not policy.levels.scheme or "levels" in programme.shadowed:
        return None
    return policy.levels


def effective_levels(programme: LoadedProgramme) -> LevelsPolicy:
    """``rules.levels``, else the plain thresholds of ``rewards.levels`` as a scheme."""
    return policy_levels(programme) or LevelsPolicy(scheme=[
        LevelDef(name=lvl.name, hours=Decimal(str(lvl.min_hours))) for lvl in programme.config.rewards.levels])


def configured_levels(programme: LoadedProgramme) -> list[Level]:
    """The programme's thresholds (``rules.levels.scheme`` or ``rewards.levels``), lowest first."""
    pol = policy_levels(programme)
    if pol is not None:
        return [Level(name=lv.name, min_hours=float(lv.hours)) for lv in pol.scheme]
    return [Level(name=lvl.name, min_hours=lvl.min_hours) for lvl in programme.config.rewards.levels]


def nominations(session: Session, programme_id: str, volunteer_id: int) -> set[str]:
    return set(session.scalars(select(LevelNomination.level).where(
        LevelNomination.programme_id == programme_id, LevelNomination.volunteer_id == volunteer_id)))


def _per_volunteer(programme: LoadedProgramme) -> bool:
    """Whether levels need more than a CASE over minutes (repeats, nominations)."""
    pol = policy_levels(programme)
    return pol is not None and (pol.repeat is not None or any(lv.nomination for lv in pol.scheme))


def level_for_minutes(minutes: int, levels: list[Level]) -> Level | None:
    """The highest level whose threshold the minutes meet, or ``None`` below the first."""
    reached = None
    for lvl in levels:
        if Decimal(minutes) >= threshold_minutes(lvl.min_hours):
            reached = lvl
    return reached


def decide_level(session: Session, programme: LoadedProgramme, host: PluginHost, volunteer: Any,
                 minutes: int) -> Level | None:
    """The plan type's ``volunteer_level_for`` answer, else the programme's thresholds."""
    hours = minutes / 60
    answer = host.call("volunteer_level_for", plan_type=programme.plan_type_id, firstresult=True, hours=hours,
                       programme=programme, volunteer=volunteer, session=session)
    if answer is not None:
        return answer if isinstance(answer, Level) else Level(name=str(answer), min_hours=hours)
    pol = policy_levels(programme)
    if pol is not None:
        noms = nominations(session, programme.id, volunteer.id) if volunteer is not None and any(
            lv.nomination for lv in pol.scheme) else set()
        step = rules_levels.decide(pol, minutes, noms)
        return Level(name=step.name, min_hours=float(step.hours)) if step else None
    return level_for_minutes(minutes, configured_levels(programme))


def _min_hours_of(session: Session, programme: LoadedProgramme, volunteer_id: int, name: str | None) -> float:
    """How many hours a stored level name stood for (config first, then the honour that recorded it)."""
    if name is None:
        return -1.0
    for lvl in configured_levels(programme):
        if lvl.name == name:
            return lvl.min_hours
    pol = policy_levels(programme)
    for step in rules_levels.ladder(pol, 10**7) if pol and pol.repeat else []:  # up to 166,666 h
        if step.name == name:
            return float(step.hours)
    evidence = session.scalar(select(Honour.evidence).where(
        Honour.programme_id == programme.id, Honour.volunteer_id == volunteer_id, Honour.title == name)
        .order_by(Honour.id.desc()).limit(1))
    return float((evidence or {}).get("min_hours", -1.0))


def _has_title(session: Session, programme_id: str, volunteer_id: int, title: str | None) -> bool:
    return session.scalar(select(Honour.id).where(Honour.programme_id == programme_id,
                                                  Honour.volunteer_id == volunteer_id, Honour.title == title)
                          .limit(1)) is not None


def total_row(session: Session, programme_id: str, volunteer_id: int, counted: list[str],
              programme: LoadedProgramme | None = None) -> VolunteerTotal:
    """The volunteer's totals; built from their verified records if the row is missing (fallback only:
    the records stage normally maintains it incrementally)."""
    row = session.scalars(select(VolunteerTotal).where(
        VolunteerTotal.programme_id == programme_id, VolunteerTotal.volunteer_id == volunteer_id)
        .with_for_update()).one_or_none()
    if row is not None:
        return row
    lm = case((ServiceRecord.captured.in_(counted), ServiceRecord.minutes), else_=0) if programme is None else \
        level_minutes_expr(programme, ServiceRecord.minutes, ServiceRecord.captured, ServiceRecord.category)
    minutes, level_minutes, n = session.execute(select(
        func.coalesce(func.sum(ServiceRecord.minutes), 0), func.coalesce(func.sum(lm), 0),
        func.coalesce(net_count(), 0)).where(
        ServiceRecord.programme_id == programme_id, ServiceRecord.volunteer_id == volunteer_id,
        ServiceRecord.verified_at.is_not(None))).one()
    row = VolunteerTotal(programme_id=programme_id, volunteer_id=volunteer_id, minutes=int(minutes),
                         level_minutes=int(level_minutes), records=int(n))
    session.add(row)
    session.flush()
    return row


def update_level(session: Session, programme: LoadedProgramme, host: PluginHost, volunteer_id: int, *,
                 actor: str, record_id: int | None = None) -> tuple[str | None, str | None]:
    """Recompute one volunteer's level from ``VolunteerTotal.level_minutes``; returns (old, new).

    When the level rises an :class:`Honour` (title = the level's name, evidence = hours, record,
    threshold) is written so the rise shows in the volunteer's history — once per title: a fall (after
    a reversal) only changes the stored level, and regaining it writes no second honour. Honours are
    history and are not taken back automatically.
    """
    total = total_row(session, programme.id, volunteer_id, level_kinds(programme), programme)
    pol = policy_levels(programme)
    if pol is not None and pol.batch is not None:  # granted once a year by run_level_batch, not as hours come
        return total.level, total.level
    volunteer = session.get(Volunteer, volunteer_id)
    old = total.level
    new = decide_level(session, programme, host, volunteer, total.level_minutes)
    new_name = new.name if new else None
    if new_name != old:
        total.level = new_name
        total.updated_at = utcnow()
        if (new is not None and new.min_hours > _min_hours_of(session, programme, volunteer_id, old)
                and not _has_title(session, programme.id, volunteer_id, new.name)):
            session.add(Honour(
                programme_id=programme.id, volunteer_id=volunteer_id, title=new.name, level=None,
                awarded_on=earned_on(session, programme, volunteer_id, new) or timeutil.today(programme.config.tz),
                awarded_by=actor,
                note=f"时长达到 {new.min_hours:g} 小时 / reached {new.min_hours:g} hours",
                evidence={"rule": LEVEL_RULE, "from": old, "to": new.name, "min_hours": new.min_hours,
                          "hours": round(total.level_minutes / 60, 2), "record_ids": [record_id] if record_id else []}))
        session.flush()
    return old, new_name


def dated_level_minutes(session: Session, programme: LoadedProgramme, volunteer_id: int,
                        until: dt.date | None = None) -> list[tuple[dt.date, int]]:
    """(local day served, level minutes) of a volunteer's verified records, optionally up to a day."""
    cond = level_condition(programme, ServiceRecord.captured, ServiceRecord.category)
    rows = session.execute(select(ServiceRecord.ended_at, ServiceRecord.minutes).where(
        ServiceRecord.programme_id == programme.id, ServiceRecord.volunteer_id == volunteer_id,
        ServiceRecord.verified_at.is_not(None), cond))
    tz = programme.config.tz
    out = [(end.astimezone(tz).date(), int(m)) for end, m in rows]
    return [r for r in out if until is None or r[0] <= until]


def earned_on(session: Session, programme: LoadedProgramme, volunteer_id: int, level: Level) -> dt.date | None:
    """The day the level's hours were reached (honours dated by when earned), when the scheme says so."""
    pol = policy_levels(programme)
    if pol is None or pol.honour_dated != "earned":
        return None
    step = rules_levels.Step(level.name, Decimal(str(level.min_hours)) * 60)
    return rules_levels.crossing(pol, dated_level_minutes(session, programme, volunteer_id), step)


def level_case(levels: list[Level], minutes_col: Any) -> Any:
    """``CASE WHEN minutes >= t_n THEN name_n … END`` over the thresholds, highest first."""
    if not levels:
        return literal(None)
    whens = [(minutes_col >= threshold_minutes(lvl.min_hours), lvl.name) for lvl in reversed(levels)]
    return case(*whens, else_=None)


def _refine_by_hook(session: Session, programme: LoadedProgramme, host: PluginHost | None) -> None:
    """Only when the plan type answers ``volunteer_level_for``: ask it per volunteer (no SQL form)."""
    if not _per_volunteer(programme) and (host is None or not host._impls("volunteer_level_for",
                                                                           programme.plan_type_id)):
        return
    for total in session.scalars(select(VolunteerTotal).where(VolunteerTotal.programme_id == programme.id)):
        lvl = decide_level(session, programme, host, session.get(Volunteer, total.volunteer_id),  # type: ignore[arg-type]
                           total.level_minutes)
        total.level = lvl.name if lvl else None
    session.flush()


def rebuild_levels(session: Session, programme: LoadedProgramme, host: PluginHost | None = None) -> int:
    """Recompute every stored level from the cached level minutes: one ``UPDATE … SET level = CASE``
    touching only the rows whose level differs. Returns the rows changed.

    Why separate from the totals: the records stage rebuilds minutes (and keeps ``level``, which
    this stage owns); call this after it. Writes no honours (a rebuild is not an achievement).
    """
    level = level_case(configured_levels(programme), VolunteerTotal.level_minutes)
    result = session.execute(
        update(VolunteerTotal).where(VolunteerTotal.programme_id == programme.id,
                                     VolunteerTotal.level.is_distinct_from(level))
        .values(level=level).execution_options(synchronize_session=False))
    _refine_by_hook(session, programme, host)
    session.expire_all()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def net_count() -> Any:
    """Records counted net, as the records stage does: a reversal −1, a rule-change adjustment 0."""
    return func.sum(case((ServiceRecord.reverses_id.is_not(None), -1), (ServiceRecord.adjusts_id.is_not(None), 0),
                         else_=1))


def rebuild_totals_and_levels(session: Session, programme: LoadedProgramme, host: PluginHost | None = None) -> int:
    """Recompute every volunteer's minutes, level minutes, net record count and level in one statement.

    Why one ``INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE … WHERE <differs>`` with a ``CASE``
    for the level: a rebuild of 100,000 volunteers must cost about one scan of the records, not a
    query per volunteer nor a second pass for the levels, and rows already right are not rewritten.
    Records are append-only and verification is never undone, so no cached row can lose all its
    records; nothing is deleted. Only when the plan type answers ``volunteer_level_for`` are the
    levels refined per volunteer afterwards. Returns the rows written.
    """
    from engine.store.base import dialect_insert

    pid = programme.id
    level_minutes = func.sum(level_minutes_expr(programme, ServiceRecord.minutes, ServiceRecord.captured,
                                                ServiceRecord.category))
    sums = (select(ServiceRecord.programme_id.label("p"), ServiceRecord.volunteer_id.label("v"),
                   func.sum(ServiceRecord.minutes).label("m"), level_minutes.label("lm"), net_count().label("n"))
            .where(ServiceRecord.programme_id == pid, ServiceRecord.verified_at.is_not(None))
            .group_by(ServiceRecord.programme_id, ServiceRecord.volunteer_id)).subquery()
    # the CASE reads the aggregated column: written over the SUM itself, each WHEN would carry its
    # own bound parameters and SQLite would compute the sum once per threshold. The WHERE keeps
    # SQLite's INSERT … SELECT … ON CONFLICT unambiguous (its documented parsing rule).
    agg = select(sums.c.p, sums.c.v, sums.c.m, sums.c.lm, sums.c.n,
                 level_case(configured_levels(programme), sums.c.lm), literal(utcnow())).where(sums.c.v.is_not(None))
    cols = ["programme_id", "volunteer_id", "minutes", "level_minutes", "records", "level", "updated_at"]
    stmt = dialect_insert(session, VolunteerTotal).from_select(cols, agg)
    x = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=["programme_id", "volunteer_id"], set_={c: getattr(x, c) for c in cols[2:]},
        where=or_(VolunteerTotal.minutes != x.minutes, VolunteerTotal.level_minutes != x.level_minutes,
                  VolunteerTotal.records != x.records, VolunteerTotal.level.is_distinct_from(x.level)))
    written = len(session.execute(stmt.returning(VolunteerTotal.id)).all())  # psycopg: rowcount -1 here
    _refine_by_hook(session, programme, host)
    session.expire_all()
    return written


def add_minutes(session: Session, programme_id: str, volunteer_id: int, minutes: int, level_minutes: int,
                records: int = 1) -> None:
    """Increment one volunteer's totals without reading their history (the incremental path)."""
    session.execute(update(VolunteerTotal).where(
        VolunteerTotal.programme_id == programme_id, VolunteerTotal.volunteer_id == volunteer_id).values(
        minutes=VolunteerTotal.minutes + minutes, level_minutes=VolunteerTotal.level_minutes + level_minutes,
        records=VolunteerTotal.records + records, updated_at=utcnow()).execution_options(synchronize_session=False))


def distribution(session: Session, programme: LoadedProgramme) -> list[dict[str, Any]]:
    """How many volunteers hold each level, in the programme's order (plus those without one)."""
    counts = dict(session.execute(select(VolunteerTotal.level, func.count()).where(
        VolunteerTotal.programme_id == programme.id).group_by(VolunteerTotal.level)).all())
    out = [{"level": lvl.name, "min_hours": lvl.min_hours, "volunteers": int(counts.pop(lvl.name, 0))}
           for lvl in configured_levels(programme)]
    none = int(counts.pop(None, 0))
    out.extend({"level": name, "min_hours": None, "volunteers": int(n)} for name, n in sorted(counts.items()))
    out.insert(0, {"level": None, "min_hours": 0, "volunteers": none})
    return out
