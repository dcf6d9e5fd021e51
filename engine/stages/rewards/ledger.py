"""The append-only ledger and its Balance cache.

Why this shape: the ledger is the truth and is never updated or deleted, so every change of a
balance is a new :class:`LedgerEntry`. :class:`Balance` is only a cache kept in step in the same
transaction. Debits go through one conditional ``UPDATE … WHERE amount >= :cost`` so that two
transactions racing for the last points cannot both win: on PostgreSQL the second waits on the
row lock and then re-checks the condition; on SQLite writers are serialised (BEGIN IMMEDIATE).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.orm import Session

from engine.errors import Conflict, InvalidInput, NotFound
from engine.stages.rewards.models import Balance, LedgerEntry
from engine.store.base import dialect_insert, utcnow

ZERO = Decimal(0)
WORKFLOW_KINDS = ("redemption", "refund")  # owned by the redemption workflow, not reversible by hand


def fmt(amount: Decimal | int | float) -> str:
    """An amount as people write it (``100`` not ``100.00``)."""
    d = Decimal(str(amount))
    return format(d.quantize(Decimal(1)) if d == d.to_integral() else d.normalize(), "f")


def balance_of(session: Session, programme_id: str, volunteer_id: int, unit: str) -> Decimal:
    """The cached balance (0 when the volunteer never had this unit)."""
    value = session.scalar(select(Balance.amount).where(
        Balance.programme_id == programme_id, Balance.volunteer_id == volunteer_id, Balance.unit == unit))
    return Decimal(value) if value is not None else ZERO


def _credit_balance(session: Session, programme_id: str, volunteer_id: int, unit: str, amount: Decimal) -> None:
    """Add to the balance, creating the row on first use (one upsert, no read)."""
    stmt = dialect_insert(session, Balance).values(programme_id=programme_id, volunteer_id=volunteer_id, unit=unit,
                                            amount=amount)
    stmt = stmt.on_conflict_do_update(index_elements=["programme_id", "volunteer_id", "unit"],
                                      set_={"amount": Balance.amount + stmt.excluded.amount})
    session.execute(stmt)


What = str | tuple[str, str]


def _what(what: What) -> tuple[str, str]:
    """(Chinese, English) naming of the debit; a plain ``"中文 / English"`` string is split."""
    if isinstance(what, tuple):
        return what
    zh, sep, en = what.partition(" / ")
    return (zh, en) if sep else (what, what)


def debit_balance(session: Session, programme_id: str, volunteer_id: int, unit: str, amount: Decimal,
                  *, what: What = ("扣减", "the debit")) -> None:
    """Take ``amount`` (> 0) off the balance or refuse with the balance and the amount in the message.

    The check and the write are one statement, so no other transaction can slip in between.
    """
    zh, en = _what(what)
    result = session.execute(
        update(Balance)
        .where(Balance.programme_id == programme_id, Balance.volunteer_id == volunteer_id, Balance.unit == unit,
               Balance.amount >= amount)
        .values(amount=Balance.amount - amount)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        have = balance_of(session, programme_id, volunteer_id, unit)
        raise Conflict(
            f"余额不足：{unit} 余额 {fmt(have)}，{zh}需要 {fmt(amount)} / insufficient balance: {unit} balance is "
            f"{fmt(have)}, {en} needs {fmt(amount)}",
            unit=unit, balance=str(have), cost=str(amount))


def append(session: Session, *, programme_id: str, volunteer_id: int, unit: str, amount: Decimal, kind: str,
           reason: str, actor: str, record_id: int | None = None, ref: str | None = None,
           reverses_id: int | None = None, data: dict[str, Any] | None = None,
           what: What = ("扣减", "the debit")) -> LedgerEntry | None:
    """Append one entry and move the balance with it; ``None`` when ``ref`` was already written.

    A negative amount is a debit and is refused (``Conflict``) rather than taking the balance
    below zero. A credit with a ``ref`` is inserted with ``ON CONFLICT DO NOTHING`` first, so a
    repeated call (or a racing one) credits nothing twice.
    """
    amount = Decimal(str(amount))
    if not unit or len(unit) > 32:
        raise InvalidInput(f"单位无效：{unit!r} / invalid unit {unit!r} (1–32 characters)", field="unit")
    if amount < 0:
        debit_balance(session, programme_id, volunteer_id, unit, -amount, what=what)
    values = dict(programme_id=programme_id, volunteer_id=volunteer_id, unit=unit, amount=amount, kind=kind,
                  reason=reason, record_id=record_id, ref=ref, reverses_id=reverses_id, data=data or {},
                  created_by=actor, created_at=utcnow())
    if ref is not None:
        stmt = dialect_insert(session, LedgerEntry).values(**values).on_conflict_do_nothing(index_elements=["ref"])
        new_id = session.execute(stmt.returning(LedgerEntry.id)).scalar_one_or_none()
        if new_id is None:
            if amount < 0:  # the debit above must not stand without its entry
                _credit_balance(session, programme_id, volunteer_id, unit, -amount)
            return None
    else:
        new_id = session.execute(insert(LedgerEntry).values(**values).returning(LedgerEntry.id)).scalar_one()
    if amount > 0:
        _credit_balance(session, programme_id, volunteer_id, unit, amount)
    return session.get(LedgerEntry, new_id)


def reverse(session: Session, programme_id: str, entry_id: int, *, reason: str, actor: str) -> LedgerEntry:
    """Correct an entry with a reversing one (opposite amount, ``reverses_id``); never twice.

    Reversing a reversal is refused as well: write a new entry instead, so the history stays
    readable. Reversing a credit the volunteer already spent is refused (the balance would go
    negative) with the figures.
    """
    entry = session.get(LedgerEntry, entry_id)
    if entry is None or entry.programme_id != programme_id:
        raise NotFound(f"没有台账记录 {entry_id} / no ledger entry {entry_id} in programme {programme_id!r}",
                       entry=entry_id)
    if entry.reverses_id is not None:
        raise Conflict(f"台账记录 {entry_id} 本身是冲正记录，不能再冲正 / ledger entry {entry_id} is itself a reversal "
                       "and cannot be reversed", entry=entry_id)
    if entry.kind in WORKFLOW_KINDS:
        raise Conflict(f"台账记录 {entry_id} 属于积分兑换，请通过取消兑换退还 / ledger entry {entry_id} belongs to a "
                       "redemption: cancel the redemption instead (it refunds exactly once)", entry=entry_id)
    if not reason.strip():
        raise InvalidInput("冲正需要说明原因 / a reversal needs a reason", field="reason")
    done = session.scalar(select(LedgerEntry.id).where(LedgerEntry.reverses_id == entry_id))
    if done is not None:
        raise Conflict(f"台账记录 {entry_id} 已被记录 {done} 冲正 / ledger entry {entry_id} was already reversed by "
                       f"entry {done}", entry=entry_id, reversed_by=done)
    row = append(session, programme_id=programme_id, volunteer_id=entry.volunteer_id, unit=entry.unit,
                 amount=-Decimal(entry.amount), kind="reversal", reason=reason, actor=actor,
                 record_id=entry.record_id, reverses_id=entry.id, ref=f"reversal:{entry.id}",
                 data={"reverses": entry.id, "original_kind": entry.kind}, what=(f"冲正记录 {entry_id}", f"reversing entry {entry_id}"))
    if row is None:  # a racing reversal won between our check and the insert
        raise Conflict(f"台账记录 {entry_id} 已被冲正 / ledger entry {entry_id} was already reversed", entry=entry_id)
    return row


def rebuild_balances(session: Session, programme_id: str) -> int:
    """Make every Balance of a programme equal to its ledger sum; returns the rows written.

    Why an upsert that writes only differing rows (``ON CONFLICT … DO UPDATE … WHERE amount IS
    DISTINCT FROM``) rather than delete-and-insert: the cache must always be reproducible from the
    append-only ledger (after a restore, or to audit it), and a rebuild of a cache that is already
    right should cost one aggregate scan, not 100,000 rewritten rows (on PostgreSQL every rewrite
    is a new row version and index entries). A cached balance whose unit has no ledger entry at all
    (only possible if something wrote the cache directly) is set to zero by a second statement.
    """
    sums = (select(LedgerEntry.programme_id, LedgerEntry.volunteer_id, LedgerEntry.unit,
                   func.sum(LedgerEntry.amount))
            .where(LedgerEntry.programme_id == programme_id)
            .group_by(LedgerEntry.programme_id, LedgerEntry.volunteer_id, LedgerEntry.unit))
    stmt = dialect_insert(session, Balance).from_select(["programme_id", "volunteer_id", "unit", "amount"], sums)
    stmt = stmt.on_conflict_do_update(index_elements=["programme_id", "volunteer_id", "unit"],
                                      set_={"amount": stmt.excluded.amount},
                                      where=Balance.amount != stmt.excluded.amount)
    written = len(session.execute(stmt.returning(Balance.id)).all())  # psycopg reports rowcount -1 here
    orphans = session.execute(update(Balance).where(
        Balance.programme_id == programme_id, Balance.amount != 0,
        ~select(LedgerEntry.id).where(LedgerEntry.programme_id == programme_id,
                                      LedgerEntry.volunteer_id == Balance.volunteer_id,
                                      LedgerEntry.unit == Balance.unit).exists())
        .values(amount=ZERO).execution_options(synchronize_session=False))
    session.expire_all()
    return written + int(orphans.rowcount or 0)  # type: ignore[attr-defined]


def balance_drift(session: Session, programme_id: str) -> list[tuple[int, str, Decimal, Decimal]]:
    """(volunteer, unit, cached, ledger) where the cache disagrees with the ledger; empty when in step."""
    sums = (select(LedgerEntry.volunteer_id.label("v"), LedgerEntry.unit.label("u"),
                   func.sum(LedgerEntry.amount).label("s"))
            .where(LedgerEntry.programme_id == programme_id)
            .group_by(LedgerEntry.volunteer_id, LedgerEntry.unit).subquery())
    rows = session.execute(
        select(sums.c.v, sums.c.u, func.coalesce(Balance.amount, 0), sums.c.s)
        .outerjoin(Balance, and_(Balance.programme_id == programme_id, Balance.volunteer_id == sums.c.v,
                                 Balance.unit == sums.c.u)))
    out = [(v, u, Decimal(c), Decimal(s)) for v, u, c, s in rows if Decimal(c) != Decimal(s)]
    orphans = session.execute(select(Balance.volunteer_id, Balance.unit, Balance.amount).where(
        Balance.programme_id == programme_id, Balance.amount != 0,
        ~select(LedgerEntry.id).where(LedgerEntry.programme_id == programme_id,
                                      LedgerEntry.volunteer_id == Balance.volunteer_id,
                                      LedgerEntry.unit == Balance.unit).exists()))
    out.extend((v, u, Decimal(a), ZERO) for v, u, a in orphans)
    return out


def reset_unit(session: Session, programme_id: str, unit: str, period: str, *, actor: str) -> int:
    """Yearly reset (积分年度清零, seed 001): a ``reset`` entry taking each positive balance to zero.

    Why entries and not just zeroing the cache: the ledger stays the truth and the reset can be
    audited and rebuilt. The balances are locked first (``FOR UPDATE`` on PostgreSQL; SQLite
    writers are serialised) so a credit landing meanwhile is not wiped without an entry. The ref
    ``reset:<programme>:<unit>:<period>:<volunteer>`` makes a repeated reset of a period a no-op.
    Returns the number of volunteers reset.
    """
    rows = session.execute(select(Balance.volunteer_id, Balance.amount, Balance.id).where(
        Balance.programme_id == programme_id, Balance.unit == unit, Balance.amount > 0)
        .order_by(Balance.volunteer_id).with_for_update()).all()
    refs = {f"reset:{programme_id}:{unit}:{period}:{v}" for v, _, _ in rows}
    done = set(session.scalars(select(LedgerEntry.ref).where(LedgerEntry.ref.in_(refs)))) if refs else set()
    todo = [(v, Decimal(a), bid) for v, a, bid in rows if f"reset:{programme_id}:{unit}:{period}:{v}" not in done]
    if not todo:
        return 0
    now = utcnow()
    session.execute(insert(LedgerEntry), [
        dict(programme_id=programme_id, volunteer_id=v, unit=unit, amount=-a, kind="reset",
             reason=f"{period} 年度清零 / yearly reset {period}", record_id=None, ref=f"reset:{programme_id}:{unit}:{period}:{v}",
             reverses_id=None, data={"period": period, "balance": str(a)}, created_by=actor, created_at=now)
        for v, a, _ in todo])
    session.execute(update(Balance), [{"id": bid, "amount": ZERO} for _, _, bid in todo])  # rows are locked above
    return len(todo)
