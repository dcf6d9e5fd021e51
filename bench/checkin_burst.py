"""Check-in burst benchmark (签到高峰基准测试): a shift's start, every volunteer checking in at once.

Seed 004's programme — a town's Expo security volunteers (世博安保平安志愿者服务队), 6,249 people from
nine unit categories, six service projects — is seeded with bulk inserts: users, volunteer
profiles, enrolments, role grants, API tokens (issued in bulk the way ``engine.auth.service`` stores
them: the SHA-256 of a random token), projects, posts, shifts and one assignment per volunteer.

Then, over real HTTP on 127.0.0.1, with ``--clients`` concurrent keep-alive connections (a light
asyncio HTTP/1.1 client by default; ``--client httpx`` uses httpx.AsyncClient, which on two shared
cores is itself the bottleneck):

* **app** — the real application served by uvicorn in a subprocess: each volunteer, logged in
  with their own token, sends ``POST /api/v1/programmes/{id}/checkin {"code": …}`` (the QR payload);
* **bare** — a bare Starlette endpoint in its own uvicorn subprocess doing the same single-row
  ``INSERT … ON CONFLICT (assignment_id) DO NOTHING`` into the same database (no auth, no lookup).

A share of volunteers (``--duplicates``, default 5 %) send their check-in twice (a phone
retrying), so "none lost or doubled" is tested, not assumed: after each run the check-in rows are
counted (lost = assignments without a row, doubled = rows beyond one per assignment).

Prints requests/s, p50 and p99 latency, errors, lost and doubled, and the app/bare throughput
ratio, for each worker count asked for. Prints figures only; asserts nothing about time.

    .venv/bin/python bench/checkin_burst.py --database sqlite --workers 1,2
    .venv/bin/python bench/checkin_burst.py --database postgresql --workers 1,2

PostgreSQL: ``--pg-url`` (default ``$VOLUNTEER_DATABASE_URL`` or the local test database); the
benchmark works in a schema of its own and drops it afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, bindparam, create_engine, delete, func, insert, select, text, update

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))

from engine import PlanType, hookimpl  # noqa: E402
from engine.auth.service import _token_hash, hash_password  # noqa: E402
from engine.store.db import make_engine, normalise_url  # noqa: E402

PROGRAMME_ID = "expo-security-2010"
PLAN_TYPE = "bench_expo"
# Seed 004 三(1): the nine unit categories and their head counts (total 6,249).
UNITS = [("政府机关", 229), ("村居委", 349), ("政府购买服务就业项目", 1205), ("物业保安", 2289), ("环卫工人", 650),
         ("市容监督", 140), ("护村员", 70), ("重点单位", 317), ("护楼平安志愿者", 1000)]
# Seed 004 四(2): the six service projects.
PROJECTS = ["世博安保宣传", "社区治安巡防", "驻点守护", "收集社会治安（消防）信息", "排查化解社会矛盾", "重点人员帮教稳控"]
PROGRAMME_YAML = f"""\
id: {PROGRAMME_ID}
name: 世博安保平安志愿者服务队 Expo security volunteers
plan_type: {PLAN_TYPE}
organisation: {{name: 某镇世博安保志愿者服务工作办公室, kind: town}}
period: {{start: 2010-01-01, end: 2010-10-31}}
timezone: Asia/Shanghai
service:
  checkin_opens_minutes_before: 60
"""
SHIFT_CAPACITY = 50
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


# ------------------------------------------------------------------ a plan type for the run
@hookimpl
def volunteer_register_plan_types(register: Any) -> None:
    register.add(PlanType(id=PLAN_TYPE, title="基准测试 Benchmark event"))


def bench_host() -> Any:
    from engine.plugins import PluginHost

    return PluginHost(load_entrypoints=False, extra_plugins=[(PLAN_TYPE, sys.modules[__name__])])


# ------------------------------------------------------------------ the two servers (uvicorn factories)
def make_app() -> Any:
    """The real application (what ``volunteer serve`` runs), on the benchmark's database."""
    from engine.core import VolunteerEngine
    from engine.http.app import create_app

    return create_app(VolunteerEngine(os.environ["BENCH_DATABASE_URL"], host=bench_host(), upgrade=False))


def make_bare() -> Any:
    """A bare Starlette endpoint: the same single-row insert, nothing else."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from engine.stages.service.models import Checkin

    engine = make_engine(os.environ["BENCH_DATABASE_URL"])
    table = Checkin.__table__
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]

    # built once, as the app's check-in path does, so the comparison is about everything else
    ins = dialect_insert(table).values(
        programme_id=PROGRAMME_ID, assignment_id=bindparam("aid"),
        checked_in_at=bindparam("at", type_=table.c.checked_in_at.type), method="code", checked_in_by="bare",
        auto_closed=False).on_conflict_do_nothing(index_elements=["assignment_id"]).returning(table.c.id)
    again = select(table.c.id).where(table.c.assignment_id == bindparam("aid"))

    def write(assignment_id: int) -> tuple[int | None, bool]:
        with engine.begin() as conn:
            new = conn.execute(ins, {"aid": assignment_id, "at": dt.datetime.now(dt.UTC)}).scalar()
            if new is not None:
                return new, True
            return conn.execute(again, {"aid": assignment_id}).scalar(), False

    async def checkin(request: Request) -> JSONResponse:
        body = await request.json()
        row_id, created = await run_in_threadpool(write, int(body["assignment_id"]))
        return JSONResponse({"id": row_id}, status_code=201 if created else 200)

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"ok": True})

    return Starlette(routes=[Route("/checkin", checkin, methods=["POST"]), Route("/health", health)])


# ------------------------------------------------------------------ seeding
@dataclass
class Seeded:
    tokens: list[str]
    codes: list[str]
    assignment_ids: list[int]


def seed(url: str, n: int) -> Seeded:
    """The programme, then every row in bulk (Core executemany in chunks)."""
    from engine.core import VolunteerEngine
    from engine.stages.design.models import Post, Project, Shift
    from engine.stages.recruitment.models import Enrolment, Volunteer, id_number_index
    from engine.stages.service.models import Assignment
    from engine.store.models import ApiToken, RoleGrant, User, WorkflowInstance

    eng = VolunteerEngine(url, host=bench_host())
    eng.load(PROGRAMME_YAML, filename="seed-004.yaml")
    now = dt.datetime.now(dt.UTC)
    starts = now - dt.timedelta(minutes=5)  # the burst: the shift has just started
    pw = hash_password("bench-password-2010")
    units = [u for u, k in UNITS for _ in range(k)][:n] + [UNITS[-1][0]] * max(0, n - 6249)
    tokens = [secrets.token_urlsafe(32) for _ in range(n)]
    with eng.db.engine.begin() as c:
        def bulk(model: Any, rows: list[dict[str, Any]]) -> None:
            for i in range(0, len(rows), 2000):
                c.execute(insert(model), rows[i:i + 2000])

        bulk(User, [{"id": i + 1, "username": f"v{i + 1:05d}", "display_name": f"志愿者{i + 1}", "password_hash": pw,
                     "is_superuser": False, "active": True, "created_at": now} for i in range(n)])
        bulk(RoleGrant, [{"user_id": i + 1, "programme_id": PROGRAMME_ID, "role": "volunteer", "granted_at": now}
                         for i in range(n)])
        bulk(ApiToken, [{"user_id": i + 1, "token_hash": _token_hash(t), "created_at": now,
                         "expires_at": now + dt.timedelta(hours=12), "revoked": False} for i, t in enumerate(tokens)])
        bulk(Volunteer, [{"id": i + 1, "name": f"志愿者{i + 1}", "gender": ("male", "female")[i % 2],
                          "birth_date": dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                          "id_number": f"310112{1960 + i % 40}0101{i:04d}"[:18],
                          "id_number_index": id_number_index(f"310112{1960 + i % 40}0101{i:04d}"[:18]), "user_id": i + 1, "skills": [],
                          "languages": [], "qualifications": [], "created_at": now} for i in range(n)])
        bulk(Enrolment, [{"programme_id": PROGRAMME_ID, "volunteer_id": i + 1, "source": f"batch:{units[i]}",
                          "guardian_consent": False, "enrolled_at": now} for i in range(n)])
        bulk(Project, [{"id": k + 1, "programme_id": PROGRAMME_ID, "name": name, "kind": "periodic", "created_at": now}
                       for k, name in enumerate(PROJECTS)])
        bulk(Post, [{"id": k + 1, "programme_id": PROGRAMME_ID, "project_id": k + 1, "name": f"{name}岗",
                     "capacity": n, "category": "routine", "skills": [], "languages": [], "qualifications": [],
                     "required_courses": []} for k, name in enumerate(PROJECTS)])
        n_shifts = -(-n // SHIFT_CAPACITY)
        codes = [secrets.token_hex(8) for _ in range(n_shifts)]
        bulk(Shift, [{"id": k + 1, "programme_id": PROGRAMME_ID, "post_id": k % len(PROJECTS) + 1, "starts_at": starts,
                      "ends_at": starts + dt.timedelta(hours=4), "capacity": SHIFT_CAPACITY, "checkin_code": codes[k]}
                     for k in range(n_shifts)])
        bulk(Assignment, [{"id": i + 1, "programme_id": PROGRAMME_ID, "shift_id": i // SHIFT_CAPACITY + 1,
                           "volunteer_id": i + 1, "status": "assigned", "assigned_by": "bench", "created_at": now}
                          for i in range(n)])
        # the burst happens in 开展服务: the lifecycle is put there directly (a seeded fact, like the rows
        # above; tests reach it by firing the real triggers), so the stage gate is on the measured path
        c.execute(update(WorkflowInstance).where(WorkflowInstance.programme_id == PROGRAMME_ID,
                                                 WorkflowInstance.workflow == "lifecycle").values(state="service"))
        if c.dialect.name == "postgresql":  # explicit ids were inserted: move the sequences on
            for table in ("users", "volunteers", "projects", "posts", "shifts", "assignments"):
                c.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {n + 10})"))
    with eng.session() as s:  # one token through the real service, to be sure the bulk ones are right
        assert eng.auth.user_for_token(s, tokens[0]).username == "v00001"
    eng.db.dispose()
    return Seeded(tokens=tokens, codes=[codes[i // SHIFT_CAPACITY] for i in range(n)],
                  assignment_ids=list(range(1, n + 1)))


# ------------------------------------------------------------------ servers and the client
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, factory: str, url: str, workers: int) -> None:
        self.port = free_port()
        env = {**os.environ, "BENCH_DATABASE_URL": url, "PYTHONPATH": f"{ROOT}{os.pathsep}{BENCH_DIR}"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", f"checkin_burst:{factory}", "--factory", "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
            env=env, cwd=str(BENCH_DIR))
        self.base = f"http://127.0.0.1:{self.port}"

    def wait(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            try:
                if httpx.get(self.base + path, timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


Job = tuple[str, dict[str, str], dict[str, Any]]


@dataclass
class Result:
    requests: int
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def pct(self, p: float) -> float:
        xs = sorted(self.latencies)
        return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))] * 1000


async def _burst_httpx(base: str, jobs: list[Job], clients: int) -> Result:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    it = iter(jobs)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as c:
        async def worker() -> None:
            for path, headers, body in it:
                t0 = time.perf_counter()
                try:
                    code = (await c.post(path, json=body, headers=headers)).status_code
                except httpx.HTTPError:
                    code = -1  # connection dropped or timed out: counted, never retried
                latencies.append(time.perf_counter() - t0)
                statuses[code] = statuses.get(code, 0) + 1

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        seconds = time.perf_counter() - t0
    return Result(len(jobs), seconds, latencies, statuses)


async def _burst_raw(base: str, jobs: list[Job], clients: int) -> Result:
    """The same requests over plain asyncio streams: HTTP/1.1, one keep-alive connection per client.

    Why: on two cores the client shares the CPU with the server, and httpx's AsyncClient spends
    several milliseconds per request (measured here: ~180 trivial requests/s); that would cap both
    endpoints at the client's speed and hide the server's. This client costs a few tens of µs.
    """
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    it = iter(jobs)

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            for path, headers, body in it:
                payload = json.dumps(body).encode()
                head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
                t0 = time.perf_counter()
                writer.write(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                             f"Content-Length: {len(payload)}\r\n{head}\r\n".encode() + payload)
                try:
                    raw = await reader.readuntil(b"\r\n\r\n")
                    lines = raw.decode("latin-1").split("\r\n")
                    code = int(lines[0].split()[1])
                    length = next(int(x.split(":", 1)[1]) for x in lines if x.lower().startswith("content-length:"))
                    await reader.readexactly(length)
                except (asyncio.IncompleteReadError, ConnectionError, StopIteration, ValueError):
                    code = -1
                latencies.append(time.perf_counter() - t0)
                statuses[code] = statuses.get(code, 0) + 1
                if code == -1:
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return Result(len(jobs), time.perf_counter() - t0, latencies, statuses)


def burst(base: str, jobs: list[Job], clients: int, client: str = "raw") -> Result:
    return asyncio.run((_burst_raw if client == "raw" else _burst_httpx)(base, jobs, clients))


def order(n: int, duplicates: float, rng: random.Random) -> list[int]:
    """Every volunteer once, shuffled, and a share of them a second time later on (retries)."""
    idx = list(range(n))
    rng.shuffle(idx)
    for i in rng.sample(range(n), int(n * duplicates)):
        pos = idx.index(i)
        idx.insert(rng.randint(pos + 1, len(idx)), i)
    return idx


def count_rows(db: Engine) -> tuple[int, int]:
    from engine.stages.service.models import Checkin

    with db.connect() as c:
        rows = c.execute(select(func.count()).select_from(Checkin)).scalar() or 0
        distinct = c.execute(select(func.count(func.distinct(Checkin.assignment_id)))).scalar() or 0
    return int(rows), int(distinct)


def clear(db: Engine) -> None:
    from engine.stages.service.models import Checkin

    with db.begin() as c:
        c.execute(delete(Checkin))


def run_one(kind: str, url: str, db: Engine, seeded: Seeded, idx: list[int], workers: int,
            clients: int, client: str) -> dict[str, Any]:
    server = Server("make_app" if kind == "app" else "make_bare", url, workers)
    try:
        if kind == "app":
            server.wait("/api/v1/health")
            path = f"/api/v1/programmes/{PROGRAMME_ID}/checkin"
            jobs = [(path, {"Authorization": f"Bearer {seeded.tokens[i]}"}, {"code": seeded.codes[i]}) for i in idx]
            warm = [(f"/api/v1/programmes/{PROGRAMME_ID}/checkin", {"Authorization": f"Bearer {seeded.tokens[0]}"},
                     {"code": "warm-up"})] * (clients * 2)
        else:
            server.wait("/health")
            jobs = [("/checkin", {}, {"assignment_id": seeded.assignment_ids[i]}) for i in idx]
            warm = [("/checkin", {}, {"assignment_id": 0})] * 0
        if warm:
            burst(server.base, warm, clients, client)  # programme cache, connection pools (404s, nothing written)
        result = burst(server.base, jobs, clients, client)
    finally:
        server.stop()
    rows, distinct = count_rows(db)
    clear(db)
    n = len(seeded.assignment_ids)
    return {"kind": kind, "workers": workers, "requests": result.requests, "rps": result.rps,
            "p50": result.pct(50), "p99": result.pct(99), "statuses": result.statuses,
            "lost": n - distinct, "doubled": rows - distinct, "rows": rows}


def database_url(kind: str, pg_url: str, tmp: Path) -> tuple[str, Any]:
    if kind == "sqlite":
        return f"sqlite:///{tmp / 'burst.db'}", lambda: None
    base = normalise_url(pg_url)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}", drop


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--pg-url", default=os.environ.get("VOLUNTEER_DATABASE_URL") or DEFAULT_PG)
    ap.add_argument("--volunteers", type=int, default=6249)
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--workers", default="1,2", help="uvicorn worker counts to measure, e.g. 1,2")
    ap.add_argument("--duplicates", type=float, default=0.05, help="share of volunteers who retry")
    ap.add_argument("--rounds", type=int, default=1, help="repeat each measurement (bare, app) this often")
    ap.add_argument("--client", choices=["raw", "httpx"], default="raw",
                    help="raw asyncio HTTP/1.1 (light) or httpx.AsyncClient (heavy on the shared CPU)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="checkin-burst-"))
    url, cleanup = database_url(args.database, args.pg_url, tmp)
    try:
        t0 = time.perf_counter()
        seeded = seed(url, args.volunteers)
        print(f"seeded {args.volunteers} volunteers, tokens and assignments on {args.database} "
              f"in {time.perf_counter() - t0:.1f} s; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
        db = make_engine(url)
        idx = order(args.volunteers, args.duplicates, random.Random(2010))
        rows: list[dict[str, Any]] = []
        for workers in [int(w) for w in args.workers.split(",")]:
            for _ in range(args.rounds):
                bare = run_one("bare", url, db, seeded, idx, workers, args.clients, args.client)
                app = run_one("app", url, db, seeded, idx, workers, args.clients, args.client)
                app["ratio"] = app["rps"] / bare["rps"]
                rows += [bare, app]
                print_rows(args.database, [bare, app], args.clients)
        db.dispose()
    finally:
        cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


def print_rows(database: str, rows: list[dict[str, Any]], clients: int) -> None:
    for r in rows:
        ratio = f"{r['ratio'] * 100:5.1f} %" if "ratio" in r else "   —   "
        codes = " ".join(f"{k}:{v}" for k, v in sorted(r["statuses"].items()))
        print(f"{database:10} workers={r['workers']} clients={clients} {r['kind']:4}  {r['requests']:5d} req  "
              f"{r['rps']:7.1f} req/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms  rows {r['rows']}  "
              f"lost {r['lost']}  doubled {r['doubled']}  vs bare {ratio}  [{codes}]", flush=True)


if __name__ == "__main__":
    main()
