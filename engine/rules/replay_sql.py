"""The replay's per-record arithmetic as SQL expressions, so the database computes every
volunteer's hours, level hours and points under changed rules in one ``GROUP BY`` over the records
(the shape of the full rebuild), without reading the records out or scanning them twice.

Exact, and the same figures as :func:`engine.rules.hours.credit` and
:func:`engine.rules.points.record_points`: minutes are integers, and a record's points are a
ratio of integers (credited minutes × the rate's digits over 60 × the rounding step's digits)
rounded with integer division — down ``a / b``, up ``(a + b − 1) / b``, nearest (half up)
``(2a + b) / 2b``, half even ``a / b`` plus one above half or at half when ``a / b`` is odd — counted
in rounding steps; a rating bonus is ``round(base steps × percent / 100)`` steps. :func:`credit_expr` answers ``None`` where the hours
policy is not expressible this way (a rounding step that is not a whole number of minutes); the
replay then uses its table of distinct combinations instead.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from math import gcd
from typing import Any

from sqlalchemy import BigInteger, and_, case, cast, func, literal, or_, select

from engine.rules.hours import level_minutes_expr
from engine.rules.models import HoursPolicy, PointsPolicy, Rounding
from engine.rules.points import factor
from engine.stages.records.models import ServiceRecord, VolunteerTotal
from engine.stages.rewards.models import Balance, LedgerEntry

EARNED_KINDS = ("award", "bonus", "adjustment")  # ledger kinds a replay recomputes


def _least(expr: Any, cap: int) -> Any:
    return case((expr > cap, literal(cap)), else_=expr)


def _rounded(num: Any, den: int, mode: str) -> Any:
    """``num / den`` (both ≥ 0) rounded to a whole number by ``mode``, in integer arithmetic."""
    if den == 1:
        return num
    if mode == "down":
        return num // literal(den)
    if mode == "up":
        return (num + literal(den - 1)) // literal(den)
    if mode == "half_even":  # q + 1 above half; at exactly half, q + 1 only when q is odd
        q, r2 = num // literal(den), (num % literal(den)) * 2
        return q + case((r2 > den, literal(1)), (r2 == den, q % 2), else_=literal(0))
    return (num * 2 + literal(den)) // literal(2 * den)  # nearest, half_up


def credit_expr(hp: HoursPolicy, raw: Any, *first: tuple[Any, Any]) -> Any | None:
    """Credited minutes of a record whose served minutes are ``raw`` (no cap per day, no clipping);
    ``first``: ``(condition, value)`` pairs tried before (one flat ``CASE``)."""
    if hp.rounding.step != hp.rounding.step.to_integral_value():
        return None
    step = int(hp.rounding.step)
    minutes = raw + literal(hp.travel.minutes) if hp.travel.counted and hp.travel.minutes else raw
    minutes = _rounded(minutes, step, hp.rounding.mode)
    if step != 1:
        minutes = minutes * literal(step)
    if hp.cap_per_activity_hours is not None:
        minutes = _least(minutes, int(hp.cap_per_activity_hours * 60))
    nothing = raw <= 0
    if hp.min_minutes:
        nothing = or_(nothing, raw < hp.min_minutes)
    return case(*first, (nothing, literal(0)), else_=minutes)


def _scaled(values: list[Decimal]) -> tuple[list[int], int]:
    """``values`` as integers over one common power of ten: (numerators, denominator)."""
    exp = max([0, *(-int(v.as_tuple().exponent) for v in values)])
    return [int(v.scaleb(exp)) for v in values], 10 ** exp


def points_steps_expr(pp: PointsPolicy, credited: Any, category: Any, captured: Any, rating: Any,
                      dialect: str = "sqlite") -> Any | None:
    """Rounding steps of ``pp.rounding`` a record earns (multiply the sum by the step for points).

    Every class of records (a rate, a rating multiplier) earns ``minutes × A / B`` steps with one
    common ``B``, so the record's credit appears once: ``round(credit × A(class) / B)``, ``A`` a
    ``CASE`` of constants. A transferred-in record keeps its stored minutes, so its credit may be
    0 or less: it earns nothing (``max(credit, 0)``; the others are never below 0). ``None`` when a
    cap of counted hours is not a whole number of minutes.
    """
    by_rate: dict[Decimal, list[str]] = defaultdict(list)
    for cat in {*pp.category_map, *(k for k in pp.per_hour if k not in pp.category_map)}:
        by_rate[pp.per_hour[pp.category_map.get(cat, cat)]].append(cat)
    rates = [*by_rate, *([pp.default_rate] if pp.default_rate is not None else [])]
    stars = sorted(pp.rating)
    factors = [factor(pp, rate, star) for rate in rates for star in [None, *stars]]
    nums, _ = _scaled([*factors, pp.rounding.step])
    step_num = nums.pop()
    # steps = minutes × factor / (60 × step) = minutes × (factor × den) / (60 × step × den)
    table = dict(zip(factors, nums, strict=True))
    b = 60 * step_num
    g = gcd(b, *table.values())
    b //= g

    def a_for(rate: Decimal) -> Any:
        plain = literal(table[factor(pp, rate, None)] // g)
        whens = [(rating == s, literal(table[factor(pp, rate, s)] // g)) for s in stars]
        return case(*whens, else_=plain) if whens else plain

    whens: list[tuple[Any, Any]] = []
    if len(set(pp.earn_from)) < 4:
        whens.append((captured.not_in(pp.earn_from), literal(0)))
    whens += [(category.in_(sorted(cats)), a_for(rate)) for rate, cats in by_rate.items()]
    a = case(*whens, else_=a_for(pp.default_rate) if pp.default_rate is not None else literal(0))
    if pp.cap_hours_per_activity is not None:
        cap = pp.cap_hours_per_activity * 60
        if cap != cap.to_integral_value():
            return None
        credited = _least(credited, int(cap))
    if "transferred" in pp.earn_from:
        credited = (func.max if dialect == "sqlite" else func.greatest)(credited, literal(0))
    if dialect != "sqlite":  # SQLite's integers are 64-bit already
        credited = cast(credited, BigInteger)
    base = _rounded(credited * a, b, pp.rounding.mode)
    rb = pp.rating_bonus
    if rb is None:
        return base
    # the bonus is percent of the rounded base, rounded to the same step: round(base steps × P / 100)
    (pct,), den = _scaled([rb.percent])
    return base + case((rating >= rb.min_stars, _rounded(base * literal(pct), 100 * den, pp.rounding.mode)),
                       else_=literal(0))


def steps_to_points(steps: int, rounding: Rounding) -> Decimal:
    return Decimal(int(steps)) * rounding.step


__all__ = ["credit_expr", "points_steps_expr", "steps_to_points"]


# ------------------------------------------------------------------ the statements
def _not_reversed(r: Any, rev: Any, dialect: str) -> Any:
    """The record is not reversed by a verified reversal (a reversal is in its original's programme).

    PostgreSQL: an anti-join (``NOT EXISTS``, a hash anti join) — ``NOT IN (subquery)`` may be
    re-scanned for every record there when the planner expects the list not to fit in memory.
    SQLite: ``NOT IN`` over the few reversals, read once through the unique index on reverses_id
    (``> 0``: ids are positive, and the range lets SQLite choose that index) — cheaper per record
    than a correlated probe."""
    if dialect == "postgresql":
        return ~select(rev.c.id).where(rev.c.reverses_id == r.c.id, rev.c.verified_at.is_not(None)).exists()
    return r.c.id.not_in(select(rev.c.reverses_id).where(rev.c.reverses_id > 0, rev.c.verified_at.is_not(None)))


def aggregate(changed: Any, pp: PointsPolicy | None, dialect: str = "sqlite") -> Any | None:
    """``SELECT vid, minutes, level minutes, services, steps … GROUP BY vid`` under ``changed``, as
    a subquery ``n``; a reversed original and its reversal are both left out (they cancel before
    and after). ``None`` when the policies are not expressible in SQL."""
    r, rev = ServiceRecord.__table__.alias("r"), ServiceRecord.__table__.alias("rev")
    credited = credit_expr(changed.rules_policy.hours, func.coalesce(r.c.raw_minutes, r.c.minutes),
                           (r.c.captured == "transferred", r.c.minutes))  # as certified (谁记录谁证明)
    if credited is None:
        return None
    x = select(r.c.volunteer_id.label("vid"), credited.label("c"), r.c.category.label("cat"),
               r.c.captured.label("cap"), r.c.rating.label("rat")).where(
        r.c.programme_id == changed.id, r.c.verified_at.is_not(None), r.c.reverses_id.is_(None),
        r.c.adjusts_id.is_(None),
        _not_reversed(r, rev, dialect)).subquery("x").c
    steps: Any = literal(0)
    if pp is not None:
        steps = points_steps_expr(pp, x.c, x.cat, x.cap, x.rat, dialect)
        if steps is None:
            return None
    return select(x.vid, func.sum(x.c).label("m1"), func.sum(level_minutes_expr(changed, x.c, x.cap, x.cat))
                  .label("lm1"), func.count().label("n1"), func.sum(steps).label("s1")).group_by(x.vid).subquery("n")


def _scaled_sum(col: Any, exp: int) -> Any:
    return cast(func.round(col * (10 ** exp)), BigInteger)


def figures(session: Any, changed: Any, pp: PointsPolicy | None, unit: str | None, exp: int
            ) -> list[tuple[Any, ...]] | None:
    """Every volunteer's figures after and before in one statement: (volunteer, minutes, level
    minutes, services, points steps, cached minutes, level minutes, level, balance, earned), the
    points as integers of 10^-exp (0 without a points unit). Volunteers whose records no longer count (cached, none now)
    come from a second, small query. ``None`` when not expressible in SQL."""
    n = aggregate(changed, pp, session.get_bind().dialect.name)
    if n is None:
        return None
    pid = changed.id
    t, b, le = VolunteerTotal.__table__, Balance.__table__, LedgerEntry.__table__
    cols = [n.c.vid, n.c.m1, n.c.lm1, n.c.n1, n.c.s1, t.c.minutes, t.c.level_minutes, t.c.level]
    joined = n.outerjoin(t, and_(t.c.programme_id == pid, t.c.volunteer_id == n.c.vid))
    if unit is not None:
        e = select(le.c.volunteer_id.label("vid"), _scaled_sum(func.sum(le.c.amount), exp).label("earned")).where(
            le.c.programme_id == pid, le.c.unit == unit, le.c.kind.in_(EARNED_KINDS)).group_by(
            le.c.volunteer_id).subquery("e")
        joined = joined.outerjoin(b, and_(b.c.programme_id == pid, b.c.volunteer_id == n.c.vid, b.c.unit == unit)
                                  ).outerjoin(e, e.c.vid == n.c.vid)
        cols += [_scaled_sum(b.c.amount, exp), e.c.earned]
    else:
        cols += [literal(0), literal(0)]
    rows: list[Any] = list(session.execute(select(*cols).select_from(joined)).all())
    # cached volunteers without a counting record now (all reversed …): few, looked up one by one
    matched = sum(1 for row in rows if row[5] is not None)
    if session.scalar(select(func.count()).select_from(t).where(t.c.programme_id == pid)) == matched:
        return rows
    seen = {row[0] for row in rows}
    gone = [v for v in session.scalars(select(t.c.volunteer_id).where(t.c.programme_id == pid)) if v not in seen]
    cached = [row for i in range(0, len(gone), 500) for row in session.execute(select(
        t.c.volunteer_id, t.c.minutes, t.c.level_minutes, t.c.level).where(
        t.c.programme_id == pid, t.c.volunteer_id.in_(gone[i:i + 500]))).all()]
    for vid, m0, lm0, lvl0 in cached:
        extra: list[Any] = [vid, 0, 0, 0, 0, m0, lm0, lvl0]
        if unit is not None:
            bal = session.scalar(select(_scaled_sum(b.c.amount, exp)).where(
                b.c.programme_id == pid, b.c.volunteer_id == vid, b.c.unit == unit))
            earned = session.scalar(select(_scaled_sum(func.sum(le.c.amount), exp)).where(
                le.c.programme_id == pid, le.c.volunteer_id == vid, le.c.unit == unit, le.c.kind.in_(EARNED_KINDS)))
            extra += [bal, earned]
        else:
            extra += [0, 0]
        rows.append(tuple(extra))
    return rows
