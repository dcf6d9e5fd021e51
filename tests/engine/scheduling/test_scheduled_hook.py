"""volunteer_scheduled: called once per programme per due slot, however many workers tick; scoped to
the programme's plan type; as "system" with the tick's time; one failing plugin stops nothing else."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

import probe_plugin
import pytest
from sqlalchemy import func, select, text

from engine import hookimpl
from engine.core import VolunteerEngine
from engine.scheduling import tick
from engine.scheduling.models import ScheduleClaim
from engine.testing import frozen_clock, make_host, temp_engine

T0 = dt.datetime(2026, 5, 1, 1, 0, 20, tzinfo=dt.UTC)
SLOTS = 6


def test_called_once_per_slot_as_system(peng: VolunteerEngine) -> None:
    with frozen_clock(T0) as clock:
        first = tick(peng, every=60, deliver=False)
        again = tick(peng, every=60, deliver=False)  # the same slot: nothing runs twice
        clock.advance(seconds=60)
        later = tick(peng, every=60, deliver=False)
    rows = probe_plugin.calls(peng)
    assert [(p, at) for p, at, _, _ in rows] == [
        (pid, when.isoformat()) for pid in probe_plugin.PROGRAMMES for when in (T0, T0 + dt.timedelta(seconds=60))]
    assert {actor for _, _, actor, _ in rows} == {"system/system"}
    probe_runs = [r for r in first.runs if r.job == "probe"]
    assert sorted(r.programme_id for r in probe_runs) == list(probe_plugin.PROGRAMMES)  # not the demo programme
    assert {r.outcome for r in probe_runs} == {"done"} and {str(r.result) for r in probe_runs} == {
        f"probed {p}" for p in probe_plugin.PROGRAMMES}
    assert {r.outcome for r in again.runs} == {"skipped"}
    assert {r.outcome for r in later.runs} == {"done"}


def _two_workers(peng: VolunteerEngine, second_worker: Any) -> list[Any]:
    engines = [peng, second_worker()]
    barrier = threading.Barrier(2)
    reports: list[Any] = []
    errors: list[BaseException] = []

    def work(eng: VolunteerEngine) -> None:
        try:
            for k in range(SLOTS):
                barrier.wait(30)
                reports.append(tick(eng, now=T0 + dt.timedelta(seconds=60 * k), every=60, deliver=False))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=work, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    return reports


def test_two_workers_run_each_slot_once(peng: VolunteerEngine, second_worker: Any) -> None:
    """Two workers (own connections, own plugin hosts) tick the same slots at the same moment."""
    reports = _two_workers(peng, second_worker)
    rows = probe_plugin.calls(peng)
    expected = [(pid, (T0 + dt.timedelta(seconds=60 * k)).isoformat())
                for pid in probe_plugin.PROGRAMMES for k in range(SLOTS)]
    assert [(p, at) for p, at, _, _ in rows] == expected  # each (programme, slot) exactly once
    runs = [r for rep in reports for r in rep.runs]
    # per slot: probe ×3, the engine's sweep ×4 and its yearly points reset ×4 (nothing to reset here)
    assert sum(r.outcome == "done" for r in runs) == (3 + 4 + 4) * SLOTS
    with peng.session() as s:  # the engine's own job too: one claim per programme per slot
        per_key = s.execute(select(ScheduleClaim.job, func.count()).group_by(ScheduleClaim.job)).all()
    assert dict(per_key) == {"probe": 3 * SLOTS, "engine.stages.service.jobs": 4 * SLOTS,
                             "engine.stages.rewards.jobs": 4 * SLOTS}


class Broken:
    """A plugin (no plan type, so it runs for every programme) that writes, then raises."""

    @hookimpl
    def volunteer_scheduled(self, programme: Any, ctx: Any) -> None:
        ctx.session.execute(text("INSERT INTO probe_calls VALUES (:p, 'broken', 'x', 'x')"), {"p": programme.id})
        raise RuntimeError("the broken plugin's bug")


def test_a_failing_plugin_stops_nothing_else(tmp_path: Any, caplog: pytest.LogCaptureFixture) -> None:
    with temp_engine(tmp_path, plugins=[*probe_plugin.plugins(), ("broken", Broken())]) as eng:
        probe_plugin.create_table(eng)
        eng.load(probe_plugin.programme_yaml("probe-1"), filename="probe-1.yaml")
        with caplog.at_level(logging.ERROR, logger="engine.scheduling"):
            report = tick(eng, now=T0, every=60, deliver=False)
        outcomes = {r.job: r.outcome for r in report.runs}
        assert outcomes == {"probe": "done", "broken": "failed", "engine.stages.service.jobs": "done",
                            "engine.stages.rewards.jobs": "done"}
        failed = report.failed[0]
        assert 'plugin "broken" raised in volunteer_scheduled' in (failed.error or "")
        assert "broken" in caplog.text and "probe-1" in caplog.text
        assert [at for _, at, _, _ in probe_plugin.calls(eng)] == [T0.isoformat()]  # its write was rolled back
        with eng.session() as s:  # its claim went with its work: a later tick tries it again
            claimed = set(s.scalars(select(ScheduleClaim.job).where(ScheduleClaim.programme_id == "probe-1")))
        assert claimed == {"probe", "engine.stages.service.jobs", "engine.stages.rewards.jobs"}
        retry = tick(eng, now=T0 + dt.timedelta(seconds=60), every=60, deliver=False)
        assert {r.job: r.outcome for r in retry.runs} == outcomes


def test_a_programme_whose_plan_type_is_gone_is_reported(peng: VolunteerEngine) -> None:
    """A programme stored with a plan type that is no longer installed: its jobs fail by name, others run."""
    other = VolunteerEngine(peng.db.url, host=make_host([("demo", __import__("vol_plan_demo"))]), upgrade=False)
    try:
        report = tick(other, now=T0, every=60, deliver=False)
    finally:
        other.db.dispose()
    failed = {r.programme_id for r in report.failed}
    assert failed == set(probe_plugin.PROGRAMMES)
    assert all("probe" in (r.error or "") and "not installed" in (r.error or "") for r in report.failed)
    assert any(r.programme_id == "other-1" and r.outcome == "done" for r in report.runs)
