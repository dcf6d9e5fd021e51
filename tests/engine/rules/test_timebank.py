"""Time bank: a floor with debt allowed (block or flag), a storage cap overflowing to a named pool,
donate-only hours (group service), rounding, and zero-sum transfers between members, to pools and
to partner communities."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from engine.errors import ConfigError, Conflict, InvalidInput
from engine.stages.rewards.models import TimeBankEntry
from engine.stages.rewards.timebank import balance, flagged_accounts, transfer

BANK = """rules:
  time_bank:
    floor_hours: {floor}
    on_floor: {on_floor}
    cap_hours: 20
    on_cap: overflow
    overflow_pool: 爱心池
    donate_only_categories: [group]
    rounding: {{step: 0.5, mode: down}}
    partners: [east-village]
"""


def _bank(site, floor=-5, on_floor="block"):
    return site.load(BANK.format(floor=floor, on_floor=on_floor))


def test_floor_above_cap_is_refused_at_check(site):
    with pytest.raises(ConfigError) as exc:
        site.load("rules:\n  time_bank:\n    floor_hours: 0\n    cap_hours: 10\n    on_cap: overflow\n")
    assert "overflow_pool" in str(exc.value)
    with pytest.raises(ConfigError):
        site.load("rules:\n  time_bank: {floor_hours: 2}\n")  # a floor above zero


def test_earned_hours_round_and_overflow_to_the_pool(eng, site):
    prog = _bank(site)
    with eng.session() as s:
        v = site.volunteer(s)
        site.serve(s, v.id, "2026-03-01 08:00", 12 * 60 + 20)  # 12.33 h → 12
        site.serve(s, v.id, "2026-03-02 08:00", 10 * 60)  # 10 h: 8 fit under the cap of 20
        assert balance(s, prog.id, f"v:{v.id}")[0] == 20
        assert balance(s, prog.id, "pool:爱心池")[0] == 2


def test_transfers_are_zero_sum_and_stop_at_the_floor(eng, site):
    prog = _bank(site)
    with eng.session() as s:
        a, b = site.volunteer(s), site.volunteer(s)
        site.serve(s, a.id, "2026-03-01 08:00", 120)
        transfer(s, prog, f"v:{a.id}", f"v:{b.id}", Decimal("6.9"), actor="a", reason="help")  # 6.5: 2 − 6.5 = −4.5
        assert balance(s, prog.id, f"v:{a.id}")[0] == Decimal("-4.5")
        with pytest.raises(Conflict) as exc:
            transfer(s, prog, f"v:{a.id}", f"v:{b.id}", Decimal(1), actor="a", reason="more")
        assert exc.value.details["rule"] == "rules.time_bank.floor_hours"
        transfer(s, prog, f"v:{b.id}", "partner:east-village", Decimal(1), actor="b", reason="partner")
        with pytest.raises(InvalidInput, match="not a partner"):
            transfer(s, prog, f"v:{b.id}", "partner:west", Decimal(1), actor="b", reason="x")
        assert s.scalar(select(func.sum(TimeBankEntry.hours)).where(TimeBankEntry.kind == "transfer")) == 0


def test_crossing_the_floor_can_flag_instead_of_block(eng, site):
    prog = _bank(site, floor=-1, on_floor="flag")
    with eng.session() as s:
        a, b = site.volunteer(s), site.volunteer(s)
        transfer(s, prog, f"v:{a.id}", f"v:{b.id}", Decimal(3), actor="a", reason="debt")
        assert flagged_accounts(s, prog.id) == [f"v:{a.id}"]


def test_donate_only_hours_leave_only_as_a_donation(eng, site):
    prog = _bank(site, floor=0)
    with eng.session() as s:
        a, b = site.volunteer(s), site.volunteer(s)
        site.serve(s, a.id, "2026-03-01 08:00", 180, category="group")  # 3 h, donate-only
        with pytest.raises(Conflict) as exc:
            transfer(s, prog, f"v:{a.id}", f"v:{b.id}", Decimal(1), actor="a", reason="x")
        assert exc.value.details["rule"] == "rules.time_bank.donate_only_categories"
        out = transfer(s, prog, f"v:{a.id}", "pool:爱心池", Decimal(3), actor="a", reason="donation")
        assert out["hours"] == "3.0" and balance(s, prog.id, f"v:{a.id}") == (0, 0)
