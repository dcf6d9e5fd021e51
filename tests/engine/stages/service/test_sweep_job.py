"""The sweep of forgotten check-outs is an engine job on the scheduled path: the worker's tick closes
them when they fall due (once, whichever worker), and `volunteer sweep` / `volunteer tick` still work."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from svc_helpers import T0, minutes
from test_checkin import rostered

from engine.stages.service import checkin
from engine.stages.service.jobs import JOB
from engine.stages.service.models import Checkin
from engine.testing import LiveServer, frozen_clock, tick


def _forgotten(eng: Any, prog: Any, site: Any) -> tuple[int, Any]:
    with eng.session() as s:
        a, sh = rostered(eng, prog, site, s)
        ci, _ = checkin.check_in(s, prog, a.id, actor="coord1", now=T0)
        return ci.id, sh.ends_at


def test_the_tick_closes_forgotten_checkouts_when_due(eng: Any, prog: Any, site: Any) -> None:
    """auto_close_after_minutes = 120: the tick at 14:59 leaves it open, the tick at 15:00 closes it at 13:00."""
    cid, ends = _forgotten(eng, prog, site)
    with frozen_clock(ends + minutes(119)) as clock:
        early = tick(eng, programme_ids=[prog.id], deliver=False)
        clock.advance(minutes=1)
        due = tick(eng, programme_ids=[prog.id], deliver=False)
        clock.advance(minutes=1)
        later = tick(eng, programme_ids=[prog.id], deliver=False)
    def sweep(report: Any) -> list[tuple[str, str, Any]]:
        return [(r.job, r.outcome, r.result) for r in report.runs if r.job == JOB]

    assert sweep(early) == [(JOB, "done", None)]
    assert sweep(due) == [(JOB, "done", {"auto_closed_checkins": [cid]})]
    assert sweep(later) == [(JOB, "done", None)]  # closed once
    with eng.session() as s:
        ci = s.get(Checkin, cid)
        assert (ci.checked_out_at, ci.auto_closed, ci.checked_out_by, ci.record_id) == (ends, True, "system", None)
        assert [c.id for c, _ in checkin.unconfirmed(s, prog)] == [cid]


def _cli(demo_site: Path, url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(demo_site), "VOLUNTEER_DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "engine.cli.main", *args], env=env, capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)


def _slot(stdout: str) -> str:
    return stdout.split("(slot ", 1)[1].split(")", 1)[0]


def test_cli_sweep_runs_the_job_now_and_tick_runs_it_once(eng: Any, prog: Any, site: Any, demo_site: Path,
                                                          tmp_path: Path) -> None:
    cid, _ = _forgotten(eng, prog, site)  # the shift ended on 2026-05-01: long past for the real clock
    r = _cli(demo_site, eng.db.url, tmp_path, "sweep", prog.id)
    assert r.returncode == 0, r.stderr
    assert "svc-test: 1 条签到已自动签退" in r.stdout
    # what it closed, by name, in the programme's time (09:00 local check-in, shift end 13:00)
    assert f"#{cid} 张三 · 入口引导员 · 签到 in 2026-05-01 09:00 → 自动签退 auto-out 2026-05-01 13:00" in r.stdout
    first = _cli(demo_site, eng.db.url, tmp_path, "tick", "--every", "3600")
    assert first.returncode == 0, first.stderr
    assert f"svc-test · {JOB}: done" in first.stdout and "notifications: nothing due" in first.stdout
    second = _cli(demo_site, eng.db.url, tmp_path, "tick", "--every", "3600")
    if _slot(second.stdout) == _slot(first.stdout):  # the same hour's slot: done already
        assert second.returncode == 0 and f"svc-test · {JOB}: skipped" in second.stdout
    r = _cli(demo_site, eng.db.url, tmp_path, "sweep", "no-such-programme")
    assert r.returncode == 1 and "no programme 'no-such-programme'" in r.stderr
    with eng.session() as s:
        assert s.get(Checkin, cid).auto_closed


def test_the_server_runs_scheduled_work_in_process(eng: Any, prog: Any, site: Any) -> None:
    """`volunteer serve` (scheduler on): forgotten check-outs close with nobody clicking; off: no scheduler."""
    import httpx

    from engine.http.app import create_app

    cid, ends = _forgotten(eng, prog, site)
    with frozen_clock(ends + minutes(180)), LiveServer(create_app(eng, scheduler=True), lifespan="on") as server:
        assert httpx.get(f"{server.url}/api/v1/health", timeout=30).status_code == 200
        deadline = time.monotonic() + 60
        while True:  # the first tick runs at start-up, in the scheduler's thread
            with eng.session() as s:
                if s.get(Checkin, cid).auto_closed:
                    break
            assert time.monotonic() < deadline, "the in-process scheduler did not close the check-in"
            time.sleep(0.05)
    app = create_app(eng)
    with LiveServer(app, lifespan="on"):
        assert app.state.scheduler is None
