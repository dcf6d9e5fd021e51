"""Helpers for tests — the engine's own and plan-type authors'.

* :func:`temp_engine` — a :class:`~engine.core.VolunteerEngine` on a store of its own, already
  migrated (a SQLite file, or a PostgreSQL database cloned from a template when
  ``VOLUNTEER_DATABASE_URL`` points at PostgreSQL: :mod:`engine.testing_store`), with only the
  plugins you name.
* :class:`LiveServer` — the real app on a real port in a background thread, for HTTP tests.
* :func:`frozen_clock` — set the engine's clock (``ctx.now``, every "now" in the engine) and move
  it on by hand, e.g. to test scheduled work::

      with frozen_clock("2026-05-01T09:00:00+08:00") as clock:
          tick(eng)                       # runs volunteer_scheduled (once per slot), sends what is due
          clock.advance(minutes=30)
          tick(eng)
* :func:`tick` — one tick of the scheduled path now, as ``volunteer tick`` runs it.
* :func:`advance_to` — move a programme's lifecycle to a stage by firing the real triggers, one
  after another, as an admin would (guards included: the test creates what they ask for). There is
  no bypass of stage gating (docs/stages.md).
* :func:`create_users` — accounts with roles in a programme, in one call.
* :func:`client` — an in-process HTTP client on the real app (no port, no thread); ``login(name)``
  returns a client that sends that user's token. :func:`create_app` is the app factory itself.

An HTTP test of a plan type, without reading any engine source::

    from engine.testing import client, create_users, temp_engine

    def test_only_coordinators_close_a_case(tmp_path):
        with temp_engine(tmp_path, plugins=[("my_plan", my_plan)]) as eng:
            prog = eng.load(Path("examples/my.yaml"))
            create_users(eng, prog.id, {"coord": "coordinator", "vol": "volunteer"})
            with client(eng) as http:
                assert http.login("vol").post(f"/api/v1/programmes/{prog.id}/…").status_code == 403

Example for a plugin author::

    from engine.testing import temp_engine

    def test_my_programme(tmp_path):
        with temp_engine(tmp_path, plugins=[("my_plan", my_plan_module)]) as eng:
            prog = eng.load(Path("examples/my.yaml"))
            ...
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from engine import timeutil
from engine.core import VolunteerEngine
from engine.plugins import PluginHost
from engine.store.db import normalise_url
from engine.testing_server import LiveServer as LiveServer  # re-exported: tests import it from here
from engine.testing_server import free_port as free_port
from engine.testing_store import migrated_store_for_tests

BUILTIN_PLAN_TYPES = ("community", "legal_aid", "corporate", "event", "youth")  # every plan type this repository ships

# Tests get their own data keys (engine/crypto) instead of a key file written into the working folder.
if not os.environ.get("VOLUNTEER_DATA_KEYS") and not os.environ.get("VOLUNTEER_DATA_KEY_FILE"):
    from engine.crypto import new_keyring

    os.environ["VOLUNTEER_DATA_KEYS"] = new_keyring().text()


def database_url_for_tests(tmp_path: Path) -> tuple[str, Any]:
    """A URL for one test's own database, and a cleanup function.

    PostgreSQL (when ``VOLUNTEER_DATABASE_URL`` is a PostgreSQL URL): a new schema per test, put
    first on the search path, dropped afterwards. Otherwise a SQLite file under ``tmp_path``.
    """
    base = os.environ.get("VOLUNTEER_DATABASE_URL", "")
    if base.startswith(("postgresql", "postgres")):
        base = normalise_url(base)
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in base else "?"
        url = f"{base}{sep}options=-csearch_path%3D{schema}"

        def cleanup() -> None:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

        return url, cleanup
    return f"sqlite:///{tmp_path / 'volunteer.db'}", lambda: None


def make_host(plugins: Iterable[tuple[str, object]] = (), *, builtin: Iterable[str] = BUILTIN_PLAN_TYPES) -> PluginHost:
    """A plugin host with the named built-in plan types plus ``plugins`` (name, module) pairs."""
    return PluginHost(load_entrypoints=True, only=list(builtin), extra_plugins=list(plugins))


@contextlib.contextmanager
def temp_engine(tmp_path: Path, *, plugins: Iterable[tuple[str, object]] = (),
                builtin: Iterable[str] = BUILTIN_PLAN_TYPES) -> Iterator[VolunteerEngine]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    host = make_host(plugins, builtin=builtin)
    # a copy of a store migrated once per set of migrations (engine/testing_store.py): an Alembic
    # upgrade of every plan type's branch costs seconds, the copy milliseconds
    url, cleanup = migrated_store_for_tests(tmp_path, host.migration_dirs())
    eng = VolunteerEngine(url, host=host, upgrade=False)
    try:
        yield eng
    finally:
        eng.db.dispose()
        cleanup()


class FrozenClock:
    """The time the engine sees inside :func:`frozen_clock`; ``advance`` moves it on."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at

    def advance(self, delta: dt.timedelta | None = None, **parts: float) -> dt.datetime:
        """Move the clock on by ``delta`` or by ``timedelta`` keywords (``minutes=30``); returns the new time."""
        self.at = self.at + (delta if delta is not None else dt.timedelta(**parts))
        return self.at

    def set(self, at: dt.datetime | str) -> dt.datetime:
        self.at = _aware(at)
        return self.at


def _aware(at: dt.datetime | str) -> dt.datetime:
    value = dt.datetime.fromisoformat(at) if isinstance(at, str) else at
    if value.tzinfo is None:
        raise ValueError(f"give the frozen clock a timezone-aware time, not {value!r}")
    return value.astimezone(dt.UTC)


@contextlib.contextmanager
def frozen_clock(at: dt.datetime | str) -> Iterator[FrozenClock]:
    """Fix the engine's clock at ``at`` (aware datetime or ISO text with an offset) for the block,
    then restore the clock that was there. The whole process sees it (workers and servers started
    in the block too); time stands still until you ``advance`` it."""
    clock = FrozenClock(_aware(at))
    previous = timeutil._clock
    timeutil.set_clock(clock)
    try:
        yield clock
    finally:
        timeutil.set_clock(previous)


def tick(eng: VolunteerEngine, *, programme_ids: list[str] | None = None, deliver: bool = True,
         every: int | None = None) -> Any:
    """Run one tick now (the engine's clock: see :func:`frozen_clock`): every programme's
    ``volunteer_scheduled`` for the current slot, then due notifications (``deliver``). Returns the
    :class:`engine.scheduling.TickReport` (``runs``: job, programme, outcome, result, error)."""
    from engine.scheduling import tick as run

    return run(eng, programme_ids=programme_ids, deliver=deliver, every=every)


def advance_to(eng: VolunteerEngine, programme_id: str, stage: str, *, actor: str = "admin",
               payload: dict[str, Any] | None = None, session: Any = None) -> list[str]:
    """Fire the lifecycle's triggers along the shortest path to ``stage`` (admin roles).

    Returns the triggers fired. Raises AssertionError naming the trigger and the guards' reasons
    when a guard refuses, so a test says what it must set up first. Idempotent at the target.
    ``session``: fire inside the caller's open session (SQLite has one writer) instead of new ones.
    """
    from collections import deque

    def opened() -> Any:
        return contextlib.nullcontext(session) if session is not None else eng.session()

    fired: list[str] = []
    with opened() as s:
        prog = eng.programme(programme_id, s)
        wf = prog.workflow(prog.config.stages.lifecycle)
        inst = eng.lifecycle(s, prog, wf.name)
        start = inst.state
    if start == stage:
        return fired
    if stage not in wf.definition.states:
        raise AssertionError(f"{stage!r} is not a stage of {programme_id}: {', '.join(wf.definition.states)}")
    back: dict[str, tuple[str, str] | None] = {start: None}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for edge in wf.edges_from(here):
            if edge.dest not in back:
                back[edge.dest] = (here, edge.trigger)
                queue.append(edge.dest)
    if stage not in back:
        raise AssertionError(f"no path from {start!r} to {stage!r} in {programme_id}'s lifecycle")
    path: list[str] = []
    node = stage
    while back[node] is not None:
        prev, trigger = back[node]  # type: ignore[misc]
        path.append(trigger)
        node = prev
    for trigger in reversed(path):
        with opened() as s:
            prog = eng.programme(programme_id, s)
            inst = eng.lifecycle(s, prog, wf.name)
            result = eng.workflows.fire(s, prog, inst, trigger, actor=actor, roles=frozenset({"admin"}),
                                        payload=payload)
            if not result.ok:
                raise AssertionError(f"{programme_id}: {trigger} refused: " + "; ".join(result.reasons))
        fired.append(trigger)
    return fired

#: The password :func:`create_users` gives every account unless told otherwise.
TEST_PASSWORD = "correct-horse-42"


def create_users(eng: VolunteerEngine, programme_id: str, users: dict[str, str | Iterable[str]], *,
                 password: str = TEST_PASSWORD) -> dict[str, int]:
    """Create each ``username`` with its role (or roles) in ``programme_id``; returns username → user id.
    A role the programme does not declare is refused as in production."""
    ids: dict[str, int] = {}
    with eng.session() as s:
        known = set(eng.programme(programme_id, s).config.roles)
        for username, roles in users.items():
            user = eng.auth.create_user(s, username, password, display_name=username)
            for role in [roles] if isinstance(roles, str) else roles:
                eng.auth.grant(s, user, programme_id, role, known_roles=known)
            s.flush()
            ids[username] = user.id
    return ids


def create_app(eng: VolunteerEngine, **options: Any) -> Any:
    """The real FastAPI app around ``eng`` (the same factory ``volunteer serve`` uses)."""
    from engine.http.app import create_app as factory

    return factory(eng, **options)


class Client:
    """An in-process HTTP client on the app (Starlette's ``TestClient``: real routing, middleware,
    dependencies and error handling, without a socket). Use as a context manager."""

    def __init__(self, app: Any, *, password: str = TEST_PASSWORD, token: str | None = None) -> None:
        from fastapi.testclient import TestClient

        self.app = app
        self.password = password
        self.http = TestClient(app, raise_server_exceptions=False)
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def login(self, username: str, password: str | None = None) -> Client:
        """A new client that sends ``username``'s bearer token (logged in through the real endpoint)."""
        r = self.http.post("/api/v1/auth/token", data={"username": username, "password": password or self.password})
        if r.status_code != 200:
            raise AssertionError(f"login as {username!r} failed: {r.status_code} {r.text}")
        return Client(self.app, password=self.password, token=r.json()["access_token"])

    def __getattr__(self, name: str) -> Any:  # get, post, put, patch, delete, request …
        return getattr(self.http, name)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()


def client(eng: VolunteerEngine, **options: Any) -> Client:
    """An in-process client on ``create_app(eng, **options)``."""
    return Client(create_app(eng, **options))
