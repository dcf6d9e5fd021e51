"""Time-bank limits as pure decisions: the floor (debt down to −N h) and what crossing it does,
the storage cap and its overflow pool, hours that may only be donated. One unit: hours.

Each function returns a :class:`Decision`; the rewards stage writes the entries it lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from engine.rules.hours import round_to
from engine.rules.models import TimeBankPolicy


@dataclass
class Decision:
    refused: str | None = None  # message naming the rule
    rule: str | None = None
    kept: Decimal = Decimal(0)  # hours landing in the account
    overflow: Decimal = Decimal(0)  # hours sent to the overflow pool
    flagged: bool = False
    notes: list[str] = field(default_factory=list)


def rounded(policy: TimeBankPolicy, hours: Decimal) -> Decimal:
    return round_to(Decimal(hours), policy.rounding)


def receive(policy: TimeBankPolicy, balance: Decimal, hours: Decimal) -> Decision:
    """Hours arriving in an account (earned or transferred in): stored, or up to the cap with the rest
    sent to the pool (``on_cap: overflow``), or refused (``on_cap: block``)."""
    d = Decision(kept=hours)
    if policy.cap_hours is None or balance + hours <= policy.cap_hours:
        return d
    room = max(Decimal(0), policy.cap_hours - balance)
    if policy.on_cap == "block":
        return Decision(refused=f"超过存储上限 {policy.cap_hours:g} 小时（现 {balance:g}，再存 {hours:g}）/ above the "
                        f"storage cap of {policy.cap_hours:g} h (holds {balance:g}, adding {hours:g}) "
                        "(rules.time_bank.cap_hours)", rule="rules.time_bank.cap_hours")
    return Decision(kept=room, overflow=hours - room,
                    notes=[f"{hours - room:g} h → pool {policy.overflow_pool} (rules.time_bank.on_cap: overflow)"])


def send(policy: TimeBankPolicy, balance: Decimal, donate_only: Decimal, hours: Decimal, *,
         donation: bool) -> Decision:
    """Hours leaving an account: not below the floor (block, or allow and flag), and donate-only
    hours only as a donation."""
    if hours <= 0:
        return Decision(refused="时数须大于 0 / hours must be above 0", rule="hours")
    spendable = balance - (Decimal(0) if donation else max(Decimal(0), donate_only))
    after = spendable - hours
    floor = policy.floor_hours
    if after < floor and not donation and after + donate_only >= floor and donate_only > 0:
        return Decision(refused=f"其中 {donate_only:g} 小时只能捐赠 / {donate_only:g} h of this account may only be "
                        "donated (rules.time_bank.donate_only_categories)",
                        rule="rules.time_bank.donate_only_categories")
    if after < floor:
        if policy.on_floor == "block":
            return Decision(refused=f"余额不能低于 {floor:g} 小时（现可用 {spendable:g}，转出 {hours:g}）/ the balance may "
                            f"not go below {floor:g} h (has {spendable:g} available, sending {hours:g}) "
                            "(rules.time_bank.floor_hours)", rule="rules.time_bank.floor_hours")
        return Decision(kept=hours, flagged=True,
                        notes=[f"below the floor of {floor:g} h: flagged for a coordinator (rules.time_bank.on_floor)"])
    return Decision(kept=hours)
