"""Time-bank balances under changed rules: every account's history replayed in order (dry run), and
applied as adjusting entries (never edits).

What the changed ``rules.time_bank`` (and the changed hours policy, through each record's credit)
decides, replayed event by event in the order they happened:

* a verified record earns ``rounding(credited minutes / 60)`` hours, donate-only when its category
  is listed, arriving under the storage cap (``on_cap: overflow`` sends the rest to the pool;
  ``block`` stores nothing of it — counted as ``blocked``);
* a reversal takes back exactly what the replayed earning stored (member and pool);
* a transfer or donation moves the amounts that were moved (history stands), the arrival in a
  member's account again under the cap; a source that ends below the changed floor is counted in
  ``below_floor`` (under ``block`` it would now be refused — the report says so, nothing is undone);
* other entries (manual ones) stay as they are; an earlier rule change's adjustments are left out,
  since the replay recomputes what they adjusted.

Before = the sum of the stored entries; after = the replay. Applying writes, per account whose
balance (or donate-only part) changes, ``adjustment`` entries for the difference under the key
``rulechange:<id>``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.rules import timebank as tb
from engine.rules.models import TimeBankPolicy
from engine.stages.records.models import ServiceRecord
from engine.stages.rewards.models import TimeBankEntry
from engine.store.base import utcnow

ZERO = Decimal("0.00")
RULE_CHANGE = "rulechange:"


@dataclass
class BankChange:
    account: str  # v:<volunteer id> | pool:<name> | partner:<code>
    before: Decimal
    after: Decimal
    donate_only_before: Decimal = ZERO
    donate_only_after: Decimal = ZERO
    blocked: Decimal = ZERO  # hours the changed cap (on_cap: block) would not have stored
    below_floor: int = 0  # transfers that leave the account below the changed floor

    @property
    def delta(self) -> Decimal:
        return self.after - self.before

    def as_row(self) -> dict[str, Any]:
        return {"account": self.account, "before": str(self.before), "after": str(self.after),
                "delta": str(self.delta), "donate_only_before": str(self.donate_only_before),
                "donate_only_after": str(self.donate_only_after), "blocked": str(self.blocked),
                "below_floor": self.below_floor}


class _Books:
    def __init__(self, pol: TimeBankPolicy) -> None:
        self.pol = pol
        self.total: dict[str, Decimal] = defaultdict(Decimal)
        self.donate: dict[str, Decimal] = defaultdict(Decimal)
        self.blocked: dict[str, Decimal] = defaultdict(Decimal)
        self.below: dict[str, int] = defaultdict(int)

    def put(self, account: str, hours: Decimal, donate_only: bool) -> tuple[str, Decimal, bool]:
        self.total[account] += hours
        if donate_only:
            self.donate[account] += hours
        return account, hours, donate_only

    def arrive(self, account: str, hours: Decimal, donate_only: bool) -> list[tuple[str, Decimal, bool]]:
        """Hours arriving; a member's account under the cap (what was stored, for a reversal)."""
        if not account.startswith("v:"):
            return [self.put(account, hours, donate_only)]
        d = tb.receive(self.pol, self.total[account], hours)
        if d.refused:
            self.blocked[account] += hours
            return []
        out = [self.put(account, d.kept, donate_only)] if d.kept else []
        if d.overflow:
            out.append(self.put(f"pool:{self.pol.overflow_pool}", d.overflow, donate_only))
        return out

    def leave(self, account: str, hours: Decimal, donate_only: bool) -> None:
        self.put(account, hours, donate_only)
        if account.startswith("v:") and hours < 0 and self.total[account] < self.pol.floor_hours:
            self.below[account] += 1


def _utc(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.UTC)


def replay_bank(session: Session, programme_id: str, pol: TimeBankPolicy, credits: dict[int, int]
                ) -> list[BankChange]:
    """Accounts whose balance (or donate-only part) differs under ``pol`` and the changed
    ``credits`` ({original record: credited minutes}), most changed first."""
    entries = list(session.scalars(select(TimeBankEntry).where(TimeBankEntry.programme_id == programme_id)
                                   .order_by(TimeBankEntry.id)))
    groups: dict[str, list[TimeBankEntry]] = {}
    for e in entries:
        groups.setdefault(e.transfer or f"entry:{e.id}", []).append(e)
    records = {rid: (vid, cat, rev, _utc(at)) for rid, vid, cat, rev, at in session.execute(select(
        ServiceRecord.id, ServiceRecord.volunteer_id, ServiceRecord.category, ServiceRecord.reverses_id,
        ServiceRecord.verified_at).where(ServiceRecord.programme_id == programme_id,
                                         ServiceRecord.verified_at.is_not(None), ServiceRecord.adjusts_id.is_(None)))
        if at is not None}
    events: list[tuple[dt.datetime, int, str, Any]] = []
    for seq, (key, group) in enumerate(groups.items()):
        if key.startswith(RULE_CHANGE):
            continue
        rid = int(key[4:]) if key.startswith("rec:") and key[4:].isdigit() else None
        events.append((_utc(group[0].created_at), seq, "rec" if rid in records else "entries", rid if rid in
                       records else group))
    for rid, (_, _, _, at) in records.items():
        if f"rec:{rid}" not in groups:
            events.append((at, len(groups) + rid, "rec", rid))
    events.sort(key=lambda ev: (ev[0], ev[1]))

    books = _Books(pol)
    stored: dict[int, list[tuple[str, Decimal, bool]]] = {}
    for _, _, kind, what in events:
        if kind == "rec":
            vid, category, reverses, _ = records[what]
            if reverses is not None:
                for account, hours, donate_only in stored.pop(reverses, []):
                    books.put(account, -hours, donate_only)
                continue
            hours = tb.rounded(pol, Decimal(credits.get(what, 0)) / 60)
            if hours > 0:
                stored[what] = books.arrive(f"v:{vid}", hours, category in pol.donate_only_categories)
            continue
        overflow = {e.counterparty: Decimal(e.hours) for e in what if e.kind == "overflow"}
        for e in what:
            hours = Decimal(e.hours)
            if e.kind == "overflow":
                continue  # recomputed with the arrival it came from
            if hours < 0:
                books.leave(e.account, hours, e.donate_only)
            elif e.account.startswith("v:"):
                books.arrive(e.account, hours + overflow.get(e.account, ZERO), e.donate_only)
            else:
                books.put(e.account, hours, e.donate_only)

    before: dict[str, Decimal] = defaultdict(Decimal)
    donate_before: dict[str, Decimal] = defaultdict(Decimal)
    for e in entries:
        before[e.account] += Decimal(e.hours)
        if e.donate_only:
            donate_before[e.account] += Decimal(e.hours)
    out = []
    for account in sorted(set(before) | set(books.total) | set(books.blocked) | set(books.below)):
        c = BankChange(account, before[account] + ZERO, books.total[account] + ZERO, donate_before[account] + ZERO,
                       books.donate[account] + ZERO, books.blocked[account] + ZERO, books.below[account])
        if c.delta or c.donate_only_before != c.donate_only_after or c.blocked or c.below_floor:
            out.append(c)
    out.sort(key=lambda c: (-abs(c.delta), c.account))
    return out


def apply_bank(session: Session, programme_id: str, changes: list[BankChange], *, rule_change: int, actor: str,
               reason: str) -> int:
    """Adjusting entries for every account whose balance or donate-only part changes; returns how many."""
    written = 0
    for c in changes:
        donate = c.donate_only_after - c.donate_only_before
        free = c.delta - donate
        for hours, donate_only in ((free, False), (donate, True)):
            if hours:
                session.add(TimeBankEntry(programme_id=programme_id, account=c.account, hours=hours, kind="adjustment",
                                          transfer=f"{RULE_CHANGE}{rule_change}", donate_only=donate_only,
                                          reason=f"规则调整 Rule change #{rule_change}: {reason}", created_by=actor,
                                          created_at=utcnow()))
                written += 1
    session.flush()
    return written


__all__ = ["BankChange", "apply_bank", "replay_bank"]
