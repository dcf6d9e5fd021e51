"""Redemption limits: once a quarter per item, N a year over the catalogue, love rewards only for
backbone volunteers (≥ 48 h this year, seed 003 附件4 第四条, the zhanjiang-stations-2018 pack);
a refusal names the rule and the date the limit opens again."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

import pytest

from engine import timeutil
from engine.errors import Conflict
from engine.rules.redemption import period_bounds
from engine.stages.rewards.service import create_item, redeem


@contextlib.contextmanager
def frozen(when: dt.datetime):
    timeutil.set_clock(lambda: when)
    try:
        yield
    finally:
        timeutil.set_clock(None)


@pytest.mark.parametrize(("day", "per", "bounds"), [
    ("2026-03-31", "quarter", ("2026-01-01", "2026-04-01")),
    ("2026-04-01", "quarter", ("2026-04-01", "2026-07-01")),
    ("2026-12-15", "quarter", ("2026-10-01", "2027-01-01")),
    ("2026-12-15", "month", ("2026-12-01", "2027-01-01")),
    ("2026-02-28", "year", ("2026-01-01", "2027-01-01")),
])
def test_period_bounds(day, per, bounds):
    got = period_bounds(dt.date.fromisoformat(day), per)
    assert tuple(d.isoformat() for d in got) == bounds


def test_once_a_quarter_refusal_names_the_rule_and_the_next_date(eng, site):
    prog = site.load("""rules:
  pack: community-points-001
  redemption:
    items: {gym-1h: {max: 1, per: quarter}}
    catalogue: {max: 2, per: year}
""")
    with frozen(dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC)), eng.session() as s:
        v = site.volunteer(s)
        site.serve(s, v.id, "2026-05-01 09:00", 600, category="high_risk")  # 30 + 5 points
        gym = create_item(s, prog, code="gym-1h", title="健身房 1 小时", cost=Decimal(5), actor="admin")
        soap = create_item(s, prog, code="soap", title="肥皂", cost=Decimal(1), actor="admin")
        redeem(s, prog, eng.host, v.id, gym.id, actor="v")
        with pytest.raises(Conflict) as exc:
            redeem(s, prog, eng.host, v.id, gym.id, actor="v")
        assert exc.value.details["rule"] == "rules.redemption.items.gym-1h"
        assert exc.value.details["opens"] == "2026-07-01"
        assert "2026-07-01" in str(exc.value)
        redeem(s, prog, eng.host, v.id, soap.id, actor="v")
        with pytest.raises(Conflict) as exc:
            redeem(s, prog, eng.host, v.id, soap.id, actor="v")
        assert (exc.value.details["rule"], exc.value.details["opens"]) == ("rules.redemption.catalogue", "2027-01-01")


def test_love_rewards_only_for_backbone_volunteers(eng, site):
    prog = site.load("rules:\n  pack: zhanjiang-stations-2018\n  points: {per_hour: {routine: 1}}\n")
    with frozen(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)), eng.session() as s:
        v = site.volunteer(s)
        for day in range(1, 25):  # 24 × 2 h = 48 h, less one minute on the last day
            site.serve(s, v.id, f"2026-05-{day:02d} 09:00", 120 if day < 24 else 119)
        love = create_item(s, prog, code="haircut", title="爱心理发", cost=Decimal(1), flags=["love_reward"],
                           actor="admin")
        with pytest.raises(Conflict) as exc:
            redeem(s, prog, eng.host, v.id, love.id, actor="v")
        assert exc.value.details["rule"] == "rules.redemption.flags.love_reward"
        assert "47.98" in str(exc.value)
        site.serve(s, v.id, "2026-05-25 09:00", 1)
        redeem(s, prog, eng.host, v.id, love.id, actor="v")
