"""做好记录、建立台账 Records: append-only service records, verification, corrections, totals.

志愿服务条例（2017）第十九条: 志愿服务组织安排志愿者参与志愿服务活动，应当如实记录志愿者个人基本信息、
志愿服务情况、培训情况、表彰奖励情况、评价情况等信息 … 志愿者需要志愿服务记录证明的，志愿服务组织应当依据
志愿服务记录无偿、如实出具. Seed 003 (五有 · 有工作台账): record time, duration, content and quality of every
service, as the basis for rewards, and let records move between organisations (异地转移和接续).

Why append-only: a record is evidence. It is never edited or deleted; a correction is a reversing
entry (``reverses_id``, the opposite minutes) plus, when the values change, a new record. Only
``verified_by``/``verified_at`` are written after insert, once, by a conditional ``UPDATE … WHERE
verified_at IS NULL`` so two coordinators verifying together cannot both count a record.

Why a totals cache: levels and dashboards read :class:`VolunteerTotal`; it is incremented in the
same transaction as each verification (an upsert, never a rescan of the volunteer's history) and
can be rebuilt from the records with one statement (:func:`rebuild_totals`).

Counting rules (verified records only): ``minutes`` sums every verified entry (reversals are
negative); ``records`` counts an entry +1 and a reversal −1, so a reversal returns every figure to
what it was; ``level_minutes`` sums only the captured kinds listed in
``programme.config.rewards.level_hours_from``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, case, func, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from engine.errors import Conflict, InvalidInput, NotFound
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.rules import hours as rules_hours
from engine.stages.design.models import Post, Project, Shift
from engine.stages.period import check_in_period
from engine.stages.records.models import CAPTURED, ServiceRecord, VolunteerTotal
from engine.stages.recruitment.visibility import visible_volunteer
from engine.store.base import dialect_insert, utcnow
from engine.workflow import stagegate as gate

MAX_RECORD_MINUTES = 24 * 60  # one entry covers at most a day; longer service is entered day by day


# ------------------------------------------------------------------ small shared helpers
def whole_minutes(start: dt.datetime, end: dt.datetime) -> int:
    """Served minutes between two instants: whole minutes, floored (59 s count 0; 90 s count 1)."""
    return max(0, int((end - start).total_seconds()) // 60)


def get_record(session: Session, programme: LoadedProgramme, record_id: int) -> ServiceRecord:
    rec = session.get(ServiceRecord, record_id)
    if rec is None or rec.programme_id != programme.id:
        raise NotFound(f"没有服务记录 {record_id} / programme {programme.id!r} has no service record {record_id}",
                       record=record_id)
    return rec


def level_kinds(programme: LoadedProgramme) -> list[str]:
    return rules_hours.level_kinds(programme)


def net_count() -> Any:
    """Records counted net: an entry +1, a reversal −1, a rule-change adjustment 0."""
    return func.sum(case((ServiceRecord.reverses_id.is_not(None), -1),
                         (ServiceRecord.adjusts_id.is_not(None), 0), else_=1))


def credited_minutes(session: Session, programme: LoadedProgramme, *, volunteer_id: int, started_at: dt.datetime,
                     ended_at: dt.datetime, raw_minutes: int, shift_id: int | None) -> int:
    """What the programme's hours policy credits for a new activity (see :mod:`engine.rules.hours`).

    Reads the shift only when the policy clips to it, and the day's earlier credit only when it
    caps a day, so the default policy costs nothing on the check-out path.
    """
    policy = programme.rules_policy.hours
    shift = None
    if policy.count_from == "shift" and shift_id is not None:
        row = session.get(Shift, shift_id)
        shift = (row.starts_at, row.ends_at) if row is not None else None
    day = 0
    if policy.cap_per_day_hours is not None:
        lo, hi = rules_hours.day_bounds(started_at, programme.config.tz)
        day = int(session.scalar(select(func.coalesce(func.sum(ServiceRecord.minutes), 0)).where(
            ServiceRecord.programme_id == programme.id, ServiceRecord.volunteer_id == volunteer_id,
            ServiceRecord.captured != "transferred", ServiceRecord.started_at >= lo,
            ServiceRecord.started_at < hi)) or 0)
    return rules_hours.credit(policy, started_at=started_at, ended_at=ended_at, raw_minutes=raw_minutes,
                              shift=shift, day_credited=day)


# ------------------------------------------------------------------ totals cache (incremental)
def bump_totals(session: Session, programme: LoadedProgramme, record: ServiceRecord) -> None:
    """Add one just-verified record to its volunteer's cached totals (an upsert; no history read).

    Why expire afterwards: the rewards stage reads the row through the ORM right after; a copy
    already in the session would otherwise show the figures from before this increment.
    """
    counts = rules_hours.counts_for_levels(programme, record.captured, record.category)
    sign = -1 if record.reverses_id is not None else (0 if record.adjusts_id is not None else 1)
    now = utcnow()
    stmt = dialect_insert(session, VolunteerTotal).values(
        programme_id=programme.id, volunteer_id=record.volunteer_id, minutes=record.minutes,
        level_minutes=record.minutes if counts else 0, records=sign, updated_at=now)
    stmt = stmt.on_conflict_do_update(  # type: ignore[attr-defined]
        index_elements=["programme_id", "volunteer_id"],
        set_={"minutes": VolunteerTotal.minutes + stmt.excluded.minutes,  # type: ignore[attr-defined]
              "level_minutes": VolunteerTotal.level_minutes + stmt.excluded.level_minutes,  # type: ignore[attr-defined]
              "records": VolunteerTotal.records + stmt.excluded.records,  # type: ignore[attr-defined]
              "updated_at": now})
    row_id = session.execute(stmt.returning(VolunteerTotal.id)).scalar_one()
    cached = session.identity_map.get(identity_key(VolunteerTotal, row_id))
    if cached is not None:
        session.expire(cached)


def _rewards_hook() -> Any:
    """``engine.stages.rewards.service.after_record_verified``, imported lazily (the stages import
    each other's tables, not each other's services, at import time)."""
    from engine.stages.rewards.service import after_record_verified

    return after_record_verified


def _counted(session: Session, programme: LoadedProgramme, host: PluginHost, records: Iterable[ServiceRecord],
             actor: str) -> None:
    """Each record has just become verified: bump the cache, then let the rewards stage award it
    (exactly once per record: callers reach here only for rows their conditional write won)."""
    after_record_verified = _rewards_hook()
    for rec in records:
        bump_totals(session, programme, rec)
        after_record_verified(session, programme, host, rec, actor)


# ------------------------------------------------------------------ writing records
def insert_record(session: Session, programme: LoadedProgramme, *, volunteer_id: int, started_at: dt.datetime,
                  ended_at: dt.datetime, minutes: int, category: str, captured: str, actor: str,
                  project_id: int | None = None, post_id: int | None = None, shift_id: int | None = None,
                  content: str | None = None, rating: int | None = None, node: str | None = None,
                  verified: bool = False, reverses_id: int | None = None, source_org: str | None = None,
                  source_ref: str | None = None, source_project: str | None = None,
                  adjusts_id: int | None = None) -> ServiceRecord:
    """Append one record (unverified unless ``verified``; the caller then calls :func:`_counted`).

    ``minutes`` is the raw figure (kept as ``raw_minutes``); the stored ``minutes`` is what the
    hours policy credits — except on a reversal or a rule-change adjustment (their figure is the
    difference itself) and on a transferred-in record (the issuer certified its minutes).
    """
    if captured not in CAPTURED:
        raise InvalidInput(f"未知的记录来源 {captured!r} / unknown captured kind {captured!r}; one of {CAPTURED}",
                           field="captured")
    now = utcnow()
    raw = minutes
    if reverses_id is None and adjusts_id is None and captured != "transferred":
        minutes = credited_minutes(session, programme, volunteer_id=volunteer_id, started_at=started_at,
                                   ended_at=ended_at, raw_minutes=raw, shift_id=shift_id)
    rec = ServiceRecord(
        programme_id=programme.id, volunteer_id=volunteer_id, project_id=project_id, post_id=post_id,
        shift_id=shift_id, started_at=started_at, ended_at=ended_at, minutes=minutes, raw_minutes=raw,
        adjusts_id=adjusts_id, category=category,
        content=content, rating=rating, captured=captured, node=node, reverses_id=reverses_id,
        verified_by=actor if verified else None, verified_at=now if verified else None,
        source_org=source_org, source_ref=source_ref, source_project=source_project, created_by=actor,
        created_at=now)
    session.add(rec)
    session.flush()
    return rec


def record_for_service(session: Session, programme: LoadedProgramme, host: PluginHost, *, volunteer_id: int,
                       shift: Shift | None, post: Post | None, started_at: dt.datetime, ended_at: dt.datetime,
                       captured: str, actor: str, content: str | None = None, rating: int | None = None,
                       category: str | None = None, verified: bool = False,
                       project_id: int | None = None) -> ServiceRecord:
    """The record a check-out, a confirmed auto-close or an approved hour report leaves behind.

    Category comes from the post (plan types award points by it); project and node from the post's
    project.
    """
    project = session.get(Project, post.project_id) if post is not None else (
        session.get(Project, project_id) if project_id is not None else None)
    rec = insert_record(
        session, programme, volunteer_id=volunteer_id, started_at=started_at, ended_at=ended_at,
        minutes=whole_minutes(started_at, ended_at), category=category or (post.category if post else "routine"),
        captured=captured, actor=actor, project_id=project.id if project else None,
        post_id=post.id if post else None, shift_id=shift.id if shift else None,
        content=content if content is not None else (post.name if post else None), rating=rating,
        node=project.node if project else None, verified=verified)
    if verified:
        _counted(session, programme, host, [rec], actor)
    return rec


def _check_span(started_at: dt.datetime, ended_at: dt.datetime, minutes: int | None, now: dt.datetime) -> int:
    if ended_at <= started_at:
        raise InvalidInput(f"结束时间 {ended_at.isoformat()} 须晚于开始时间 {started_at.isoformat()} / ended_at must be "
                           "after started_at", field="ended_at")
    if ended_at > now + dt.timedelta(minutes=5):
        raise InvalidInput(f"结束时间 {ended_at.isoformat()} 在未来 / ended_at is in the future", field="ended_at")
    span = whole_minutes(started_at, ended_at)
    if minutes is None:
        minutes = span
    if not 1 <= minutes <= span:
        raise InvalidInput(f"时长 {minutes} 分钟须在 1 到 {span} 分钟之间（起止时间之差）/ minutes must be between 1 and the "
                           f"span of {span} minutes", field="minutes")
    if minutes > MAX_RECORD_MINUTES:
        raise InvalidInput(f"单条记录不超过 {MAX_RECORD_MINUTES} 分钟，请按日分开录入 / one record covers at most "
                           f"{MAX_RECORD_MINUTES} minutes; enter longer service day by day", field="minutes")
    return minutes


def _post_and_project(session: Session, programme: LoadedProgramme, post_id: int | None,
                      project_id: int | None) -> tuple[Post | None, Project | None]:
    post = session.get(Post, post_id) if post_id is not None else None
    if post_id is not None and (post is None or post.programme_id != programme.id):
        raise NotFound(f"没有岗位 {post_id} / programme {programme.id!r} has no post {post_id}", field="post_id")
    if post is not None:
        if project_id is not None and project_id != post.project_id:
            raise InvalidInput(f"岗位 {post_id} 不属于项目 {project_id} / post {post_id} belongs to project "
                               f"{post.project_id}, not {project_id}", field="project_id")
        project_id = post.project_id
    project = session.get(Project, project_id) if project_id is not None else None
    if project_id is not None and (project is None or project.programme_id != programme.id):
        raise NotFound(f"没有项目 {project_id} / programme {programme.id!r} has no project {project_id}",
                       field="project_id")
    return post, project


def enter_record(session: Session, programme: LoadedProgramme, host: PluginHost, *, volunteer_id: int,
                 started_at: dt.datetime, ended_at: dt.datetime, actor: str, minutes: int | None = None,
                 project_id: int | None = None, post_id: int | None = None, category: str | None = None,
                 content: str | None = None, rating: int | None = None, verify: bool = True,
                 now: dt.datetime | None = None, captured: str = "coordinator") -> ServiceRecord:
    """A coordinator (or a plan type, with its own ``captured`` kind) enters a record directly,
    verified unless ``verify`` is off."""
    gate.require_open(session, programme, "records")
    visible_volunteer(session, programme.id, volunteer_id)
    check_in_period(programme, started_at, "started_at")
    check_in_period(programme, ended_at, "ended_at")
    minutes = _check_span(started_at, ended_at, minutes, now or utcnow())
    post, project = _post_and_project(session, programme, post_id, project_id)
    rec = insert_record(session, programme, volunteer_id=volunteer_id, started_at=started_at, ended_at=ended_at,
                        minutes=minutes, category=category or (post.category if post else "routine"),
                        captured=captured, actor=actor, project_id=project.id if project else None,
                        post_id=post.id if post else None, content=content, rating=rating,
                        node=project.node if project else None, verified=verify)
    if verify:
        _counted(session, programme, host, [rec], actor)
    return rec


# ------------------------------------------------------------------ verification
def verify_records(session: Session, programme: LoadedProgramme, host: PluginHost, ids: Sequence[int] | None, *,
                   actor: str, all_pending: bool = False) -> dict[str, list[int]]:
    """Verify records (a list of ids, or every pending one); returns ``verified`` and ``already``.

    A reversal and the record it reverses are verified together, so totals never count one half.
    Unknown ids refuse the whole request (nothing is verified). Each newly verified record is
    counted once: the ``UPDATE … WHERE verified_at IS NULL`` decides who wins a race.
    """
    gate.require_open(session, programme, "records")
    pid = programme.id
    now = utcnow()
    base = update(ServiceRecord).where(ServiceRecord.programme_id == pid, ServiceRecord.verified_at.is_(None))
    if all_pending:  # every pending row, pairs included, in one conditional UPDATE
        won = sorted(session.scalars(base.values(verified_by=actor, verified_at=now).returning(ServiceRecord.id)
                                     .execution_options(synchronize_session=False)))
        _counted(session, programme, host, _load(session, won), actor)
        return {"verified": won, "already": []}
    wanted = set(ids or [])
    if not wanted:
        raise InvalidInput("请给出要核实的记录 / give the ids of the records to verify, or all_pending", field="ids")
    found = set(session.scalars(select(ServiceRecord.id).where(
        ServiceRecord.programme_id == pid, ServiceRecord.id.in_(wanted))))
    missing = sorted(wanted - found)
    if missing:
        raise NotFound(f"没有这些服务记录: {missing} / programme {pid!r} has no service records {missing}",
                       field="ids", missing=missing)
    # pair partners: the reversed original of a reversal, and the reversal of an original
    partners = set(session.scalars(select(ServiceRecord.reverses_id).where(
        ServiceRecord.id.in_(wanted), ServiceRecord.reverses_id.is_not(None))))
    partners |= set(session.scalars(select(ServiceRecord.id).where(ServiceRecord.reverses_id.in_(wanted))))
    wanted |= {p for p in partners if p is not None}
    won = sorted(session.scalars(base.where(ServiceRecord.id.in_(wanted)).values(verified_by=actor, verified_at=now)
                                 .returning(ServiceRecord.id).execution_options(synchronize_session=False)))
    _counted(session, programme, host, _load(session, won), actor)
    return {"verified": won, "already": sorted(wanted - set(won))}


def _load(session: Session, ids: list[int]) -> list[ServiceRecord]:
    """The rows just updated, refreshed in the session, in id order (an original before its reversal)."""
    out: list[ServiceRecord] = []
    for i in range(0, len(ids), 1000):
        out += session.scalars(select(ServiceRecord).where(ServiceRecord.id.in_(ids[i:i + 1000]))
                               .order_by(ServiceRecord.id).execution_options(populate_existing=True))
    return out


# ------------------------------------------------------------------ corrections
def reverse_record(session: Session, programme: LoadedProgramme, host: PluginHost, record_id: int, *, reason: str,
                   actor: str, replacement: dict[str, Any] | None = None,
                   now: dt.datetime | None = None) -> tuple[ServiceRecord, ServiceRecord | None]:
    """Correct a record: a reversing entry (negative minutes), plus a new record when values change.

    A record is reversed at most once (unique ``reverses_id``); a reversing entry is not itself
    reversed. Both new rows inherit the original's verification: if it was verified they count at
    once (and are passed to the rewards stage); if not, they wait to be verified with it.
    ``replacement`` may change started_at, ended_at, minutes, category, content, rating.
    """
    gate.require_open(session, programme, "records")
    orig = get_record(session, programme, record_id)
    if orig.reverses_id is not None:
        raise Conflict(f"记录 {record_id} 是冲正记录，不能再冲正 / record {record_id} is itself a reversal and cannot be "
                       "reversed; reverse a new record instead", record=record_id)
    if session.scalar(select(ServiceRecord.id).where(ServiceRecord.reverses_id == orig.id)) is not None:
        raise Conflict(f"记录 {record_id} 已被冲正 / record {record_id} has already been reversed", record=record_id)
    new_values: dict[str, Any] | None = None
    if replacement is not None:
        new_values = {k: getattr(orig, k) for k in ("started_at", "ended_at", "category", "content", "rating")}
        new_values.update({k: v for k, v in replacement.items() if v is not None and k != "minutes"})
        if orig.captured != "transferred":  # a record done elsewhere keeps its own dates
            for name in ("started_at", "ended_at"):
                check_in_period(programme, new_values[name], name)
        new_values["minutes"] = _check_span(new_values["started_at"], new_values["ended_at"],
                                            replacement.get("minutes"), now or utcnow())
    verified = orig.verified_at is not None
    common: dict[str, Any] = {"volunteer_id": orig.volunteer_id, "project_id": orig.project_id, "post_id": orig.post_id,
              "shift_id": orig.shift_id, "captured": orig.captured, "node": orig.node, "actor": actor,
              "verified": verified}
    try:
        with session.begin_nested():
            adjusted = int(session.scalar(select(func.coalesce(func.sum(ServiceRecord.minutes), 0)).where(
                ServiceRecord.adjusts_id == orig.id)) or 0)
            reversal = insert_record(session, programme, started_at=orig.started_at, ended_at=orig.ended_at,
                                     minutes=-(orig.minutes + adjusted), category=orig.category, rating=None,
                                     content=f"冲正 Reversal of #{orig.id}: {reason}", reverses_id=orig.id, **common)
    except IntegrityError:
        raise Conflict(f"记录 {record_id} 已被冲正 / record {record_id} has already been reversed",
                       record=record_id) from None
    fresh = None
    if new_values is not None:
        fresh = insert_record(session, programme, **new_values, **common)
    if verified:
        _counted(session, programme, host, [r for r in (reversal, fresh) if r is not None], actor)
    return reversal, fresh


# ------------------------------------------------------------------ reading and totals
def list_records(session: Session, programme: LoadedProgramme, *, volunteer_id: int | None = None,
                 project_id: int | None = None, verified: bool | None = None, limit: int = 100,
                 offset: int = 0) -> list[ServiceRecord]:
    q = select(ServiceRecord).where(ServiceRecord.programme_id == programme.id)
    if volunteer_id is not None:
        q = q.where(ServiceRecord.volunteer_id == volunteer_id)
    if project_id is not None:
        q = q.where(ServiceRecord.project_id == project_id)
    if verified is not None:
        q = q.where(ServiceRecord.verified_at.is_not(None) if verified else ServiceRecord.verified_at.is_(None))
    return list(session.scalars(q.order_by(ServiceRecord.id).limit(min(limit, 1000)).offset(offset)))


def _aggregates(programme: LoadedProgramme) -> tuple[Any, Any, Any]:
    """SUM(minutes), SUM(minutes of the kinds that count for levels), net record count."""
    lm = rules_hours.level_minutes_expr(programme, ServiceRecord.minutes, ServiceRecord.captured,
                                        ServiceRecord.category)
    return (func.coalesce(func.sum(ServiceRecord.minutes), 0), func.coalesce(func.sum(lm), 0),
            func.coalesce(net_count(), 0))


def _figures(minutes: int, level_minutes: int, records: int) -> dict[str, Any]:
    return {"minutes": int(minutes), "hours": round(int(minutes) / 60, 2), "level_minutes": int(level_minutes),
            "records": int(records)}


def volunteer_totals(session: Session, programme: LoadedProgramme, volunteer_id: int) -> dict[str, Any]:
    """One volunteer's verified totals from the records (set-based), with the cached level."""
    m, lm, n = session.execute(select(*_aggregates(programme)).where(
        ServiceRecord.programme_id == programme.id, ServiceRecord.volunteer_id == volunteer_id,
        ServiceRecord.verified_at.is_not(None))).one()
    level = session.scalar(select(VolunteerTotal.level).where(
        VolunteerTotal.programme_id == programme.id, VolunteerTotal.volunteer_id == volunteer_id))
    pending = session.scalar(select(func.count()).select_from(ServiceRecord).where(
        ServiceRecord.programme_id == programme.id, ServiceRecord.volunteer_id == volunteer_id,
        ServiceRecord.verified_at.is_(None))) or 0
    return {"volunteer_id": volunteer_id, **_figures(m, lm, n), "level": level, "unverified_records": int(pending)}


def project_totals(session: Session, programme: LoadedProgramme) -> list[dict[str, Any]]:
    """Verified totals per project (one GROUP BY); records without a project under ``None``."""
    rows = session.execute(select(ServiceRecord.project_id, Project.name, *_aggregates(programme),
                                  func.count(func.distinct(ServiceRecord.volunteer_id)))
                           .outerjoin(Project, Project.id == ServiceRecord.project_id)
                           .where(ServiceRecord.programme_id == programme.id, ServiceRecord.verified_at.is_not(None))
                           .group_by(ServiceRecord.project_id, Project.name).order_by(ServiceRecord.project_id))
    return [{"project_id": pid, "project": name, **_figures(m, lm, n), "volunteers": int(v)}
            for pid, name, m, lm, n, v in rows]


def programme_totals(session: Session, programme: LoadedProgramme) -> dict[str, Any]:
    """The programme's verified totals, by category and by captured kind (three aggregates)."""
    base = [ServiceRecord.programme_id == programme.id, ServiceRecord.verified_at.is_not(None)]
    m, lm, n, v = session.execute(select(*_aggregates(programme),
                                         func.count(func.distinct(ServiceRecord.volunteer_id))).where(*base)).one()
    by = {}
    for col in (ServiceRecord.category, ServiceRecord.captured):
        by[col.key] = {k: _figures(a, b, c) for k, a, b, c in
                       session.execute(select(col, *_aggregates(programme)).where(*base).group_by(col).order_by(col))}
    pending = session.scalar(select(func.count()).select_from(ServiceRecord).where(
        ServiceRecord.programme_id == programme.id, ServiceRecord.verified_at.is_(None))) or 0
    return {"programme_id": programme.id, **_figures(m, lm, n), "volunteers": int(v),
            "by_category": by["category"], "by_captured": by["captured"], "unverified_records": int(pending)}


def cached_totals(session: Session, programme: LoadedProgramme, *, limit: int = 100,
                  offset: int = 0) -> list[VolunteerTotal]:
    return list(session.scalars(select(VolunteerTotal).where(VolunteerTotal.programme_id == programme.id)
                                .order_by(VolunteerTotal.minutes.desc(), VolunteerTotal.volunteer_id)
                                .limit(min(limit, 1000)).offset(offset)))


def rebuild_totals(session: Session, programme: LoadedProgramme | str, *, host: PluginHost | None = None) -> int:
    """Recompute the :class:`VolunteerTotal` cache of a programme from its verified records.

    One statement: ``INSERT … SELECT … GROUP BY volunteer … ON CONFLICT DO UPDATE`` (SQLite and
    PostgreSQL), so a rebuild costs one scan of the records. The stored ``level`` is kept (the
    rewards stage owns it). Rows exist only for volunteers with verified records (the incremental
    path creates a row at a volunteer's first verification, and records are never deleted), so
    the upsert reaches every row. Given an id, the stored programme is parsed with ``host`` (the
    default host if omitted) to learn ``rewards.level_hours_from``. Returns the rows written.
    """
    if isinstance(programme, str):
        programme = _stored_programme(session, programme, host)
    m, lm, n = _aggregates(programme)
    now = utcnow()
    agg = (select(ServiceRecord.programme_id, ServiceRecord.volunteer_id, m, lm, n, literal(now))
           .where(ServiceRecord.programme_id == programme.id, ServiceRecord.verified_at.is_not(None))
           .group_by(ServiceRecord.programme_id, ServiceRecord.volunteer_id))
    stmt = dialect_insert(session, VolunteerTotal).from_select(
        ["programme_id", "volunteer_id", "minutes", "level_minutes", "records", "updated_at"], agg)
    stmt = stmt.on_conflict_do_update(  # type: ignore[attr-defined]
        index_elements=["programme_id", "volunteer_id"],
        set_={c: getattr(stmt.excluded, c)  # type: ignore[attr-defined]
              for c in ("minutes", "level_minutes", "records", "updated_at")})
    written = len(session.execute(stmt.returning(VolunteerTotal.volunteer_id)).all())
    session.expire_all()
    return written


def _stored_programme(session: Session, programme_id: str, host: PluginHost | None) -> LoadedProgramme:
    from engine.config.loader import load_programme
    from engine.plugins import default_host
    from engine.store.models import ProgrammeRow

    row = session.get(ProgrammeRow, programme_id)
    if row is None:
        raise NotFound(f"没有项目 / no programme {programme_id!r}", programme=programme_id)
    loaded: LoadedProgramme = load_programme(row.source_text, host or default_host(), filename=row.source_name)
    return loaded


def totals_match_cache(session: Session, programme: LoadedProgramme) -> list[dict[str, Any]]:
    """Volunteers whose cached totals differ from their records (empty when the cache is right)."""
    m, lm, n = _aggregates(programme)
    truth = (select(ServiceRecord.volunteer_id.label("vid"), m.label("m"), lm.label("lm"), n.label("n"))
             .where(ServiceRecord.programme_id == programme.id, ServiceRecord.verified_at.is_not(None))
             .group_by(ServiceRecord.volunteer_id).subquery())
    rows = session.execute(select(truth.c.vid, truth.c.m, truth.c.lm, truth.c.n, VolunteerTotal.minutes,
                                  VolunteerTotal.level_minutes, VolunteerTotal.records)
                           .outerjoin(VolunteerTotal, and_(VolunteerTotal.volunteer_id == truth.c.vid,
                                                           VolunteerTotal.programme_id == programme.id)))
    return [{"volunteer_id": r[0], "records": list(r[1:4]), "cache": list(r[4:7])}
            for r in rows if list(map(int, r[1:4])) != [int(x) if x is not None else None for x in r[4:7]]]
