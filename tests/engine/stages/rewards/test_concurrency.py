"""Racing redemptions: each thread has its own session and connection. On PostgreSQL the
conditional UPDATE is what keeps the balance from going negative; on SQLite writers serialise
(BEGIN IMMEDIATE), and the same test must hold there too."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from sqlalchemy import func, select

from engine.errors import Conflict
from engine.stages.rewards import ledger, service
from engine.stages.rewards.models import LedgerEntry, Redemption

N = 50


def _race(reng, prog, vid: int, item_id: int) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(N)

    def one(_: int) -> str:
        barrier.wait()
        try:
            with reng.session() as s:
                service.redeem(s, prog, reng.host, vid, item_id, actor="vol1")
            return "ok"
        except Conflict as exc:
            return exc.message

    with ThreadPoolExecutor(max_workers=N) as pool:
        outcomes = list(pool.map(one, range(N)))
    return outcomes.count("ok"), [o for o in outcomes if o != "ok"]


def test_fifty_racing_redemptions_against_a_balance_for_ten(reng, prog, world):
    with reng.session() as s:
        v = world.volunteer(s)
        ledger.append(s, programme_id=prog.id, volunteer_id=v.id, unit="points", amount=Decimal(100), kind="bonus",
                      reason="test", actor="admin1")
        item = service.create_item(s, prog, code="gym1h", title="健身房 1 小时", cost=Decimal(10), actor="admin1")
        vid, iid = v.id, item.id
    ok, refused = _race(reng, prog, vid, iid)
    assert ok == 10
    assert len(refused) == 40 and all("余额 0" in m and "needs 10" in m for m in refused)
    with reng.session() as s:
        assert ledger.balance_of(s, prog.id, vid, "points") == 0
        assert s.scalar(select(func.count()).select_from(Redemption)) == 10
        assert s.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == "redemption")) == 10
        assert ledger.balance_drift(s, prog.id) == []


def test_fifty_racing_redemptions_for_five_in_stock(reng, prog, world):
    with reng.session() as s:
        v = world.volunteer(s)
        ledger.append(s, programme_id=prog.id, volunteer_id=v.id, unit="points", amount=Decimal(10_000), kind="bonus",
                      reason="test", actor="admin1")
        item = service.create_item(s, prog, code="voucher", title="代金券", cost=Decimal(100), stock=5, actor="admin1")
        vid, iid = v.id, item.id
    ok, refused = _race(reng, prog, vid, iid)
    assert ok == 5 and all("out of stock" in m for m in refused)
    with reng.session() as s:
        assert ledger.balance_of(s, prog.id, vid, "points") == Decimal(9_500)
        assert ledger.balance_drift(s, prog.id) == []
