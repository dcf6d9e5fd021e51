"""The yearly reset of spendable points (seed 001 §1(一) 积分累积实行年度清零制度): a ledger entry, once
per year however often it is triggered, lifetime points untouched, new-year points kept, and safe
against a redemption racing it."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from community_helpers import local, town_for
from sqlalchemy import select

from engine.errors import Conflict
from engine.stages.rewards import service as rewards
from engine.stages.rewards.ledger import balance_drift
from engine.stages.rewards.models import CatalogueItem, LedgerEntry
from plugins.community.models import PointsReset
from plugins.community.reset import due_year, reset_points

D = Decimal
JAN2 = local(2026, 1, 2, 9)
TEA = "catalogue: [{code: tea, title: 茶叶 Tea, cost: 10}]"


def test_reset_is_a_ledger_entry_and_keeps_lifetime_points(eng, town) -> None:
    with eng.session() as s:
        v = town.volunteer(s)
        town.serve(s, v, local(2025, 6, 1, 9), 240, "high_risk")  # 12 + 5 first service
        marker, ran = reset_points(eng.host.context(s, town.prog, actor="admin1", now=JAN2), 2026)
        assert ran and (marker.volunteers, marker.total) == (1, D("17.00"))
        entry = town.entries(s, v, kind="reset")[0]
        assert entry.amount == D("-17.00") and entry.ref == f"reset:{town.prog.id}:points:2026:{v.id}"
        assert town.points(s, v) == 0 and town.points(s, v, "lifetime_points") == D("17.00")
        assert town.ledger_sum(s, v) == 0 and balance_drift(s, town.prog.id) == []


def test_a_reset_fired_twice_runs_once(eng, town) -> None:
    with eng.session() as s:
        v = town.volunteer(s)
        town.serve(s, v, local(2025, 6, 1, 9), 60)
        first, ran1 = reset_points(eng.host.context(s, town.prog, actor="admin1", now=JAN2), 2026)
        second, ran2 = reset_points(eng.host.context(s, town.prog, actor="admin2", now=JAN2), 2026)
        assert (ran1, ran2) == (True, False) and second.id == first.id and second.run_by == "admin1"
        assert len(town.entries(s, v, kind="reset")) == 1


def test_two_concurrent_triggers_reset_once(eng, town) -> None:
    with eng.session() as s:
        for i in range(3):
            town.serve(s, town.volunteer(s, f"志愿者{i}"), local(2025, 6, 1, 9), 60)
    results: list[bool] = []
    barrier = threading.Barrier(2)

    def trigger() -> None:
        barrier.wait()
        with eng.session() as s:
            results.append(reset_points(eng.host.context(s, town.prog, actor="cron", now=JAN2), 2026)[1])

    threads = [threading.Thread(target=trigger) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True]
    with eng.session() as s:
        assert s.scalar(select(PointsReset.volunteers)) == 3
        assert len(list(s.scalars(select(LedgerEntry).where(LedgerEntry.kind == "reset")))) == 3


def test_the_year_boundary_keeps_new_year_points(eng, town) -> None:
    with eng.session() as s:
        v = town.volunteer(s)
        town.serve(s, v, local(2025, 12, 31, 22), 90)   # 1.50 + 5 first service: the old year
        town.serve(s, v, local(2026, 1, 1, 0), 60)      # 1.00 at midnight: the new year
        reset_points(eng.host.context(s, town.prog, actor="admin1", now=local(2026, 1, 5, 9)), 2026)  # run days late
        assert town.entries(s, v, kind="reset")[0].amount == D("-6.50")
        assert town.points(s, v) == D("1.00")


def test_points_spent_since_the_year_began_come_from_the_old_balance(eng) -> None:
    town = town_for(eng, TEA)
    with eng.session() as s:
        v = town.volunteer(s)
        town.serve(s, v, local(2025, 6, 1, 9), 240, "professional")  # 8 + 5 = 13 in 2025
        item = s.scalars(select(CatalogueItem)).one()
        rewards.redeem(s, town.prog, eng.host, v.id, item.id, actor="coord1")  # −10 (written after 2026 began)
        # earned before the year began 13, spent since 10: reset min(3, 13 − 10) = 3
        reset_points(eng.host.context(s, town.prog, actor="admin1", now=JAN2), 2026)
        assert town.entries(s, v, kind="reset")[0].amount == D("-3.00") and town.points(s, v) == 0


def test_not_before_it_is_due_and_not_out_of_order(eng, town) -> None:
    with eng.session() as s:
        with pytest.raises(Conflict, match="未到"):
            reset_points(eng.host.context(s, town.prog, actor="admin1", now=local(2026, 12, 31, 23, 59)), 2027)
        reset_points(eng.host.context(s, town.prog, actor="admin1", now=JAN2), 2026)
        with pytest.raises(Conflict, match="更早"):
            reset_points(eng.host.context(s, town.prog, actor="admin1", now=JAN2), 2025)
    assert due_year(town.prog, local(2026, 1, 1, 0)) == 2026
    assert due_year(town.prog, local(2025, 12, 31, 23, 59)) == 2025


def test_a_redemption_racing_the_reset(eng) -> None:
    """Six volunteers redeem while the reset runs; whichever commits first, no balance goes negative
    and every ledger sums to its balance.

    Hand computation: 4 h of high-risk service in 2025 = 4 × 3 = 12, + 5 first service = 17.
    Redemption first: 17 − 10 = 7 left, the reset takes 7. Reset first: it takes 17 and the
    redemption is refused for want of points. Either way the balance ends at 0.
    """
    town = town_for(eng, TEA)
    with eng.session() as s:
        vols = [town.volunteer(s, f"志愿者{i}") for i in range(6)]
        for v in vols:
            town.serve(s, v, local(2025, 6, 1, 9), 240, "high_risk")
        item_id = s.scalars(select(CatalogueItem.id)).one()
    barrier = threading.Barrier(len(vols) + 1)
    got: dict[int, str] = {}

    def redeem(vid: int) -> None:
        barrier.wait()
        try:
            with eng.session() as s:
                rewards.redeem(s, town.prog, eng.host, vid, item_id, actor="vol")
            got[vid] = "redeemed"
        except Conflict:
            got[vid] = "refused"

    def reset() -> None:
        barrier.wait()
        with eng.session() as s:
            reset_points(eng.host.context(s, town.prog, actor="cron", now=JAN2), 2026)

    threads = [threading.Thread(target=redeem, args=(v.id,)) for v in vols] + [threading.Thread(target=reset)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with eng.session() as s:
        for v in vols:
            assert town.points(s, v) == 0 and town.ledger_sum(s, v) == 0
            taken = [e.amount for e in town.entries(s, v, kind="reset")]
            redeemed = [e.amount for e in town.entries(s, v, kind="redemption")]
            if got[v.id] == "redeemed":
                assert (redeemed, taken) == ([D("-10.00")], [D("-7.00")])
            else:
                assert (redeemed, taken) == ([], [D("-17.00")])
        assert balance_drift(s, town.prog.id) == []


def test_the_scheduled_path_resets_and_the_community_records_it(eng, town) -> None:
    from engine.scheduling.runner import tick

    with eng.session() as s:
        v = town.volunteer(s)
        town.serve(s, v, local(2025, 6, 1, 9), 240, "high_risk")  # 12 + 5 first service
        town.serve(s, v, local(2026, 1, 1, 10), 60)  # 1 in the new year, before the first tick
    tick(eng, now=JAN2, every=60, deliver=False)  # the engine resets, the community's job may run first
    tick(eng, now=JAN2 + dt.timedelta(minutes=1), every=60, deliver=False)  # ... and records it by then
    with eng.session() as s:
        marker = s.scalars(select(PointsReset)).one()
        assert (marker.year, marker.volunteers, marker.total, marker.run_by) == (2026, 1, D("17.00"), "system")
        assert town.points(s, v) == D("1.00") and town.points(s, v, "lifetime_points") == D("18.00")
        again, ran = reset_points(eng.host.context(s, town.prog, actor="admin1", now=JAN2), 2026)
        assert not ran and again.id == marker.id and len(town.entries(s, v, kind="reset")) == 1
