"""Dry run of a rule change: every volunteer's hours, level and points recomputed from the stored
history under the changed rules, without writing; applying it is a separate, logged action.

How it stays near the cost of a full rebuild: one pass over the verified records through the
database driver's cursor, no ORM objects, no datetime parsing unless the changed hours policy
needs the times (a cap per day, clipping to the shift), and the credit and points of a record
memoised on what they depend on (raw minutes, category, kind, rating). Figures before the change
come from the caches (totals, balances) and the ledger in three set-based queries.

Points: the change in a volunteer's points is what the changed ``rules.points`` earns for the
history minus what the ledger holds as earned (awards, bonuses and earlier adjustments), so
redemptions, resets and outcomes are kept as they were. Time-bank balances are replayed account by
account in the order things happened (:mod:`engine.rules.replay_timebank`).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import io
import math
import time
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    cast,
    func,
    select,
    text,
)
from sqlalchemy.orm import Session

from engine.errors import InvalidInput
from engine.programme import LoadedProgramme
from engine.rules import hours as rules_hours
from engine.rules import levels as rules_levels
from engine.rules import points as rules_points
from engine.rules import replay_sql
from engine.rules.replay_timebank import BankChange, apply_bank, replay_bank
from engine.stages.design.models import Shift
from engine.stages.records.models import ServiceRecord, VolunteerTotal
from engine.stages.rewards import streaks
from engine.stages.rewards.levels import effective_levels, policy_levels
from engine.stages.rewards.models import Balance, LedgerEntry, LevelNomination, RuleChange
from engine.stages.rewards.points_policy import policy_points
from engine.stages.rewards.timebank import policy_timebank
from engine.store.base import utcnow

EARNED_KINDS = ("award", "bonus", "adjustment")


@dataclass
class Change:
    volunteer_id: int
    minutes_before: int
    minutes_after: int
    level_minutes_before: int
    level_minutes_after: int
    level_before: str | None
    level_after: str | None
    points_before: Decimal
    points_after: Decimal
    bank_before: Decimal | None = None  # time-bank hours (rules.time_bank), when replayed
    bank_after: Decimal | None = None

    @property
    def hours_before(self) -> float:
        return round(self.minutes_before / 60, 2)

    @property
    def hours_after(self) -> float:
        return round(self.minutes_after / 60, 2)

    @property
    def hours_delta(self) -> float:
        return round((self.minutes_after - self.minutes_before) / 60, 2)

    @property
    def points_delta(self) -> Decimal:
        return self.points_after - self.points_before

    def as_row(self) -> dict[str, Any]:
        return {"volunteer_id": self.volunteer_id, "hours_before": self.hours_before, "hours_after": self.hours_after,
                "hours_delta": self.hours_delta, "level_hours_before": round(self.level_minutes_before / 60, 2),
                "level_hours_after": round(self.level_minutes_after / 60, 2), "level_before": self.level_before,
                "level_after": self.level_after, "points_before": str(self.points_before),
                "points_after": str(self.points_after), "points_delta": str(self.points_delta),
                "bank_hours_before": "" if self.bank_before is None else str(self.bank_before),
                "bank_hours_after": "" if self.bank_after is None else str(self.bank_after),
                "bank_hours_delta": "" if self.bank_before is None or self.bank_after is None
                else str(self.bank_after - self.bank_before)}


@dataclass
class Report:
    programme_id: str
    volunteers: int = 0
    records: int = 0
    seconds: float = 0.0
    changes: list[Change] = field(default_factory=list)
    unit: str | None = None
    bank: list[BankChange] = field(default_factory=list)  # time-bank accounts that change (members, pools)

    def summary(self) -> dict[str, Any]:
        return {"programme_id": self.programme_id, "volunteers": self.volunteers, "records": self.records,
                "changed": len(self.changes), "seconds": round(self.seconds, 3), "unit": self.unit,
                "hours_delta": round(sum(c.hours_delta for c in self.changes), 2),
                "points_delta": str(sum((c.points_delta for c in self.changes), Decimal(0))),
                "levels_changed": sum(1 for c in self.changes if c.level_before != c.level_after),
                "timebank_accounts_changed": len(self.bank),
                "timebank_hours_delta": str(sum((b.delta for b in self.bank if b.account.startswith("v:")),
                                                Decimal(0)))}


@dataclass
class _Acc:
    minutes: int = 0
    level_minutes: int = 0
    services: int = 0
    points: Decimal = Decimal(0)


def _needs_times(programme: LoadedProgramme) -> bool:
    pol = programme.rules_policy.hours
    return pol.cap_per_day_hours is not None or pol.count_from == "shift"


def _rows(session: Session, programme: LoadedProgramme, with_times: bool) -> Any:
    """Verified records as plain tuples through the driver (streamed)."""
    cols: list[Any] = [ServiceRecord.volunteer_id, ServiceRecord.id, ServiceRecord.minutes, ServiceRecord.raw_minutes,
            ServiceRecord.category, ServiceRecord.captured, ServiceRecord.rating, ServiceRecord.reverses_id,
            ServiceRecord.adjusts_id]
    if with_times:
        cols += [ServiceRecord.started_at, ServiceRecord.ended_at, ServiceRecord.shift_id]
    q = select(*cols).where(ServiceRecord.programme_id == programme.id, ServiceRecord.verified_at.is_not(None))
    if with_times:
        q = q.order_by(ServiceRecord.volunteer_id, ServiceRecord.started_at, ServiceRecord.id)
    return session.execute(q.execution_options(yield_per=20_000))


def recompute(session: Session, changed: LoadedProgramme, *, keep: bool = False
              ) -> tuple[dict[int, _Acc], dict[int, tuple[int, int]], int]:
    """Every volunteer's figures under ``changed``: (by volunteer, {record: (new credit, stored
    minutes)} for the originals not reversed when ``keep``, records read).

    When a record's credit depends on its own figures only (no cap per day, no clipping to the
    shift) the database aggregates (:func:`_recompute_in_sql`); otherwise each volunteer's records
    are followed in order here.
    """
    if not keep and not _needs_times(changed):
        return _recompute_in_sql(session, changed)
    return _recompute_rows(session, changed, keep=keep)


def _recompute_rows(session: Session, changed: LoadedProgramme, *, keep: bool = False,
                    every: dict[int, int] | None = None) -> tuple[dict[int, _Acc], dict[int, tuple[int, int]], int]:
    """The record-by-record form of :func:`recompute`; ``every``, when given, receives every
    original's new credit (reversed ones included: the time bank replays them in order).

    A reversed record and its reversal cancel out before and after, so only the reversed ids are
    remembered (a first, small query) and their pairs are settled after the pass.
    """
    policy = changed.rules_policy
    hp, pp = policy.hours, policy_points(changed)
    with_times = _needs_times(changed)
    shifts: dict[int, tuple[dt.datetime, dt.datetime]] = {}
    if with_times and hp.count_from == "shift":
        shifts = {i: (a, b) for i, a, b in session.execute(select(Shift.id, Shift.starts_at, Shift.ends_at).where(
            Shift.programme_id == changed.id))}
    reversed_set = set(session.scalars(select(ServiceRecord.reverses_id).where(
        ServiceRecord.programme_id == changed.id, ServiceRecord.reverses_id.is_not(None),
        ServiceRecord.verified_at.is_not(None))))
    kinds = set(rules_hours.level_kinds(changed))
    excluded = set(hp.exclude_from_levels)

    @lru_cache(maxsize=65536)
    def credit_of(raw: int) -> int:
        return rules_hours.credit(hp, started_at=_T0, ended_at=_T0 + dt.timedelta(minutes=raw), raw_minutes=raw)

    @lru_cache(maxsize=65536)
    def points_of(minutes: int, category: str, captured: str, rating: int | None) -> Decimal:
        assert pp is not None
        return rules_points.record_points(pp, minutes=minutes, category=category, captured=captured, rating=rating)

    acc: dict[int, _Acc] = defaultdict(_Acc)
    kept: dict[int, tuple[int, int]] = {}
    pairs: dict[int, tuple[int, int, str, str, int | None]] = {}  # reversed original → its figures
    reversals: list[tuple[int, int]] = []  # (volunteer, reversed id)
    day_used: dict[tuple[int, dt.date], int] = defaultdict(int)
    tz = changed.config.tz
    n = 0
    for row in _rows(session, changed, with_times):
        n += 1
        vid, rid, minutes, raw, category, captured, rating, reverses, adjusts = row[:9]
        if adjusts is not None:
            continue  # an earlier rule change's adjustment: the history is recomputed from the raw facts
        if reverses is not None:
            reversals.append((vid, reverses))
            continue
        a = acc[vid]
        if captured == "transferred":
            new = minutes
        elif with_times:
            started, ended, shift_id = row[9], row[10], row[11]
            day = (vid, started.astimezone(tz).date())
            new = rules_hours.credit(hp, started_at=started, ended_at=ended, raw_minutes=raw if raw is not None
                                     else minutes, shift=shifts.get(shift_id) if shift_id else None,
                                     day_credited=day_used[day])
            day_used[day] += new
        else:
            new = credit_of(raw if raw is not None else minutes)
        if every is not None:
            every[rid] = new
        a.services += 1
        a.minutes += new
        counted = captured in kinds and category not in excluded
        if counted:
            a.level_minutes += new
        if pp is not None:
            a.points += points_of(new, category, captured, rating)
        if rid in reversed_set:
            pairs[rid] = (new, int(counted), category, captured, rating)
        elif keep:
            kept[rid] = (new, minutes)
    for vid, rid in reversals:
        if rid not in pairs:
            continue
        new, counts, category, captured, rating = pairs[rid]
        a = acc[vid]
        a.services -= 1
        a.minutes -= new
        a.level_minutes -= new * counts
        if pp is not None:
            a.points -= points_of(new, category, captured, rating)
    if pp is not None:
        by_history = streaks.counts_by_volunteer(session, changed.id, pp) if streaks.history_mode(pp) else None
        for vid, a in acc.items():
            a.points += _bonus_total(pp, a.services, None if by_history is None else by_history.get(vid, (0, 0)))
    return acc, kept, n


_T0 = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
POINT_SCALE = 10_000  # points summed as integers of 1/10,000 in the database: exact on SQLite too


def _recompute_in_sql(session: Session, changed: LoadedProgramme
                      ) -> tuple[dict[int, _Acc], dict[int, tuple[int, int]], int]:
    """One GROUP BY over the records joined to a small table of what each distinct (raw minutes,
    category, kind, rating) credits and earns under ``changed`` — computed here, once per
    combination. A reversed record and its reversal cancel out, so both are left out."""
    hp, pp = changed.rules_policy.hours, policy_points(changed)
    kinds, excluded = set(rules_hours.level_kinds(changed)), set(hp.exclude_from_levels)
    r, rev = ServiceRecord.__table__.alias("r"), ServiceRecord.__table__.alias("rev")
    raw_key = case((r.c.captured == "transferred", r.c.minutes), else_=func.coalesce(r.c.raw_minutes, r.c.minutes))
    rating_key = func.coalesce(r.c.rating, 0)
    where = [r.c.programme_id == changed.id, r.c.verified_at.is_not(None), r.c.reverses_id.is_(None),
             r.c.adjusts_id.is_(None)]
    # reversed originals are summed with the rest, then taken off again (few rows; no probe per record)
    pair_cond = r.c.id.in_(select(rev.c.reverses_id).where(
        rev.c.programme_id == changed.id, rev.c.reverses_id.is_not(None), rev.c.verified_at.is_not(None)))
    combos = session.execute(select(raw_key, r.c.category, r.c.captured, rating_key).where(*where).distinct()).all()
    rows = []
    for raw, category, captured, rating in combos:
        new = raw if captured == "transferred" else rules_hours.credit(
            hp, started_at=_T0, ended_at=_T0 + dt.timedelta(minutes=max(raw, 0)), raw_minutes=raw)
        lvl = new if captured in kinds and category not in excluded else 0
        pts = rules_points.record_points(pp, minutes=new, category=category, captured=captured,
                                         rating=rating or None) if pp is not None else Decimal(0)
        rows.append({"k_raw": raw, "k_cat": category, "k_cap": captured, "k_rat": rating, "c": new, "lc": lvl,
                     "p": int(pts * POINT_SCALE)})
    m = Table("replay_map", MetaData(), Column("k_raw", Integer), Column("k_cat", String(63)),
              Column("k_cap", String(16)), Column("k_rat", Integer), Column("c", Integer), Column("lc", Integer),
              Column("p", BigInteger), prefixes=["TEMPORARY"])
    conn = session.connection()
    m.drop(conn, checkfirst=True)
    m.create(conn)
    try:
        if rows:
            conn.execute(m.insert(), rows)
        conn.execute(text("CREATE INDEX ix_replay_map ON replay_map (k_raw, k_cat, k_cap, k_rat)"))
        joined = r.join(m, and_(m.c.k_raw == raw_key, m.c.k_cat == r.c.category, m.c.k_cap == r.c.captured,
                                m.c.k_rat == rating_key))
        agg = select(r.c.volunteer_id, func.sum(m.c.c), func.sum(m.c.lc), func.sum(m.c.p), func.count()).select_from(
            joined).where(*where).group_by(r.c.volunteer_id)
        acc: dict[int, _Acc] = {}
        n = 0
        for vid, c, lc, p, count in session.execute(agg):
            acc[vid] = _Acc(int(c), int(lc), int(count), Decimal(int(p)) / POINT_SCALE)
            n += int(count)
        pairs = select(r.c.volunteer_id, m.c.c, m.c.lc, m.c.p).select_from(joined).where(*where, pair_cond)
        for vid, c, lc, p in session.execute(pairs):
            a = acc[vid]
            a.minutes, a.level_minutes, a.services = a.minutes - int(c), a.level_minutes - int(lc), a.services - 1
            a.points -= Decimal(int(p)) / POINT_SCALE
            n -= 1
        if pp is not None:
            counted = streaks.counts_by_volunteer(session, changed.id, pp) if streaks.history_mode(pp) else None
            for vid, a in acc.items():
                a.points += _bonus_total(pp, a.services, None if counted is None else counted.get(vid, (0, 0)))
    finally:
        m.drop(conn)
    return acc, {}, n


def _bonus_total(pp: Any, services: int, counted: tuple[int, int] | None = None) -> Decimal:
    """First-service and streak bonuses from the number of services; ``counted``: (services, streak
    bonuses due) counted over the history instead (:func:`engine.stages.rewards.streaks.history_mode`)."""
    n, due = counted if counted is not None else (services, 0)
    total = pp.bonuses.first_service if n >= 1 else Decimal(0)
    streak = pp.bonuses.streak
    if streak is not None and streak.every:
        total += streak.points * (due if counted is not None else services // streak.every)
    return total


def _exponent(pp: Any) -> int:
    """Decimal places that hold every figure of ``pp`` exactly (at least the ledger's 2)."""
    figures = [pp.rounding.step, pp.bonuses.first_service] if pp is not None else []
    if pp is not None and pp.bonuses.streak is not None:
        figures.append(pp.bonuses.streak.points)
    return max([2, *(-int(Decimal(f).normalize().as_tuple().exponent) for f in figures)])


def _before(session: Session, pid: str, unit: str | None, exp: int) -> dict[int, tuple[int, int, Any, int, int]]:
    """Each volunteer's cached (minutes, level minutes, level, balance, earned), points as integers
    of 10^-exp — two set-based queries, the totals joined to the balances."""
    scale = 10 ** exp

    def scaled(col: Any) -> Any:
        return cast(func.round(col * scale), BigInteger)

    t, b = VolunteerTotal.__table__, Balance.__table__
    if unit is None:
        return {v: (m, lm, lvl, 0, 0) for v, m, lm, lvl in session.execute(select(
            t.c.volunteer_id, t.c.minutes, t.c.level_minutes, t.c.level).where(t.c.programme_id == pid)).all()}
    joined = t.outerjoin(b, and_(b.c.programme_id == t.c.programme_id, b.c.volunteer_id == t.c.volunteer_id,
                                 b.c.unit == unit))
    earned: dict[int, Any] = dict(session.execute(select(LedgerEntry.volunteer_id, scaled(func.sum(LedgerEntry.amount))).where(
        LedgerEntry.programme_id == pid, LedgerEntry.unit == unit, LedgerEntry.kind.in_(EARNED_KINDS))
        .group_by(LedgerEntry.volunteer_id)).all())
    return {v: (m, lm, lvl, bal or 0, earned.get(v) or 0) for v, m, lm, lvl, bal in session.execute(
        select(t.c.volunteer_id, t.c.minutes, t.c.level_minutes, t.c.level, scaled(b.c.amount))
        .select_from(joined).where(t.c.programme_id == pid)).all()}


def _level_of(changed: LoadedProgramme, noms: dict[int, set[str]]) -> Any:
    """``(volunteer, level minutes) → level`` under ``changed``."""
    pol = policy_levels(changed) or effective_levels(changed)
    if pol.repeat is None and not any(lv.nomination for lv in pol.scheme):
        # thresholds only: whole minutes ≥ t exactly when ≥ ceil(t); the level is the count reached
        thresholds = [math.ceil(lv.hours * 60) for lv in pol.scheme]
        names: list[str | None] = [None, *(lv.name for lv in pol.scheme)]
        return lambda vid, minutes: names[bisect_right(thresholds, minutes)]

    def decide(vid: int, minutes: int) -> str | None:
        step = rules_levels.decide(pol, minutes, noms.get(vid, set()))
        return step.name if step else None
    return decide


def _figures_from_recompute(session: Session, changed: LoadedProgramme, unit: str | None, exp: int
                            ) -> tuple[list[tuple[Any, ...]], int]:
    """The rows of :func:`replay_sql.figures` from :func:`recompute` and the caches (the forms the
    database cannot compute: a cap per day, clipping to the shift …); points already in 10^-exp."""
    acc, _, n = recompute(session, changed)
    before = _before(session, changed.id, unit, exp)
    nothing = (0, 0, None, 0, 0)
    rows = []
    for vid in set(acc) | set(before):
        a = acc.get(vid) or _Acc()
        rows.append((vid, a.minutes, a.level_minutes, a.services, int(a.points.scaleb(exp)), *before.get(vid, nothing)))
    return rows, n


def _replay_bank(session: Session, changed: LoadedProgramme) -> list[BankChange]:
    """Time-bank accounts under the changed ``rules.time_bank`` and credits (none without one)."""
    pol = policy_timebank(changed)
    if pol is None:
        return []
    credits: dict[int, int] = {}
    _recompute_rows(session, changed, every=credits)
    return replay_bank(session, changed.id, pol, credits)


def replay_programme(session: Session, current: LoadedProgramme, changed: LoadedProgramme) -> Report:
    """Who changes, and by how much, if ``changed`` had been the rules all along (nothing written).

    When the policies are expressible in SQL, one statement answers every volunteer's figures after
    and before (:func:`replay_sql.figures`: the records aggregated under the changed rules, joined to
    the cached totals, balances and the ledger's earnings); points are compared as integers of
    10^-exp (exact: every figure of the policy and the ledger's cents fit) and turned into decimals
    only for the volunteers who change."""
    if changed.id != current.id:
        raise InvalidInput(f"变更文件的项目 id {changed.id!r} 与 {current.id!r} 不同 / the changed file is programme "
                           f"{changed.id!r}, not {current.id!r}", field="with")
    started = time.perf_counter()
    pid = current.id
    new_pp = policy_points(changed)
    pp = new_pp or policy_points(current)
    unit = pp.unit if pp is not None else None
    exp = _exponent(new_pp)
    step = first = every = streak = 0
    counted: dict[int, tuple[int, int]] | None = None  # (services, streak bonuses due) counted over the history
    if new_pp is not None:
        step = int(new_pp.rounding.step.scaleb(exp))
        first = int(new_pp.bonuses.first_service.scaleb(exp))
        if new_pp.bonuses.streak is not None:
            every, streak = new_pp.bonuses.streak.every, int(new_pp.bonuses.streak.points.scaleb(exp))
        if streaks.history_mode(new_pp):
            counted = streaks.counts_by_volunteer(session, pid, new_pp)
    with _gc_paused():
        rows = None if _needs_times(changed) else replay_sql.figures(session, changed, new_pp, unit, exp)
        in_steps = rows is not None
        if rows is None:
            rows, _ = _figures_from_recompute(session, changed, unit, exp)
        noms: dict[int, set[str]] = defaultdict(set)
        for v, lvl in session.execute(select(LevelNomination.volunteer_id, LevelNomination.level).where(
                LevelNomination.programme_id == pid)):
            noms[v].add(lvl)
        level_of = _level_of(changed, noms)
        zero = Decimal(0).quantize(Decimal(1).scaleb(-exp))
        bank = _replay_bank(session, changed)
        by_member = {int(b.account[2:]): b for b in bank if b.account.startswith("v:") and b.account[2:].isdigit()}
        if by_member:  # members whose only change is in the time bank, without records or totals
            seen = {row[0] for row in rows}
            rows += [(vid, 0, 0, 0, 0, 0, 0, None, 0, 0) for vid in by_member if vid not in seen]
        keys: list[tuple[int, int, int]] = []  # (−|Δ minutes|, −|Δ points|, volunteer): sorted natively
        changes: dict[int, Change] = {}
        n = 0
        for vid, m1, lm1, services, new, m0, lm0, lvl0, pts0, earned in rows:
            m1, lm1, m0, lm0, pts0, earned = m1 or 0, lm1 or 0, m0 or 0, lm0 or 0, pts0 or 0, earned or 0
            services = int(services or 0)  # PostgreSQL's SUM of a BIGINT is a NUMERIC
            n += services
            if new_pp is None:
                new = 0
            elif in_steps:
                if counted is None:
                    new = int(new) * step + (first if services >= 1 else 0) + (streak * (services // every) if every else 0)
                else:
                    c, due = counted.get(vid, (0, 0))
                    new = int(new) * step + (first if c >= 1 else 0) + streak * due
            lvl1 = level_of(vid, lm1)
            if unit is None or new == earned:
                if m0 == m1 and lm0 == lm1 and lvl0 == lvl1 and vid not in by_member:
                    continue
                new = earned
            pts1 = pts0 + new - earned
            changes[vid] = change = Change(vid, int(m0), int(m1), int(lm0), int(lm1), lvl0, lvl1,
                                           Decimal(pts0).scaleb(-exp) if pts0 else zero,
                                           Decimal(pts1).scaleb(-exp) if pts1 else zero)
            if vid in by_member:
                change.bank_before, change.bank_after = by_member[vid].before, by_member[vid].after
            keys.append((m0 - m1 if m1 > m0 else m1 - m0, earned - new if new > earned else new - earned, vid))
        keys.sort()  # most hours changed first, then most points, then by volunteer
        report = Report(programme_id=pid, volunteers=len(rows), records=n, unit=unit,
                        changes=[changes[k[2]] for k in keys], bank=bank)
    report.seconds = time.perf_counter() - started
    return report


@contextlib.contextmanager
def _gc_paused() -> Any:
    """No cyclic garbage collection while the report's objects are built: they hold no cycles, and
    a collection every few hundred allocations walks every one of them again (a third of the time
    at 100,000 volunteers)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def to_csv(report: Report) -> str:
    buf = io.StringIO()
    cols = list(Change(0, 0, 0, 0, 0, None, None, Decimal(0), Decimal(0)).as_row())
    w = csv.DictWriter(buf, fieldnames=cols)
    w.writeheader()
    for c in report.changes:
        w.writerow({k: ("" if v is None else v) for k, v in c.as_row().items()})
    return buf.getvalue()


def apply_replay(session: Session, current: LoadedProgramme, changed: LoadedProgramme, *, actor: str, reason: str,
                 host: Any = None) -> RuleChange:
    """Write the change: an adjusting record (``adjusts_id``, the difference) for every record whose
    credit changes, an adjusting ledger entry per volunteer whose points change (as far as the
    balance allows a debit), then the totals and levels rebuilt under ``changed``; logged as a
    :class:`RuleChange`. The caller then stores ``changed`` as the programme's file."""
    from engine.stages.records.service import insert_record
    from engine.stages.rewards.ledger import append, balance_of
    from engine.stages.rewards.levels import rebuild_totals_and_levels

    if not reason.strip():
        raise InvalidInput("应用规则变更需要说明原因 / applying a rule change needs a reason", field="reason")
    report = replay_programme(session, current, changed)
    _, credits, _ = recompute(session, changed, keep=True)
    log = RuleChange(programme_id=current.id, reason=reason, config_hash=changed.config_hash, summary={},
                     created_by=actor, created_at=utcnow())
    session.add(log)
    session.flush()
    effective: dict[int, int] = {}
    for rid, m in session.execute(select(ServiceRecord.adjusts_id, func.sum(ServiceRecord.minutes)).where(
            ServiceRecord.programme_id == current.id, ServiceRecord.adjusts_id.is_not(None))
            .group_by(ServiceRecord.adjusts_id)):
        if rid is not None:  # the query keeps only adjusting records
            effective[rid] = int(m)
    changed_ids = [rid for rid, (new, stored) in credits.items() if new != stored + effective.get(rid, 0)]
    adjusted = 0
    for i in range(0, len(changed_ids), 1000):
        for rec in session.scalars(select(ServiceRecord).where(ServiceRecord.id.in_(changed_ids[i:i + 1000]),
                                                               ServiceRecord.reverses_id.is_(None))):
            delta = credits[rec.id][0] - rec.minutes - effective.get(rec.id, 0)
            insert_record(session, changed, volunteer_id=rec.volunteer_id, started_at=rec.started_at,
                          ended_at=rec.ended_at, minutes=delta, category=rec.category, captured=rec.captured,
                          actor=actor, project_id=rec.project_id, post_id=rec.post_id, shift_id=rec.shift_id,
                          content=f"规则调整 Rule change #{log.id}: {reason}", node=rec.node, verified=True,
                          adjusts_id=rec.id)
            adjusted += 1
    entries = 0
    shortfall = Decimal(0)
    for c in report.changes:
        if report.unit is None or c.points_delta == 0:
            continue
        amount = c.points_delta
        if amount < 0:
            held = balance_of(session, current.id, c.volunteer_id, report.unit)
            shortfall += max(Decimal(0), -amount - held)
            amount = -min(-amount, held)
        if amount != 0:
            append(session, programme_id=current.id, volunteer_id=c.volunteer_id, unit=report.unit, amount=amount,
                   kind="adjustment", reason=f"规则调整 Rule change #{log.id}: {reason}", actor=actor,
                   ref=f"rulechange:{log.id}:{c.volunteer_id}:{report.unit}", data={"rule_change": log.id})
            entries += 1
    bank_entries = apply_bank(session, current.id, report.bank, rule_change=log.id, actor=actor, reason=reason)
    rebuild_totals_and_levels(session, changed, host)
    log.summary = {**report.summary(), "adjusted_records": adjusted, "ledger_entries": entries,
                   "timebank_entries": bank_entries, "timebank": [b.as_row() for b in report.bank[:1000]],
                   "points_shortfall": str(shortfall), "changes": [c.as_row() for c in report.changes[:1000]]}
    session.flush()
    return log


__all__ = ["Change", "Report", "apply_replay", "replay_programme", "to_csv"]
