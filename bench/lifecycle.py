"""Lifecycle benchmark (生命周期基准测试): N workflow instances through every lifecycle transition.

Drives the engine's own in-process firing path with guards on and the store left out, and
measures in the same run, on the same workflow definition:

* engine   — per transition: ``programme.workflow`` → ``CompiledWorkflow.edge`` → role check →
             ``WorkflowService._context`` (``GuardContext``, ``session=None``) →
             ``WorkflowService.guard_reasons`` (two real guards per transition, registered by a
             throwaway plugin: one checks a payload field, one counts records in an in-memory dict)
             → ``CompiledWorkflow.move`` (the shared ``transitions`` machine moves a ``Token``) →
             write state, version, definition_version and ``utcnow()`` back to the dict row.
             Per instance loaded: a slotted object hydrated from the dict row as the store would
             return it (the same attributes as ``WorkflowInstance``; guards see it as
             ``ctx.instance``). A second load row hydrates ``WorkflowInstance`` itself (transient
             ORM object, no session) for comparison.
             Left out (the store): the SELECT, ``UPDATE … WHERE version = :seen``,
             ``session.refresh``, building the ``TransitionLog`` row (with ``_jsonable(payload)``
             and ``sorted(roles)``) and the flush. The lifecycle has no actions; the action loop
             is still run.
* (a)      — a bare ``machine.events[trigger].trigger(token)`` on one shared ``transitions``
             Machine (``model=None``, ``auto_transitions=False``); load = ``Token(row["state"])``.
* (b)      — ``Machine.add_model`` per instance, then ``model.<trigger>()``; load = a fresh model
             object + ``add_model``. ``add_model`` is O(n) in the number of models already added
             (``mod not in self.models``), so (b) runs on ``--b-instances`` (default 5,000); its
             load cost is fitted (Theil–Sen) as c0 + c1·n on batches of add_model calls and
             extrapolated to ``--instances``.
* (c)      — a dict transition table ``{(state, trigger): dest}`` on the same tokens as (a).

Every instance takes a path through *every* edge of the lifecycle (12 transitions, both sources
of ``reopen_recruitment`` included), step after step across all instances. Times:
``time.perf_counter_ns`` (and ``time.process_time_ns``, this process's CPU time, alongside), after a
warm-up pass; ``--repeat`` (default 3) interleaved rounds, and the best of them is taken per block of
``--block`` (default 20) instances × one step, then summed: blocks under a millisecond, so that on
a shared machine a neighbour's time slice spoils one block of one round rather than the measure.
Memory per instance: ``tracemalloc``, in a separate untimed pass, counting only the objects created
for the instances (the rows and the list holding them excluded).

``engine_fire`` below mirrors ``WorkflowService.fire`` line by line, the store left out: keep the
two in step when ``fire`` changes.

Prints figures only; asserts nothing about time.

    .venv/bin/python bench/lifecycle.py                  # 100,000 instances
    .venv/bin/python bench/lifecycle.py --instances 20000 --b-instances 2000
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
import tracemalloc
import types
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "plugin_pkg"))

import transitions  # noqa: E402
import vol_plan_demo  # noqa: E402
from transitions import Machine  # noqa: E402

from engine import hookimpl  # noqa: E402
from engine.config.loader import load_programme  # noqa: E402
from engine.plugins import GuardRegistry, PluginHost  # noqa: E402
from engine.store.base import utcnow  # noqa: E402
from engine.store.models import WorkflowInstance  # noqa: E402
from engine.workflow.compiler import CompiledWorkflow, Token  # noqa: E402
from engine.workflow.context import GuardContext  # noqa: E402
from engine.workflow.service import WorkflowService  # noqa: E402

WORKFLOW = "lifecycle"
SUBJECT = "programme"

# A path through every edge of the engine's lifecycle (checked against the compiled edges).
PATH = (
    "start_design",
    "open_recruitment",
    "start_training",
    "reopen_recruitment",  # training → recruitment
    "start_training",
    "start_service",
    "reopen_recruitment",  # service → recruitment
    "start_training",
    "start_service",
    "finish_service",
    "grant_rewards",
    "close",
)
ACTOR = "coord1"
ROLES = frozenset({"admin"})
PAYLOAD = {"note": "按计划推进 / on plan"}

# --------------------------------------------------------------------------- throwaway plugin
# Stands in for the stage data a real guard reads through the session: per subject, the records
# a lifecycle step needs. Every subject points at the same inner dict (so the fake store does
# not dominate memory), but each guard call still looks its subject up by id.
RECORDS: dict[str, dict[str, list[dict[str, Any]]]] = {}
SHARED_RECORDS: dict[str, list[dict[str, Any]]] = {
    kind: [{"id": i, "ok": i % 5 != 4} for i in range(6)]
    for kind in ("needs", "projects", "volunteers", "trained", "checkins", "records", "awards")
}


def payload_field(ctx: GuardContext) -> Iterable[str]:
    """The person firing must send ``params.field`` (non-empty)."""
    name = ctx.params["field"]
    if ctx.payload.get(name) in (None, ""):
        yield f"请填写 {name} / please provide {name}"


def count_at_least(ctx: GuardContext) -> Iterable[str]:
    """At least ``params.min`` records of ``params.what`` for this subject are ``ok``."""
    what = ctx.params["what"]
    n = sum(1 for r in RECORDS[ctx.subject_id][what] if r["ok"])
    if n < ctx.params.get("min", 1):
        yield f"{what} 不足 {ctx.params.get('min', 1)}（现有 {n}）/ not enough {what}: {n}"


@hookimpl
def volunteer_register_guards(register: GuardRegistry) -> None:
    register.add("bench.payload_field", payload_field)
    register.add("bench.count_at_least", count_at_least)


BENCH_PLUGIN = types.ModuleType("bench_lifecycle_guards")
BENCH_PLUGIN.volunteer_register_guards = volunteer_register_guards  # type: ignore[attr-defined]

COUNTED = {
    "start_design": "needs",
    "open_recruitment": "projects",
    "start_training": "volunteers",
    "reopen_recruitment": "volunteers",
    "start_service": "trained",
    "finish_service": "checkins",
    "grant_rewards": "records",
    "close": "awards",
}


def programme_yaml() -> str:
    """The demo plan type's programme, every lifecycle transition given the two bench guards."""
    lines = [
        "id: bench-lifecycle",
        "name: 基准测试 Lifecycle benchmark",
        "plan_type: demo",
        "organisation: {name: 基准测试服务站}",
        "period: {start: 2026-01-01, end: 2026-12-31}",
        "workflows:",
        "  lifecycle:",
        "    transitions:",
    ]
    for name, what in COUNTED.items():
        lines.append(
            f"      {name}: {{guards: [{{bench.payload_field: {{field: note}}}}, "
            f"{{bench.count_at_least: {{what: {what}, min: 3}}}}]}}"
        )
    lines.append("      reopen: null  # closed → records (admins' correction path): left out, so the")
    lines.append("                    # 12 measured transitions are the same as before it existed")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- hydrated objects
class Instance:
    """What the engine needs of a workflow instance, hydrated from a store row (a dict)."""

    __slots__ = (
        "definition_version",
        "id",
        "programme_id",
        "state",
        "subject_id",
        "subject_type",
        "version",
        "workflow",
    )

    def __init__(self, row: dict[str, Any]) -> None:
        self.id = row["id"]
        self.programme_id = row["programme_id"]
        self.workflow = row["workflow"]
        self.subject_type = row["subject_type"]
        self.subject_id = row["subject_id"]
        self.state = row["state"]
        self.version = row["version"]
        self.definition_version = row["definition_version"]


class AddModelInstance:
    """A plain model object for (b): ``add_model`` needs a ``__dict__`` to hang triggers on."""

    def __init__(self, row_id: int) -> None:
        self.id = row_id


ORM_KEYS = (
    "id",
    "programme_id",
    "workflow",
    "subject_type",
    "subject_id",
    "state",
    "version",
    "definition_version",
    "created_at",
    "updated_at",
)


def make_rows(n: int, programme_id: str, wf: CompiledWorkflow) -> list[dict[str, Any]]:
    now = utcnow()
    return [
        {
            "id": i + 1,
            "programme_id": programme_id,
            "workflow": WORKFLOW,
            "subject_type": SUBJECT,
            "subject_id": str(i + 1),
            "state": wf.definition.initial,
            "version": 1,
            "definition_version": wf.version,
            "created_at": now,
            "updated_at": now,
        }
        for i in range(n)
    ]


def reset_rows(rows: list[dict[str, Any]], initial: str) -> None:
    for row in rows:
        row["state"] = initial
        row["version"] = 1


# --------------------------------------------------------------------------- the engine path
class Refused(Exception):
    pass


def engine_fire(
    service: WorkflowService,
    programme: Any,
    inst: Instance,
    row: dict[str, Any],
    trigger: str,
    actor: str,
    roles: frozenset[str] | set[str],
    payload: dict[str, Any] | None,
    expected_version: int | None = None,
) -> str:
    """``WorkflowService.fire`` step for step, the store left out (see the module docstring)."""
    roles = frozenset(roles)
    payload = dict(payload or {})
    wf = programme.workflow(inst.workflow)
    if expected_version is not None and inst.version != expected_version:
        raise Refused(f"stale: {inst.version} != {expected_version}")
    edge = wf.edge(inst.state, trigger)
    if edge is None:
        raise Refused(f"cannot fire {trigger!r} from {inst.state!r}")
    if not roles & set(edge.definition.roles):
        raise Refused(f"roles {sorted(roles)} may not fire {trigger!r}")
    ctx = service._context(None, programme, inst, edge, actor, roles, payload)  # type: ignore[arg-type]
    reasons = service.guard_reasons(ctx, edge)
    if reasons:
        raise Refused("; ".join(reasons))
    new_state = wf.move(inst.state, trigger)
    # In place of UPDATE … WHERE version = :seen and session.refresh: the dict row.
    seen = inst.version
    if row["version"] != seen:
        raise Refused(f"instance {inst.id} was changed meanwhile")
    row["state"] = new_state
    row["version"] = seen + 1
    row["definition_version"] = wf.version
    row["updated_at"] = utcnow()
    inst.state = new_state
    inst.version = seen + 1
    for ref in edge.definition.actions:
        ctx.params = ref.params
        service.host.actions[ref.name].function(ctx)
    return new_state


# --------------------------------------------------------------------------- timing helpers
def _noop() -> None:
    return None


class Best:
    """Per-block minima over rounds, of wall time (``perf_counter_ns``) and of this process's CPU
    time (``process_time_ns``). A run is timed in short blocks, so that a neighbour taking the CPU
    spoils one block of one round rather than a whole round; the cost of timing an empty block
    (clock calls, the call of the block) is measured once and taken off every block."""

    def __init__(self) -> None:
        self.wall: dict[str, list[int]] = {}
        self.cpu: dict[str, list[int]] = {}
        self.empty_wall = self.empty_cpu = 0
        self.time("__empty__", [partial(_noop) for _ in range(5_000)])
        self.empty_wall = min(self.wall.pop("__empty__"))
        self.empty_cpu = min(self.cpu.pop("__empty__"))

    def time(self, key: str, blocks: list[Callable[[], Any]]) -> None:
        walls, cpus = [], []
        ew, ec = self.empty_wall, self.empty_cpu
        for block in blocks:
            c0 = time.process_time_ns()
            t0 = time.perf_counter_ns()
            block()
            t1 = time.perf_counter_ns()
            c1 = time.process_time_ns()
            walls.append(max(0, t1 - t0 - ew))
            cpus.append(max(0, c1 - c0 - ec))
        for store, new in ((self.wall, walls), (self.cpu, cpus)):
            old = store.get(key)
            store[key] = new if old is None else [min(a, b) for a, b in zip(old, new, strict=True)]

    def ns(self, key: str) -> int:
        return sum(self.wall[key])

    def cpu_ns(self, key: str) -> int:
        return sum(self.cpu[key])


def bytes_per(n: int, make: Callable[[list[Any]], None]) -> float:
    """tracemalloc bytes still held after ``make`` fills a preallocated list of ``n``, per item."""
    holder: list[Any] = [None] * n
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    make(holder)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del holder
    gc.collect()
    return (after - before) / n


def fit_line(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Theil–Sen line y = c0 + c1·x: medians, so that a batch hit by a full GC pass or by a
    neighbour on the CPU does not tilt the extrapolation."""
    slopes = [
        (ys[j] - ys[i]) / (xs[j] - xs[i]) for i in range(len(xs)) for j in range(i + 1, len(xs)) if xs[j] != xs[i]
    ]
    c1 = statistics.median(slopes) if slopes else 0.0
    return statistics.median(y - c1 * x for x, y in zip(xs, ys, strict=True)), c1


class AddModelFit:
    """(b)'s loading cost from per-batch times: measured mean, and extrapolated with a fit."""

    def __init__(self, batch_ns: list[int], sizes: list[int], mids: list[float], n: int) -> None:
        per_add = [ns / k for ns, k in zip(batch_ns, sizes, strict=True)]
        self.first, self.last = per_add[0], per_add[-1]
        self.measured = sum(batch_ns) / sum(sizes)  # mean over 0 … nb-1 models already added
        self.c0, self.c1 = fit_line(mids, per_add)
        self.growth_seen = self.c1 > 0
        if self.growth_seen:
            self.extrapolated = self.c0 + self.c1 * (n - 1) / 2  # mean over 0 … n-1
            self.nth = self.c0 + self.c1 * (n - 1)  # the n-th instance
        else:  # noise swamped the O(n) part: fall back on what was measured (an underestimate)
            self.extrapolated = self.nth = self.measured


# --------------------------------------------------------------------------- the benchmark
def build(n: int) -> tuple[Any, CompiledWorkflow, WorkflowService, list[dict[str, Any]]]:
    host = PluginHost(load_entrypoints=False, extra_plugins=[("demo", vol_plan_demo), ("bench", BENCH_PLUGIN)])
    if host.failures:
        raise SystemExit("plugin failures: " + "; ".join(map(str, host.failures)))
    programme = load_programme(programme_yaml(), host, filename="<bench/lifecycle>")
    wf = programme.workflow(WORKFLOW)
    covered = set()
    state = wf.definition.initial
    for trig in PATH:
        edge = wf.edge(state, trig)
        assert edge is not None, (state, trig)
        assert len(edge.definition.guards) == 2, edge.name
        covered.add((edge.source, edge.trigger))
        state = edge.dest
    assert covered == {(e.source, e.trigger) for e in wf.edges}, "PATH must cover every edge"
    assert wf.definition.states[state].final
    rows = make_rows(n, programme.id, wf)
    for row in rows:
        RECORDS[row["subject_id"]] = SHARED_RECORDS
    return programme, wf, WorkflowService(host), rows


def bare_machine(wf: CompiledWorkflow) -> Machine:
    """A fresh shared machine from the same definition, exactly as the compiler builds one."""
    return Machine(
        model=None,
        states=list(wf.definition.states),
        transitions=[{"trigger": e.trigger, "source": e.source, "dest": e.dest} for e in wf.edges],
        initial=wf.definition.initial,
        auto_transitions=False,
        ignore_invalid_triggers=False,
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--instances", type=int, default=100_000, help="instances for engine, (a), (c)")
    ap.add_argument("--b-instances", type=int, default=5_000, help="instances for (b) add_model (O(n²))")
    ap.add_argument("--repeat", type=int, default=3, help="best of this many rounds")
    ap.add_argument("--warmup", type=int, default=2_000, help="instances in the warm-up pass")
    ap.add_argument(
        "--breakdown",
        type=int,
        default=20_000,
        help="instances for the engine piece-by-piece breakdown (0: skip it)",
    )
    ap.add_argument(
        "--block",
        type=int,
        default=20,
        help="instances per timed block (best of --repeat is taken per block)",
    )
    ap.add_argument("--no-gc", action="store_true", help="disable the cyclic GC while timing")
    args = ap.parse_args(argv)
    n, rep = max(1, args.instances), max(1, args.repeat)
    nb = max(1, min(args.b_instances, n))
    steps = len(PATH)
    block = max(1, args.block)

    def spans(k: int) -> list[tuple[int, int]]:
        return [(lo, min(lo + block, k)) for lo in range(0, k, block)]

    def step_blocks(step: Callable[..., None], *seqs: list[Any]) -> list[Callable[[], Any]]:
        """One block per (lifecycle step, chunk of ``block`` instances), step after step."""
        parts = [tuple(seq[lo:hi] for seq in seqs) for lo, hi in spans(len(seqs[0]))]
        return [partial(step, *part, trig) for trig in PATH for part in parts]

    def load_blocks(
        load_into: Callable[[list[Any], list[dict[str, Any]]], None], rs: list[dict[str, Any]]
    ) -> list[Callable[[], Any]]:
        out: list[Any] = []
        return [partial(load_into, out, rs[lo:hi]) for lo, hi in spans(len(rs))]

    programme, wf, service, rows = build(n)
    initial = wf.definition.initial
    events_a = bare_machine(wf).events
    table = {(e.source, e.trigger): e.dest for e in wf.edges}
    rows_b = rows[:nb]

    print(
        f"Python {platform.python_version()} ({platform.machine()}), transitions {transitions.__version__}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"workflow {WORKFLOW!r}: {len(wf.definition.states)} states, {len(wf.edges)} edges; "
        f"{steps} transitions per instance (every edge), 2 guards per transition"
    )
    print(
        f"instances: {n:,} for engine, (a), (c); {nb:,} for (b); best of {rep} interleaved rounds, "
        f"per block of {block:,} instances × 1 step; cyclic GC {'off' if args.no_gc else 'on'} while timing"
    )

    # ---- loading: one instance from its row -------------------------------------------
    def load_engine(rs: list[dict[str, Any]]) -> list[Instance]:
        return [Instance(r) for r in rs]

    def load_orm(rs: list[dict[str, Any]]) -> list[WorkflowInstance]:
        return [WorkflowInstance(**{k: r[k] for k in ORM_KEYS}) for r in rs]

    def load_token(rs: list[dict[str, Any]]) -> list[Token]:
        return [Token(r["state"]) for r in rs]

    def load_engine_into(out: list[Any], rs: list[dict[str, Any]]) -> None:
        out += [Instance(r) for r in rs]

    def load_orm_into(out: list[Any], rs: list[dict[str, Any]]) -> None:
        out += [WorkflowInstance(**{k: r[k] for k in ORM_KEYS}) for r in rs]

    def load_token_into(out: list[Any], rs: list[dict[str, Any]]) -> None:
        out += [Token(r["state"]) for r in rs]

    def add_b(m: Machine, objs: list[AddModelInstance], rs: list[dict[str, Any]]) -> None:
        for r in rs:
            obj = AddModelInstance(r["id"])
            m.add_model(obj, initial=r["state"])
            objs.append(obj)

    def load_b(rs: list[dict[str, Any]]) -> tuple[Machine, list[AddModelInstance]]:
        m, objs = bare_machine(wf), []
        add_b(m, objs, rs)
        return m, objs

    # ---- one lifecycle step of each variant, over all its instances ----------------------
    def step_engine(insts: list[Instance], rs: list[dict[str, Any]], trig: str) -> None:
        for inst, row in zip(insts, rs, strict=True):
            engine_fire(service, programme, inst, row, trig, ACTOR, ROLES, PAYLOAD, inst.version)

    def step_a(tokens: list[Token], trig: str) -> None:
        for tok in tokens:
            events_a[trig].trigger(tok)

    def step_b(objs: list[AddModelInstance], trig: str) -> None:
        for obj in objs:
            getattr(obj, trig)()

    def step_c(tokens: list[Token], trig: str) -> None:
        for tok in tokens:
            tok.state = table[(tok.state, trig)]

    def all_closed(states: Iterable[str]) -> bool:
        return all(s == "closed" for s in states)

    # ---- memory per instance (separate, untimed passes, before the timing) ---------------------------------
    def fill(load_one: Callable[[dict[str, Any]], Any], rs: list[dict[str, Any]]) -> Callable[[list[Any]], None]:
        def make(holder: list[Any]) -> None:
            for i, r in enumerate(rs):
                holder[i] = load_one(r)

        return make

    n_orm = min(n, 20_000)
    load_orm(rows[:100])  # first-use allocations (SQLAlchemy mapper set-up, transitions) are not per instance
    load_b(rows[:100])
    mem_engine = bytes_per(n, fill(Instance, rows))
    mem_orm = bytes_per(n_orm, fill(lambda r: WorkflowInstance(**{k: r[k] for k in ORM_KEYS}), rows[:n_orm]))
    mem_token = bytes_per(n, fill(lambda r: Token(r["state"]), rows))
    m_mem = bare_machine(wf)

    def one_b(r: dict[str, Any]) -> AddModelInstance:
        obj = AddModelInstance(r["id"])
        m_mem.add_model(obj, initial=r["state"])
        return obj

    mem_b = bytes_per(nb, fill(one_b, rows_b))
    mem_b_obj = bytes_per(nb, fill(lambda r: AddModelInstance(r["id"]), rows_b))

    gc_was = gc.isenabled()
    if args.no_gc:
        gc.disable()

    # ---- warm-up: every variant once on a few instances, checking that they reach the end
    w = rows[: max(1, min(args.warmup, n))]
    insts = load_engine(w)
    for trig in PATH:
        step_engine(insts, w, trig)
    assert all(r["state"] == "closed" and r["version"] == steps + 1 for r in w)
    reset_rows(w, initial)
    for step in (step_a, step_c):
        toks = load_token(w)
        for trig in PATH:
            step(toks, trig)
        assert all_closed(t.state for t in toks)
    _m, objs = load_b(w[:500])
    for trig in PATH:
        step_b(objs, trig)
    assert all_closed(o.state for o in objs)  # type: ignore[attr-defined]
    load_orm(w)
    del insts, toks, objs, _m

    # ---- timed rounds --------------------------------------------------------------
    best = Best()
    batch = max(5, nb // 500)
    starts = list(range(0, nb, batch))
    for _ in range(rep):
        best.time("load engine", load_blocks(load_engine_into, rows))
        best.time("load orm", load_blocks(load_orm_into, rows))
        best.time("load token", load_blocks(load_token_into, rows))
        m_b, objs_b = bare_machine(wf), []  # (b) in batches, to see the O(n) of add_model
        best.time("load b", [partial(add_b, m_b, objs_b, rows_b[s : s + batch]) for s in starts])
        del m_b, objs_b

        reset_rows(rows, initial)
        insts = load_engine(rows)
        best.time("engine", step_blocks(step_engine, insts, rows))
        assert all(r["state"] == "closed" and r["version"] == steps + 1 for r in rows)
        del insts
        reset_rows(rows, initial)
        toks = load_token(rows)
        best.time("a", step_blocks(step_a, toks))
        assert all_closed(t.state for t in toks)
        toks = load_token(rows)
        best.time("c", step_blocks(step_c, toks))
        assert all_closed(t.state for t in toks)
        del toks
        m_b, objs_b = load_b(rows_b)
        best.time("b", step_blocks(step_b, objs_b))
        del m_b, objs_b

    chunk_sizes = [len(rows_b[s : s + batch]) for s in starts]
    mids = [s + (k - 1) / 2 for s, k in zip(starts, chunk_sizes, strict=True)]
    b_wall = AddModelFit(best.wall["load b"], chunk_sizes, mids, n)
    b_cpu = AddModelFit(best.cpu["load b"], chunk_sizes, mids, n)

    # ---- the engine piece by piece, on a subset ----------------------------------------
    breakdown: list[tuple[str, float, float]] = []
    nbd = min(args.breakdown, n)
    if nbd:
        sub = rows[:nbd]
        states_at = [initial]
        for trig in PATH:
            states_at.append(wf.edge(states_at[-1], trig).dest)  # type: ignore[union-attr]
        edges_at = [wf.edge(s, t) for s, t in zip(states_at, PATH, strict=False)]
        insts_bd = load_engine(sub)
        ctxs = [
            service._context(None, programme, insts_bd[0], e, ACTOR, ROLES, dict(PAYLOAD))  # type: ignore[arg-type]
            for e in edges_at
        ]
        parts_bd = [(insts_bd[lo:hi], sub[lo:hi]) for lo, hi in spans(nbd)]
        guard_fns = [
            [(service.host.guards[ref.name].function, ref.params) for ref in e.definition.guards]  # type: ignore[union-attr]
            for e in edges_at
        ]

        def piece_loop(ins: list[Instance], rs: list[dict[str, Any]], i: int) -> None:
            for _inst in ins:
                pass

        def piece_workflow(ins: list[Instance], rs: list[dict[str, Any]], i: int) -> None:
            for inst in ins:
                programme.workflow(inst.workflow)

        def piece_edge(ins: list[Instance], rs: list[dict[str, Any]], i: int) -> None:
            s, trig = states_at[i], PATH[i]
            for _inst in ins:
                wf.edge(s, trig)

        def piece_roles(ins: list[Instance], rs: list[dict[str, Any]], i: int) -> None:
            e = edges_at[i]
            for _inst in ins:
                if not ROLES & set(e.definition.roles):  # type: ignore[union-attr]
                    raise Refused(PATH[i])

        def piece_context(ins: list[Instance], rs: list[dict[str, Any]], i: int) -> None:
            e = edges_at[i]
            for inst in ins:
                service._context(None, programme, inst, e, ACTOR, ROLES, dict(PAYLOAD))  # type: ignore[arg-type]

        def piece_guards(ins: list[Instance], rs: list[dict[str, Any]], i: int) -> None:
            e, ctx = edges_at[i], ctxs[i]
            for inst in ins:
                ctx._row = inst  # type: ignore[assignment]  # what ctx.instance shows
                if service.guard_reasons(ctx, e):  # type: ignore[arg-type]
                    raise Refused(PATH[i])

        def piece_guard_fns(ins: list[Instance], rs: list[dict[str, Any]], i: int) -> None:
            fns, ctx = guard_fns[i], ctxs[i]
            for inst in ins:
                ctx._row = inst  # type: ignore[assignment]  # what ctx.instance shows
                for fn, params in fns:
                    ctx.params = params
                    for reason in fn(ctx):
                        raise Refused(reason)

        def piece_move(ins: list[Instance], rs: list[dict[str, Any]], i: int) -> None:
            s, trig = states_at[i], PATH[i]
            for _inst in ins:
                wf.move(s, trig)

        def piece_bare(ins: list[Instance], rs: list[dict[str, Any]], i: int) -> None:
            s, trig = states_at[i], PATH[i]
            for _inst in ins:
                events_a[trig].trigger(Token(s))

        def piece_write(ins: list[Instance], rs: list[dict[str, Any]], i: int) -> None:
            d = states_at[i + 1]
            for inst, row in zip(ins, rs, strict=True):
                seen = inst.version
                row["state"] = d
                row["version"] = seen + 1
                row["definition_version"] = wf.version
                row["updated_at"] = utcnow()
                inst.state = d
                inst.version = seen + 1

        pieces: list[tuple[str, Callable[..., None]]] = [
            ("programme.workflow(name)", piece_workflow),
            ("CompiledWorkflow.edge(state, trigger)", piece_edge),
            ("role check: roles & set(edge roles)", piece_roles),
            ("payload copy + GuardContext (_context)", piece_context),
            ("guard_reasons (2 guards)", piece_guards),
            ("  of which the 2 guard functions alone", piece_guard_fns),
            ("CompiledWorkflow.move (Token + machine)", piece_move),
            ("  (a) trigger on a new Token, for comparison", piece_bare),
            ("write back to row + utcnow()", piece_write),
            ("(bare loop, subtracted from each piece)", piece_loop),
        ]
        for _ in range(rep):
            for label, piece in pieces:
                best.time(label, [partial(piece, ins, rs, i) for i in range(steps) for ins, rs in parts_bd])
            reset_rows(sub, initial)
            insts_fire = load_engine(sub)
            best.time("whole", step_blocks(step_engine, insts_fire, sub))
        fires_bd = nbd * steps
        loop_w, loop_c = best.ns(pieces[-1][0]), best.cpu_ns(pieces[-1][0])
        for label, _piece in pieces[:-1]:
            breakdown.append(
                (
                    label,
                    (best.ns(label) - loop_w) / fires_bd / 1000,
                    (best.cpu_ns(label) - loop_c) / fires_bd / 1000,
                )
            )
        breakdown.append((pieces[-1][0], loop_w / fires_bd / 1000, loop_c / fires_bd / 1000))
        breakdown.append(
            (
                "whole engine_fire, same instances",
                best.ns("whole") / fires_bd / 1000,
                best.cpu_ns("whole") / fires_bd / 1000,
            )
        )

    if args.no_gc and gc_was:
        gc.enable()

    # ---- report ------------------------------------------------------------------------
    us = 1000.0
    fires, fires_b = n * steps, nb * steps
    # (wall, CPU) pairs in ns
    per = {
        "engine": (best.ns("engine") / fires, best.cpu_ns("engine") / fires),
        "a": (best.ns("a") / fires, best.cpu_ns("a") / fires),
        "b": (best.ns("b") / fires_b, best.cpu_ns("b") / fires_b),
        "c": (best.ns("c") / fires, best.cpu_ns("c") / fires),
    }
    load = {
        "engine": (best.ns("load engine") / n, best.cpu_ns("load engine") / n),
        "orm": (best.ns("load orm") / n, best.cpu_ns("load orm") / n),
        "token": (best.ns("load token") / n, best.cpu_ns("load token") / n),
        "b": (b_wall.extrapolated, b_cpu.extrapolated),
    }

    def pair(v: tuple[float, float] | None, digits: int) -> str:
        return "—" if v is None else f"{v[0] / us:.{digits}f} / {v[1] / us:.{digits}f}"

    print()
    hdr = f"{'variant':<48}{'µs/transition':>17}{'µs/instance loaded':>21}{'bytes/instance':>16}"
    print(hdr)
    print(f"{'':<48}{'wall / CPU':>17}{'wall / CPU':>21}")
    print("-" * len(hdr))
    table_rows: list[tuple[str, tuple[float, float] | None, tuple[float, float], float]] = [
        ("engine: guards + machine + row write (no store)", per["engine"], load["engine"], mem_engine),
        ("  same, hydrated as ORM WorkflowInstance instead", None, load["orm"], mem_orm),
        ("(a) bare trigger, shared machine, no model", per["a"], load["token"], mem_token),
        ("(b) add_model per instance (see below)", per["b"], load["b"], mem_b),
        ("(c) dict transition table, on (a)'s tokens", per["c"], load["token"], mem_token),
    ]
    for label, t, ld, mem in table_rows:
        print(f"{label:<48}{pair(t, 2):>17}{pair(ld, 3):>21}{mem:>16,.0f}")
    print()
    print(
        f"(b) loading was measured on {nb:,} instances, in {len(starts)} batches of {batch:,}: mean "
        f"{b_wall.measured / us:.1f} µs per add_model (CPU {b_cpu.measured / us:.1f}), from {b_wall.first / us:.1f} µs "
        f"(first batch) to {b_wall.last / us:.1f} µs (last)."
    )
    print(
        f"    Theil–Sen fit: {b_wall.c0 / us:.1f} µs + {b_wall.c1:.1f} ns × models already added (CPU: "
        f"{b_cpu.c0 / us:.1f} µs + {b_cpu.c1:.1f} ns); extrapolated to {n:,} instances: mean "
        f"{b_wall.extrapolated / us:.1f} µs (in the table), the {n:,}th {b_wall.nth / us:.1f} µs, all of them "
        f"{b_wall.extrapolated * n / 1e9:.1f} s."
    )
    if not b_wall.growth_seen:
        print("    the fit found no growth (too few instances or too much noise): the table shows the measured mean.")
    print(
        f"    (b) bytes include the model object itself ({mem_b_obj:,.0f} B without add_model); (b) µs/transition "
        f"on {nb:,} instances. ORM WorkflowInstance bytes on {n_orm:,} instances."
    )

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    print()
    r_trans = [per["engine"][k] / per["a"][k] for k in (0, 1)]
    r_load = [load["b"][k] / load["engine"][k] for k in (0, 1)]
    b_meas = (b_wall.measured, b_cpu.measured)
    r_load_meas = [b_meas[k] / load["engine"][k] for k in (0, 1)]
    print(
        f"timing          an empty block costs {best.empty_wall} ns wall, {best.empty_cpu} ns CPU; taken off every block"
    )
    print(
        f"per transition  engine / (a) = {r_trans[0]:.2f}× wall, {r_trans[1]:.2f}× CPU   "
        f"(target ≤ 1.5×: {verdict(r_trans[0] <= 1.5)} on wall, {verdict(r_trans[1] <= 1.5)} on CPU)"
    )
    print(
        f"loading         (b) / engine = {r_load[0]:,.0f}× wall, {r_load[1]:,.0f}× CPU extrapolated to {n:,}; "
        f"{r_load_meas[0]:,.0f}× / {r_load_meas[1]:,.0f}× measured at {nb:,}   "
        f"(target ≥ 20×: {verdict(min(*r_load, *r_load_meas) >= 20)})"
    )
    print(
        f"                (b) / engine hydrating ORM WorkflowInstance = "
        f"{load['b'][0] / load['orm'][0]:,.1f}× extrapolated, {b_meas[0] / load['orm'][0]:,.1f}× measured (wall)"
    )
    print(
        f"memory          (b) / engine = {mem_b / mem_engine:,.0f}×; (b) / ORM WorkflowInstance = "
        f"{mem_b / mem_orm:,.1f}×"
    )
    print(
        f"other           engine − (a) = {(per['engine'][0] - per['a'][0]) / us:.2f} µs wall, "
        f"{(per['engine'][1] - per['a'][1]) / us:.2f} µs CPU per transition; (b) / (a) = "
        f"{per['b'][1] / per['a'][1]:.2f}× CPU; (a) / (c) = {per['a'][1] / per['c'][1]:,.0f}× CPU"
    )
    wall_over_cpu = per["a"][0] / per["a"][1]
    if wall_over_cpu > 1.15:
        print(
            f"NOTE            wall time ran {wall_over_cpu:.2f}× this process's CPU time for (a): other processes "
            f"took the CPUs (load average {os.getloadavg()[0]:.1f} at the end); read the CPU figures."
        )

    if breakdown:
        print()
        print(
            f"engine per transition, piece by piece ({nbd:,} instances × {steps} steps; each piece alone, "
            f"bare loop subtracted; best of {rep}):"
        )
        print(f"  {'':<46}{'wall µs':>9}{'CPU µs':>9}")
        tot_w = tot_c = 0.0
        for label, w_us, c_us in breakdown:
            if label.startswith("whole"):
                print(f"  {'sum of the engine pieces':<46}{tot_w:>9.2f}{tot_c:>9.2f}")
            print(f"  {label:<46}{w_us:>9.2f}{c_us:>9.2f}")
            if not label.startswith(("(", "whole", "  ")):
                tot_w += w_us
                tot_c += c_us


if __name__ == "__main__":
    main()
