"""Login flood benchmark (登录洪泛): do 32 parallel bad logins slow everyone else down?

A password hash (Argon2id, production parameters) costs about a fifth of a second of CPU by design.
This script serves the real application with uvicorn in a subprocess (SQLite file, or PostgreSQL
with ``--database postgresql``), logs one normal user in, and measures that user's ordinary request
(``GET /api/v1/me``, one token lookup) over real HTTP:

1. **baseline** — alone, no flood;
2. **flood** — while ``--flooders`` clients (32) post wrong passwords to ``/api/v1/auth/token``
   as fast as they are answered, each for a different account name (a password spray, the case the
   per-account throttle cannot stop: nothing is ever refused with 429 here, every attempt is hashed).

It prints median and p95 of the normal request in both phases and their ratio (target: ≤ 2×), plus
how many logins the flood got answered. With ``--compare`` (default) it repeats the flood with the
hashing bound lifted (``VOLUNTEER_PASSWORD_HASH_CONCURRENCY=64``: every login hashes at once, as
before the bound) so the effect of the bound is measured in the same run. Prints figures only.

    .venv/bin/python bench/login_flood.py
    .venv/bin/python bench/login_flood.py --database postgresql --samples 300
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "a-normal-users-password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(url: str) -> None:
    from engine.core import VolunteerEngine

    eng = VolunteerEngine(url)
    with eng.session() as s:
        eng.auth.create_user(s, "normal-user", PASSWORD)
    eng.db.dispose()


def serve(url: str, port: int, extra_env: dict[str, str]) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "VOLUNTEER_FAST_PASSWORD_HASH"}
    env.update({"VOLUNTEER_DATABASE_URL": url, "PYTHONPATH": str(ROOT), **extra_env})
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "engine.http.asgi:app", "--host", "127.0.0.1",
                             "--port", str(port), "--log-level", "warning", "--no-access-log"], env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def measure(base: str, token: str, samples: int) -> list[float]:
    times = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120) as c:
        c.get("/api/v1/me")
        for _ in range(samples):
            t = time.perf_counter()
            r = c.get("/api/v1/me")
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.text
    return times


def flood(base: str, flooders: int, stop: threading.Event, answered: list[int]) -> list[threading.Thread]:
    def one(i: int) -> None:
        with httpx.Client(base_url=base, timeout=300) as c:
            n = 0
            while not stop.is_set():
                n += 1
                r = c.post("/api/v1/auth/token", data={"username": f"spray-{i}-{n}", "password": "guess-123456"})
                answered[i] += 1 if r.status_code in (401, 429) else 0

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(flooders)]
    for t in threads:
        t.start()
    return threads


def figures(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def run_case(url: str, label: str, extra_env: dict[str, str], args: argparse.Namespace) -> None:
    port = free_port()
    proc = serve(url, port, extra_env)
    base = f"http://127.0.0.1:{port}"
    try:
        token = httpx.post(f"{base}/api/v1/auth/token", data={"username": "normal-user", "password": PASSWORD},
                           timeout=60).json()["access_token"]
        quiet = measure(base, token, args.samples)
        stop, answered = threading.Event(), [0] * args.flooders
        flood_started = time.perf_counter()
        threads = flood(base, args.flooders, stop, answered)
        time.sleep(2)  # let the flood build up
        loud = measure(base, token, args.samples)
        stop.set()
        elapsed = time.perf_counter() - flood_started
        for t in threads:
            t.join(timeout=120)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    (qm, qp), (lm, lp) = figures(quiet), figures(loud)
    print(f"{label}")
    print(f"  normal request alone:        median {qm:7.1f} ms   p95 {qp:7.1f} ms")
    print(f"  during {args.flooders} parallel bad logins: median {lm:7.1f} ms   p95 {lp:7.1f} ms"
          f"   → ×{lm / qm:.2f} median, ×{lp / qp:.2f} p95")
    print(f"  bad logins answered during the flood: {sum(answered)} ({sum(answered) / max(elapsed, 1e-9):.1f}/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("VOLUNTEER_DATABASE_URL", DEFAULT_PG))
    parser.add_argument("--flooders", type=int, default=32)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--compare", action=argparse.BooleanOptionalAction, default=True,
                        help="also run with the hashing bound lifted (the state before it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.database == "sqlite":
            url, cleanup = f"sqlite:///{Path(tmp) / 'flood.db'}", None
        else:
            from sqlalchemy import create_engine, text

            schema = f"bench_{uuid.uuid4().hex[:10]}"
            admin = create_engine(args.pg_url)
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            url = f"{args.pg_url}{'&' if '?' in args.pg_url else '?'}options=-csearch_path%3D{schema}"

            def cleanup() -> None:
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
        try:
            seed(url)
            print(f"login flood on {args.database}, {os.cpu_count()} cores, {args.samples} samples per phase "
                  f"(GET /api/v1/me, one client, sequential)")
            run_case(url, "with the hashing bound (default: half the cores at once)", {}, args)
            if args.compare:
                run_case(url, "bound lifted (64 at once, as before)", {"VOLUNTEER_PASSWORD_HASH_CONCURRENCY": "64"},
                         args)
        finally:
            if cleanup is not None:
                cleanup()


if __name__ == "__main__":
    main()
