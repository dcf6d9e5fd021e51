"""A worker process for test_worker_processes.py: its own engine on the given database, ticking the
given slots in step with the other process (it waits for a "go" file before each slot).

usage: python worker_proc.py DATABASE_URL FOLDER NAME SLOTS START_ISO
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1] / "plugin_pkg")]

import probe_plugin  # noqa: E402

from engine.core import VolunteerEngine  # noqa: E402
from engine.scheduling import tick  # noqa: E402
from engine.testing import make_host  # noqa: E402


def wait_for(path: Path) -> None:
    deadline = time.monotonic() + 120
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {path}")
        time.sleep(0.005)


def main() -> None:
    url, folder, name, slots, start = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
    eng = VolunteerEngine(url, host=make_host(probe_plugin.plugins()), upgrade=False)
    t0 = dt.datetime.fromisoformat(start)
    done = 0
    for k in range(slots):
        (folder / f"ready-{name}-{k}").touch()
        wait_for(folder / f"go-{k}")
        report = tick(eng, now=t0 + dt.timedelta(seconds=60 * k), every=60, deliver=False)
        done += sum(r.outcome == "done" for r in report.runs)
        if report.failed:
            raise SystemExit(f"failed: {[str(r) for r in report.failed]}")
    print(done)
    eng.db.dispose()


if __name__ == "__main__":
    main()
