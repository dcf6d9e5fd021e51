"""Two real worker processes tick the same slots together: each (programme, slot) runs once."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import probe_plugin

from engine.core import VolunteerEngine

HERE = Path(__file__).resolve().parent
T0 = dt.datetime(2026, 5, 1, 1, 0, 20, tzinfo=dt.UTC)
SLOTS = 4


def test_two_processes_run_each_slot_once(peng: VolunteerEngine, tmp_path: Path) -> None:
    folder = tmp_path / "sync"
    folder.mkdir()
    procs = [subprocess.Popen([sys.executable, str(HERE / "worker_proc.py"), peng.db.url, str(folder), name,
                               str(SLOTS), T0.isoformat()], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name in ("a", "b")]
    try:
        for k in range(SLOTS):  # release both workers into each slot at the same moment
            deadline = time.monotonic() + 120
            while not all((folder / f"ready-{n}-{k}").exists() for n in ("a", "b")):
                assert time.monotonic() < deadline and all(p.poll() is None for p in procs), [
                    p.communicate() for p in procs if p.poll() is not None]
                time.sleep(0.01)
            (folder / f"go-{k}").touch()
        outputs = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert [p.returncode for p in procs] == [0, 0], outputs
    done = [int(out.strip()) for out, _ in outputs]
    jobs_per_slot = 3 + 4 + 4  # probe on its three programmes; the engine's sweep and points reset on all four
    assert sum(done) == jobs_per_slot * SLOTS  # between them, every job ran, and none twice
    rows = probe_plugin.calls(peng)
    assert [(p, at) for p, at, _, _ in rows] == [(pid, (T0 + dt.timedelta(seconds=60 * k)).isoformat())
                                                 for pid in probe_plugin.PROGRAMMES for k in range(SLOTS)]
