"""Awards from a plan-type hook, idempotency by ref, reversals, rebuilding the balance cache, resets."""

from __future__ import annotations

import types
from decimal import Decimal
from pathlib import Path

import pytest
import vol_plan_demo
from sqlalchemy import func, select

from engine import hookimpl
from engine.errors import Conflict, InvalidInput, NotFound, PluginError
from engine.stages.rewards import ledger
from engine.stages.rewards.ledger import balance_of
from engine.stages.rewards.models import Balance, LedgerEntry
from engine.testing import temp_engine

PROGRAMMES = Path(__file__).resolve().parents[3] / "programmes"


def test_award_from_hook_writes_entries_and_balances(reng, prog, world):
    """Seed 001: professional service 2 points per hour; a 5-star rating adds 10 %; first service +5."""
    with reng.session() as s:
        v = world.volunteer(s)
        rec, entries = world.verify(s, v.id, 180, category="professional", rating=5)
        assert [(e.unit, e.amount, e.kind) for e in entries] == [
            ("points", Decimal("6.60"), "award"), ("lifetime_points", Decimal("6.60"), "award"),
            ("points", Decimal("5.00"), "bonus")]
        assert all(e.record_id == rec.id and e.created_by == "coord1" for e in entries)
        assert balance_of(s, prog.id, v.id, "points") == Decimal("11.60")
        assert balance_of(s, prog.id, v.id, "lifetime_points") == Decimal("6.60")


def test_award_ref_is_idempotent(reng, prog, world):
    """The first-service bonus carries a ref: a second record (or a repeated call) does not pay it again."""
    from engine.stages.rewards.service import after_record_verified

    with reng.session() as s:
        v = world.volunteer(s)
        rec, first = world.verify(s, v.id, 60)
        _, second = world.verify(s, v.id, 60)
        assert [e.kind for e in first] == ["award", "award", "bonus"]
        assert [e.kind for e in second] == ["award", "award"]
        again = after_record_verified(s, prog, reng.host, rec, "coord1")
        assert [e.kind for e in again] == ["award", "award"]  # only the ref'd award is protected
        bonuses = s.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == "bonus"))
        assert bonuses == 1
        assert balance_of(s, prog.id, v.id, "points") == Decimal(1 + 1 + 1 + 5)


def test_hook_returning_something_else_is_a_plugin_error(tmp_path, make_world):
    mod = types.ModuleType("bad_awards")

    @hookimpl
    def volunteer_compute_awards(record):  # type: ignore[no-untyped-def]
        return [{"unit": "points", "amount": 1}]

    mod.volunteer_compute_awards = volunteer_compute_awards  # type: ignore[attr-defined]
    with temp_engine(tmp_path, plugins=[("demo", vol_plan_demo), ("bad", mod)]) as eng:
        prog = eng.load(PROGRAMMES / "demo_full.yaml")
        w = make_world(eng, prog)
        with pytest.raises(PluginError, match="Award"), eng.session() as s:
            w.verify(s, w.volunteer(s).id, 60)
        with eng.session() as s:
            assert s.scalar(select(func.count()).select_from(LedgerEntry)) == 0


def _credit(s, prog, vid, amount, unit="points", **kw):  # type: ignore[no-untyped-def]
    return ledger.append(s, programme_id=prog.id, volunteer_id=vid, unit=unit, amount=Decimal(amount),
                         kind=kw.pop("kind", "bonus"), reason=kw.pop("reason", "test"), actor="admin1", **kw)


def test_reversal_is_an_opposite_entry_and_only_once(reng, prog, world):
    with reng.session() as s:
        v = world.volunteer(s)
        entry = _credit(s, prog, v.id, 30)
        rev = ledger.reverse(s, prog.id, entry.id, reason="重复录入 / entered twice", actor="admin1")
        assert (rev.amount, rev.kind, rev.reverses_id, rev.unit) == (Decimal(-30), "reversal", entry.id, "points")
        assert balance_of(s, prog.id, v.id, "points") == 0
        with pytest.raises(Conflict, match=f"already reversed by entry {rev.id}"):
            ledger.reverse(s, prog.id, entry.id, reason="again", actor="admin1")
        with pytest.raises(Conflict, match="itself a reversal"):
            ledger.reverse(s, prog.id, rev.id, reason="undo", actor="admin1")
        # the original entry is untouched: append-only
        s.refresh(entry)
        assert entry.amount == Decimal(30) and entry.reverses_id is None


def test_reversal_needs_a_reason_and_an_entry_of_this_programme(reng, prog, world):
    with reng.session() as s:
        v = world.volunteer(s)
        entry = _credit(s, prog, v.id, 10)
        with pytest.raises(InvalidInput, match="reason"):
            ledger.reverse(s, prog.id, entry.id, reason="  ", actor="admin1")
        with pytest.raises(NotFound, match="no ledger entry"):
            ledger.reverse(s, "other-programme", entry.id, reason="x", actor="admin1")


def test_reversing_a_spent_credit_is_refused_with_the_figures(reng, prog, world):
    with reng.session() as s:
        v = world.volunteer(s)
        entry = _credit(s, prog, v.id, 100)
        _credit(s, prog, v.id, -70, kind="adjustment")
        with pytest.raises(Conflict, match=f"余额 30，冲正记录 {entry.id}需要 100 .*balance is 30, reversing entry {entry.id} needs 100"):
            ledger.reverse(s, prog.id, entry.id, reason="wrong volunteer", actor="admin1")


def test_a_debit_never_takes_a_balance_below_zero(reng, prog, world):
    with reng.session() as s:
        v = world.volunteer(s)
        with pytest.raises(Conflict, match="余额 0"):
            _credit(s, prog, v.id, -1)
        _credit(s, prog, v.id, 5)
        _credit(s, prog, v.id, -5)
        assert balance_of(s, prog.id, v.id, "points") == 0


def test_rebuild_balances_equals_the_cache(reng, prog, world):
    with reng.session() as s:
        a, b = world.volunteer(s, "甲"), world.volunteer(s, "乙")
        world.verify(s, a.id, 90, category="high_risk")
        world.verify(s, b.id, 45)
        e = _credit(s, prog, b.id, "12.5")
        ledger.reverse(s, prog.id, e.id, reason="test", actor="admin1")
        before = sorted(s.execute(select(Balance.volunteer_id, Balance.unit, Balance.amount)
                                  .where(Balance.programme_id == prog.id)).all())
        assert ledger.balance_drift(s, prog.id) == []
        s.execute(Balance.__table__.update().values(amount=999))
        assert len(ledger.balance_drift(s, prog.id)) == len(before)
        assert ledger.rebuild_balances(s, prog.id) == len(before)
        assert ledger.rebuild_balances(s, prog.id) == 0  # already right: nothing rewritten
        orphan = Balance(programme_id=prog.id, volunteer_id=a.id, unit="credits", amount=3)
        s.add(orphan)
        s.flush()
        assert ledger.rebuild_balances(s, prog.id) == 1
        before.append((a.id, "credits", Decimal(0)))
        before.sort()
        after = sorted(s.execute(select(Balance.volunteer_id, Balance.unit, Balance.amount)
                                 .where(Balance.programme_id == prog.id)).all())
        assert after == before
        assert ledger.balance_drift(s, prog.id) == []


def test_yearly_reset_zeroes_points_keeps_lifetime_and_runs_once(reng, prog, world):
    """Seed 001: 积分累积实行年度清零制度，但可设立终身成就积分."""
    with reng.session() as s:
        v = world.volunteer(s)
        world.verify(s, v.id, 120)
        assert ledger.reset_unit(s, prog.id, "points", "2026", actor="admin1") == 1
        assert ledger.reset_unit(s, prog.id, "points", "2026", actor="admin1") == 0
        assert balance_of(s, prog.id, v.id, "points") == 0
        assert balance_of(s, prog.id, v.id, "lifetime_points") == Decimal(2)
        reset = s.scalar(select(LedgerEntry).where(LedgerEntry.kind == "reset"))
        assert reset.amount == Decimal(-7) and reset.data["balance"] == "7.00"
        assert ledger.balance_drift(s, prog.id) == []


def test_the_database_itself_refuses_a_negative_balance(reng, prog, world):
    """The CHECK constraint backs the conditional UPDATE up, for code that writes balances directly."""
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError, match=r"amount_not_negative|CHECK"), reng.session() as s:
        v = world.volunteer(s)
        _credit(s, prog, v.id, 5)
        s.execute(Balance.__table__.update().values(amount=-1))


def test_zero_awards_write_nothing_and_records_of_another_programme_are_refused(reng, prog, world):
    from engine.stages.rewards.service import after_record_verified

    with reng.session() as s:
        v = world.volunteer(s)
        _, entries = world.verify(s, v.id, 0)
        assert [(e.unit, e.kind) for e in entries] == [("points", "bonus")]
        rec, _ = world.verify(s, v.id, 60)
        rec.programme_id = "elsewhere"
        with pytest.raises(InvalidInput, match="not 'demo-full'"):
            after_record_verified(s, prog, reng.host, rec, "coord1")
        s.rollback()
