"""Redemption from the catalogue (seed 001 一(二): 100 分兑换 50 元代金券, 50 分兑换健身房 1 小时 …)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from engine.errors import Conflict, Forbidden, WrongState
from engine.stages.rewards import ledger, service
from engine.stages.rewards.models import CatalogueItem, LedgerEntry, Redemption
from engine.store.models import WorkflowInstance

STAFF = frozenset({"coordinator"})
VOL = frozenset({"volunteer"})


def _give(s, prog, vid, amount):  # type: ignore[no-untyped-def]
    ledger.append(s, programme_id=prog.id, volunteer_id=vid, unit="points", amount=Decimal(amount), kind="bonus",
                  reason="test", actor="admin1")


def _item(s, prog, code="voucher50", cost=100, stock=None, flags=None):  # type: ignore[no-untyped-def]
    return service.create_item(s, prog, code=code, title="超市代金券 50 元", cost=Decimal(cost), stock=stock,
                               flags=flags, actor="admin1")


def _state(s, prog, rid):  # type: ignore[no-untyped-def]
    return s.scalar(select(WorkflowInstance.state).where(WorkflowInstance.workflow == "redemption",
                                                         WorkflowInstance.subject_id == str(rid)))


def test_redeem_debits_at_once_and_starts_the_workflow(reng, prog, world):
    with reng.session() as s:
        v = world.volunteer(s)
        _give(s, prog, v.id, 150)
        item = _item(s, prog, stock=3)
        r = service.redeem(s, prog, reng.host, v.id, item.id, actor="vol1")
        assert ledger.balance_of(s, prog.id, v.id, "points") == Decimal(50)
        debit = s.get(LedgerEntry, r.debit_id)
        assert (debit.amount, debit.kind, debit.unit) == (Decimal(-100), "redemption", "points")
        s.refresh(item)
        assert item.stock == 2
        assert _state(s, prog, r.id) == "requested"
        assert service.fire_redemption(s, prog, reng.host, r.id, "approve", actor="coord1", roles=STAFF).ok
        assert service.fire_redemption(s, prog, reng.host, r.id, "fulfil", actor="coord1", roles=STAFF).ok
        assert _state(s, prog, r.id) == "fulfilled"
        with pytest.raises(WrongState):
            service.fire_redemption(s, prog, reng.host, r.id, "cancel", actor="coord1", roles=STAFF)
        assert ledger.balance_of(s, prog.id, v.id, "points") == Decimal(50)


def test_short_balance_is_refused_with_the_figures_and_changes_nothing(reng, prog, world):
    with reng.session() as s:
        v = world.volunteer(s)
        _give(s, prog, v.id, "99.5")
        item = _item(s, prog, stock=1)
        vid, iid = v.id, item.id
    with pytest.raises(Conflict) as err, reng.session() as s:
        service.redeem(s, prog, reng.host, vid, iid, actor="vol1")
    assert "余额 99.5，兑换 超市代金券 50 元需要 100" in err.value.message
    assert "points balance is 99.5, redeeming 'voucher50' needs 100" in err.value.message
    assert err.value.details["balance"] == "99.50" and err.value.details["cost"] == "100.00"
    with reng.session() as s:
        assert s.scalar(select(func.count()).select_from(Redemption)) == 0
        assert s.get(CatalogueItem, iid).stock == 1
        assert ledger.balance_of(s, prog.id, vid, "points") == Decimal("99.5")


def test_exhausted_stock_is_refused_and_keeps_the_points(reng, prog, world):
    with reng.session() as s:
        a, b = world.volunteer(s, "甲"), world.volunteer(s, "乙")
        _give(s, prog, a.id, 100)
        _give(s, prog, b.id, 100)
        item = _item(s, prog, code="gym1h", cost=50, stock=1)
        service.redeem(s, prog, reng.host, a.id, item.id, actor="vol1")
        ids = b.id, item.id
    with pytest.raises(Conflict, match="out of stock"), reng.session() as s:
        service.redeem(s, prog, reng.host, *ids, actor="vol2")
    with reng.session() as s:
        assert ledger.balance_of(s, prog.id, ids[0], "points") == Decimal(100)


def test_unlimited_stock_and_inactive_items(reng, prog, world):
    with reng.session() as s:
        v = world.volunteer(s)
        _give(s, prog, v.id, 300)
        item = _item(s, prog, cost=100)
        for _ in range(3):
            service.redeem(s, prog, reng.host, v.id, item.id, actor="vol1")
        assert item.stock is None
        service.update_item(s, prog, item.id, {"active": False}, actor="admin1")
        _give(s, prog, v.id, 100)
        with pytest.raises(Conflict, match="not active"):
            service.redeem(s, prog, reng.host, v.id, item.id, actor="vol1")


def test_cancel_refunds_exactly_once(reng, prog, world):
    with reng.session() as s:
        v = world.volunteer(s)
        _give(s, prog, v.id, 100)
        item = _item(s, prog, stock=1)
        r = service.redeem(s, prog, reng.host, v.id, item.id, actor="vol1")
        assert service.fire_redemption(s, prog, reng.host, r.id, "approve", actor="coord1", roles=STAFF).ok
        assert service.fire_redemption(s, prog, reng.host, r.id, "cancel", actor="vol1", roles=VOL).ok
        assert _state(s, prog, r.id) == "cancelled"
        assert ledger.balance_of(s, prog.id, v.id, "points") == Decimal(100)
        assert service.refund_redemption(s, prog, r.id, actor="admin1") is None  # a second refund does nothing
        with pytest.raises(WrongState):
            service.fire_redemption(s, prog, reng.host, r.id, "cancel", actor="vol1", roles=VOL)
        assert ledger.balance_of(s, prog.id, v.id, "points") == Decimal(100)
        refunds = list(s.scalars(select(LedgerEntry).where(LedgerEntry.kind == "refund")))
        assert [(e.amount, e.ref) for e in refunds] == [(Decimal(100), f"refund:redemption:{r.id}")]
        s.refresh(item)
        assert item.stock == 1
        with pytest.raises(Conflict, match="cancel the redemption"):
            ledger.reverse(s, prog.id, r.debit_id, reason="x", actor="admin1")
        assert ledger.balance_drift(s, prog.id) == []


def test_a_volunteer_may_not_approve(reng, prog, world):
    from engine.errors import Forbidden as F

    with reng.session() as s:
        v = world.volunteer(s)
        _give(s, prog, v.id, 100)
        r = service.redeem(s, prog, reng.host, v.id, _item(s, prog).id, actor="vol1")
        with pytest.raises(F, match="approve"):
            service.fire_redemption(s, prog, reng.host, r.id, "approve", actor="vol1", roles=VOL)


def test_love_reward_only_for_backbone_volunteers(reng, prog, world):
    """Seed 003 附件4 第四条: only 志愿者骨干 (≥ 48 h a year) exchange hours for 爱心回馈."""
    with reng.session() as s:
        new, backbone = world.volunteer(s, "新人"), world.volunteer(s, "骨干")
        world.verify(s, new.id, 47 * 60)
        world.verify(s, backbone.id, 48 * 60)
        item = _item(s, prog, code="love-haircut", cost=10, flags=["love_reward"])
        service.redeem(s, prog, reng.host, backbone.id, item.id, actor="coord1")
        with pytest.raises(Forbidden, match=r"仅志愿者骨干.*当前 47 小时"):
            service.redeem(s, prog, reng.host, new.id, item.id, actor="coord1")


def test_catalogue_codes_are_unique_and_costs_positive(reng, prog):
    from engine.errors import InvalidInput

    with reng.session() as s:
        _item(s, prog)
        with pytest.raises(Conflict, match="already exists"):
            _item(s, prog)
        with pytest.raises(InvalidInput, match="cost"):
            _item(s, prog, code="free", cost=0)
