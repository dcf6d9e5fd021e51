"""Claims: a (job, programme, slot) is taken by one transaction; the claim commits with the work or
not at all; rows taken with lock_rows are skipped by another worker (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from sqlalchemy import select

from engine.errors import InvalidInput
from engine.scheduling import claim, lock_rows, slot_of
from engine.scheduling.claims import is_claimed, prune
from engine.scheduling.models import ScheduleClaim
from engine.testing import frozen_clock

T0 = dt.datetime(2026, 5, 1, 1, 0, 30, tzinfo=dt.UTC)


def test_a_slot_is_claimed_once(eng: Any) -> None:
    slot = slot_of(T0, 60)
    with eng.session() as s:
        assert claim(s, "job.a", "p1", slot)
    with eng.session() as s:
        assert not claim(s, "job.a", "p1", slot)  # another transaction, later: already taken
        assert claim(s, "job.a", "p1", slot + dt.timedelta(minutes=1))  # the next slot
        assert claim(s, "job.a", "p2", slot)  # another programme
        assert claim(s, "job.b", "p1", slot)  # another job
        assert claim(s, "job.a", None, slot)  # engine-wide
        assert not claim(s, "job.a", None, slot)


def test_a_rolled_back_claim_can_be_taken_again(eng: Any) -> None:
    with pytest.raises(RuntimeError), eng.session() as s:
        assert claim(s, "job.a", "p1", "incident:7:escalate")
        raise RuntimeError("the work failed")
    with eng.session() as s:
        assert not is_claimed(s, "job.a", "p1", "incident:7:escalate")
        assert claim(s, "job.a", "p1", "incident:7:escalate")


@pytest.mark.parametrize("holder_commits", [True, False])
def test_concurrent_claimant_waits_for_the_holder(eng: Any, holder_commits: bool) -> None:
    """The second claimant (its own connection) gets False if the holder committed, True if it rolled back."""
    results: list[bool] = []
    started = threading.Event()

    def second() -> None:
        with eng.session() as s2:
            started.set()
            results.append(claim(s2, "job.a", "p1", "item-1"))

    s1 = eng.db.sessions()
    try:
        assert claim(s1, "job.a", "p1", "item-1")
        t = threading.Thread(target=second)
        t.start()
        started.wait(10)
        time.sleep(0.3)  # let the second claimant reach the unique index (or the write lock) and wait there
        (s1.commit if holder_commits else s1.rollback)()
    finally:
        s1.close()
    t.join(30)
    assert results == [not holder_commits]


def test_slots_are_aligned_and_keys_checked() -> None:
    assert slot_of(T0, 60) == dt.datetime(2026, 5, 1, 1, 0, tzinfo=dt.UTC)
    assert slot_of(T0 + dt.timedelta(seconds=29), 60) == slot_of(T0, 60)
    assert slot_of(T0 + dt.timedelta(seconds=30), 60) == dt.datetime(2026, 5, 1, 1, 1, tzinfo=dt.UTC)
    assert slot_of(T0, 900) == dt.datetime(2026, 5, 1, 1, 0, tzinfo=dt.UTC)
    with pytest.raises(InvalidInput, match="timezone"):
        slot_of(dt.datetime(2026, 5, 1), 60)


def test_bad_keys_are_refused(eng: Any) -> None:
    with eng.session() as s:
        with pytest.raises(InvalidInput, match="claim key"):
            claim(s, "job.a", "p1", "")
        with pytest.raises(InvalidInput, match="job name"):
            claim(s, "", "p1", "x")


def test_time_slot_claims_are_pruned_item_claims_kept(eng: Any) -> None:
    with frozen_clock(T0) as clock:
        with eng.session() as s:
            claim(s, "job.a", "p1", slot_of(T0, 60))
            claim(s, "job.a", "p1", "once-ever")
        clock.advance(days=3)
        with eng.session() as s:
            assert prune(s, clock()) == 1
            assert [c.slot for c in s.scalars(select(ScheduleClaim))] == ["i:once-ever"]


def test_lock_rows_skips_rows_another_worker_holds(eng: Any) -> None:
    """Two workers taking "the next 3 due items" get disjoint rows (PostgreSQL's SKIP LOCKED)."""
    if eng.db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer (see the claims docs and the next test)")
    with eng.session() as s:
        for i in range(6):
            claim(s, "job.items", "p1", f"item-{i}")
    q = select(ScheduleClaim.id).where(ScheduleClaim.job == "job.items").order_by(ScheduleClaim.id).limit(3)
    s1, s2 = eng.db.sessions(), eng.db.sessions()
    try:
        first = lock_rows(s1, q).scalars().all()
        second = lock_rows(s2, q).scalars().all()
        assert len(first) == len(second) == 3 and not set(first) & set(second)
    finally:
        s1.rollback(), s2.rollback()
        s1.close(), s2.close()


def test_lock_rows_serialises_on_sqlite(eng: Any) -> None:
    """On SQLite the second worker's transaction waits for the first: it sees the first one's changes."""
    if eng.db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's single writer")
    with eng.session() as s:
        for i in range(3):
            claim(s, "job.items", "p1", f"item-{i}")
    q = select(ScheduleClaim).where(ScheduleClaim.job == "job.items", ScheduleClaim.worker != "done")
    seen: list[int] = []

    def second() -> None:
        with eng.session() as s2:
            seen.append(len(lock_rows(s2, q).scalars().all()))

    s1 = eng.db.sessions()
    try:
        rows = lock_rows(s1, q).scalars().all()
        t = threading.Thread(target=second)
        t.start()
        time.sleep(0.3)
        for r in rows:
            r.worker = "done"
        s1.commit()
    finally:
        s1.close()
    t.join(30)
    assert seen == [0]
