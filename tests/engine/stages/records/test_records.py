"""Records: verified once (and passed to the rewards stage once), reversals, totals against a hand
computation, and the incremental cache against rebuild_totals."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select, update
from svc_helpers import T0, minutes

import engine.stages.rewards.service as rewards_service
from engine.errors import Conflict, NotFound
from engine.stages.records import service as records
from engine.stages.records.models import ServiceRecord, VolunteerTotal

NOW = T0 + dt.timedelta(days=3)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[int]:
    """Counts after_record_verified per record id (the real function still runs)."""
    seen: Counter[int] = Counter()
    real = rewards_service.after_record_verified

    def counting(session: Any, programme: Any, host: Any, record: Any, actor: str) -> Any:
        seen[record.id] += 1
        return real(session, programme, host, record, actor)

    monkeypatch.setattr(rewards_service, "after_record_verified", counting)
    return seen


def unverified(s: Any, prog: Any, vid: int, mins: int, *, captured: str = "checkin", start: dt.datetime = T0,
               project_id: int | None = None, category: str = "routine") -> ServiceRecord:
    return records.insert_record(s, prog, volunteer_id=vid, started_at=start, ended_at=start + minutes(mins),
                                 minutes=mins, category=category, captured=captured, actor="coord1",
                                 project_id=project_id)


def entry(eng: Any, s: Any, prog: Any, vid: int, mins: int, start: dt.datetime = T0, **kw: Any) -> ServiceRecord:
    return records.enter_record(s, prog, eng.host, volunteer_id=vid, started_at=start, ended_at=start + minutes(mins),
                                actor="coord1", now=NOW, **kw)


def test_verify_once_and_rewards_called_once(eng: Any, prog: Any, site: Any, calls: Counter[int]) -> None:
    with eng.session() as s:
        v = site.volunteer(s)
        a, b = unverified(s, prog, v.id, 120), unverified(s, prog, v.id, 60, start=T0 + minutes(200))
        assert records.volunteer_totals(s, prog, v.id)["minutes"] == 0
        out = records.verify_records(s, prog, eng.host, [a.id], actor="coord1")
        assert out == {"verified": [a.id], "already": []}
        out = records.verify_records(s, prog, eng.host, [a.id, b.id], actor="super1")
        assert out == {"verified": [b.id], "already": [a.id]}
        s.refresh(a)
        assert a.verified_by == "coord1"  # written once
        assert calls == Counter({a.id: 1, b.id: 1})
        assert records.volunteer_totals(s, prog, v.id)["minutes"] == 180
        with pytest.raises(NotFound, match="no service records"):
            records.verify_records(s, prog, eng.host, [a.id, 99999], actor="coord1")


def test_verify_all_pending(eng: Any, prog: Any, site: Any, calls: Counter[int]) -> None:
    with eng.session() as s:
        vs = [site.volunteer(s, f"志愿者{i}") for i in range(3)]
        ids = [unverified(s, prog, v.id, 30 * (i + 1)).id for i, v in enumerate(vs)]
        out = records.verify_records(s, prog, eng.host, None, actor="coord1", all_pending=True)
        assert out["verified"] == ids and sum(calls.values()) == 3
        assert records.programme_totals(s, prog)["minutes"] == 30 + 60 + 90


def test_concurrent_verification_counts_once(eng: Any, prog: Any, site: Any, calls: Counter[int]) -> None:
    with eng.session() as s:
        v = site.volunteer(s)
        rid, vid = unverified(s, prog, v.id, 45).id, v.id
    barrier = threading.Barrier(6)

    def go() -> None:
        barrier.wait()
        with eng.session() as s2:
            records.verify_records(s2, prog, eng.host, [rid], actor="coord1")

    threads = [threading.Thread(target=go) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == Counter({rid: 1})
    with eng.session() as s:
        total = s.scalar(select(VolunteerTotal).where(VolunteerTotal.volunteer_id == vid))
        assert (total.minutes, total.records) == (45, 1)


def test_reversal_returns_totals_to_previous_values(eng: Any, prog: Any, site: Any, calls: Counter[int]) -> None:
    with eng.session() as s:
        v = site.volunteer(s)
        entry(eng, s, prog, v.id, 90)
        before = records.volunteer_totals(s, prog, v.id)
        wrong = entry(eng, s, prog, v.id, 240, start=T0 + minutes(120))
        assert records.volunteer_totals(s, prog, v.id)["minutes"] == 330
        reversal, fresh = records.reverse_record(s, prog, eng.host, wrong.id, reason="重复录入 duplicate",
                                                 actor="coord1")
        assert fresh is None
        assert (reversal.minutes, reversal.reverses_id, reversal.verified_by) == (-240, wrong.id, "coord1")
        after = records.volunteer_totals(s, prog, v.id)
        assert {k: after[k] for k in ("minutes", "level_minutes", "records")} == \
            {k: before[k] for k in ("minutes", "level_minutes", "records")}
        assert calls[reversal.id] == 1
        with pytest.raises(Conflict, match="already been reversed"):
            records.reverse_record(s, prog, eng.host, wrong.id, reason="again", actor="coord1")
        with pytest.raises(Conflict, match="itself a reversal"):
            records.reverse_record(s, prog, eng.host, reversal.id, reason="undo", actor="coord1")
        s.refresh(wrong)
        assert wrong.minutes == 240  # the original is never touched


def test_correction_is_reversal_plus_new_record(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        v = site.volunteer(s)
        rec = entry(eng, s, prog, v.id, 240, rating=3)
        _, fresh = records.reverse_record(s, prog, eng.host, rec.id, reason="实际 3 小时", actor="coord1",
                                          replacement={"ended_at": T0 + minutes(180), "rating": 5}, now=NOW)
        assert fresh is not None
        assert (fresh.minutes, fresh.rating, fresh.captured, fresh.started_at) == (180, 5, "coordinator", T0)
        t = records.volunteer_totals(s, prog, v.id)
        assert (t["minutes"], t["records"]) == (180, 1)


def test_reversing_an_unverified_record_waits_for_verification(eng: Any, prog: Any, site: Any,
                                                               calls: Counter[int]) -> None:
    with eng.session() as s:
        v = site.volunteer(s)
        rec = unverified(s, prog, v.id, 100)
        reversal, fresh = records.reverse_record(s, prog, eng.host, rec.id, reason="签到有误", actor="coord1",
                                                 replacement={"minutes": 80}, now=NOW)
        assert reversal.verified_at is None and fresh is not None and fresh.verified_at is None
        assert not calls
        # verifying the reversal verifies its original with it: totals never hold one half of a pair
        out = records.verify_records(s, prog, eng.host, [reversal.id], actor="coord1")
        assert out["verified"] == [rec.id, reversal.id]
        assert records.volunteer_totals(s, prog, v.id)["minutes"] == 0
        records.verify_records(s, prog, eng.host, [fresh.id], actor="coord1")
        assert records.volunteer_totals(s, prog, v.id)["minutes"] == 80


def test_totals_equal_a_hand_computation(eng: Any, prog: Any, site: Any) -> None:
    """Two volunteers, two projects; level_hours_from excludes self_reported (programme YAML)."""
    with eng.session() as s:
        p1, p2 = site.project(s, "入口引导"), site.project(s, "医疗协助")
        zhang, li = site.volunteer(s, "张三"), site.volunteer(s, "李四")
        day = dt.timedelta(days=1)
        r1 = unverified(s, prog, zhang.id, 240, project_id=p1.id)                              # checkin 240
        r2 = unverified(s, prog, zhang.id, 95, captured="self_reported", start=T0 + day)        # self 95
        r3 = unverified(s, prog, li.id, 180, project_id=p2.id, category="professional")        # checkin 180
        entry(eng, s, prog, li.id, 60, start=T0 + day, project_id=p1.id)                       # coordinator 60
        unverified(s, prog, li.id, 500, start=T0 + 2 * day)                                     # never verified
        records.verify_records(s, prog, eng.host, [r1.id, r2.id, r3.id], actor="coord1")
        records.reverse_record(s, prog, eng.host, r3.id, reason="错记岗位", actor="coord1",
                               replacement={"category": "routine"}, now=NOW)
        z = records.volunteer_totals(s, prog, zhang.id)
        assert (z["minutes"], z["level_minutes"], z["records"], z["unverified_records"]) == (335, 240, 2, 0)
        lt = records.volunteer_totals(s, prog, li.id)
        assert (lt["minutes"], lt["level_minutes"], lt["records"], lt["unverified_records"]) == (240, 240, 2, 1)
        projects = {row["project"]: (row["minutes"], row["records"], row["volunteers"])
                    for row in records.project_totals(s, prog)}
        # li's correction keeps the project: +180 −180 +180 under 医疗协助
        assert projects == {"入口引导": (300, 2, 2), "医疗协助": (180, 1, 1), None: (95, 1, 1)}
        prog_t = records.programme_totals(s, prog)
        assert (prog_t["minutes"], prog_t["level_minutes"], prog_t["records"], prog_t["volunteers"]) == (575, 480, 4, 2)
        assert prog_t["by_category"]["professional"]["minutes"] == 0
        assert prog_t["by_category"]["routine"]["minutes"] == 575
        assert prog_t["by_captured"]["self_reported"]["minutes"] == 95


def test_rebuild_equals_incremental_cache(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        vs = [site.volunteer(s, f"志愿者{i}") for i in range(4)]
        for i, v in enumerate(vs):
            for k in range(i + 1):
                r = unverified(s, prog, v.id, 30 + 7 * k, start=T0 + dt.timedelta(hours=5 * k),
                               captured=("checkin", "self_reported")[k % 2])
                records.verify_records(s, prog, eng.host, [r.id], actor="coord1")
        last = s.scalars(select(ServiceRecord).order_by(ServiceRecord.id.desc())).first()
        records.reverse_record(s, prog, eng.host, last.id, reason="x", actor="coord1")
        cached = {t.volunteer_id: (t.minutes, t.level_minutes, t.records) for t in records.cached_totals(s, prog)}
        assert records.totals_match_cache(s, prog) == []
        s.execute(update(VolunteerTotal).values(minutes=0, level_minutes=999, records=-5))  # corrupt the cache
        assert len(records.totals_match_cache(s, prog)) == 4
        assert records.rebuild_totals(s, prog) == 4
        rebuilt = {t.volunteer_id: (t.minutes, t.level_minutes, t.records) for t in records.cached_totals(s, prog)}
        assert rebuilt == cached
        assert records.totals_match_cache(s, prog) == []
        assert records.rebuild_totals(s, prog.id, host=eng.host) == 4  # by id, as the CLI would call it
