"""engine.testing gives a plan-type author what an HTTP test needs without reading engine source:
accounts with roles in one call, an in-process client on the real app, and a settable clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import ConfigError, VolunteerEngineError
from engine.testing import client, create_users, frozen_clock, temp_engine

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "community.yaml"


def test_users_client_and_roles_in_a_few_lines(tmp_path) -> None:
    with temp_engine(tmp_path) as eng:
        prog = eng.load(EXAMPLE)
        ids = create_users(eng, prog.id, {"coord": "coordinator", "vol": "volunteer", "both": ["volunteer", "team_leader"]})
        assert set(ids) == {"coord", "vol", "both"} and len(set(ids.values())) == 3
        with client(eng) as http:
            assert http.get(f"/api/v1/programmes/{prog.id}/volunteers").status_code == 401  # no token
            assert http.login("vol").get(f"/api/v1/programmes/{prog.id}/volunteers").status_code == 403
            listed = http.login("coord").get(f"/api/v1/programmes/{prog.id}/volunteers")
            assert listed.status_code == 200
            me = http.login("both").get("/api/v1/me").json()
            assert me["username"] == "both"
            with pytest.raises(AssertionError, match="login as 'coord' failed: 401"):
                http.login("coord", "wrong password")


def test_an_undeclared_role_is_refused(tmp_path) -> None:
    with temp_engine(tmp_path) as eng:
        prog = eng.load(EXAMPLE)
        with pytest.raises((ConfigError, VolunteerEngineError, ValueError)):
            create_users(eng, prog.id, {"x": "grand_vizier"})


def test_the_clock_is_the_engines(tmp_path) -> None:
    with temp_engine(tmp_path) as eng, frozen_clock("2026-05-01T09:00:00+08:00") as clock:
        prog = eng.load(EXAMPLE)
        with eng.session() as s:
            ctx = eng.host.context(s, eng.programme(prog.id, s))
            assert ctx.now.isoformat() == "2026-05-01T01:00:00+00:00"
            assert ctx.local(ctx.now).hour == 9
            clock.advance(minutes=90)
            assert ctx.local(ctx.now).strftime("%H:%M") == "10:30"


def test_postgres_copies_of_a_dead_process_are_swept(tmp_path) -> None:
    """A test process killed before it dropped its PostgreSQL copies (or an xdist worker that exited
    without atexit hooks) leaves them behind; the next process on the host drops them, not others'."""
    import os
    import subprocess
    import sys

    from sqlalchemy import create_engine, text

    from engine import testing_store

    base = os.environ.get("VOLUNTEER_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        pytest.skip("PostgreSQL only (SQLite copies are files in the test's own folder)")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    names = [f"{testing_store._owner_prefix(int(dead.stdout))}left", f"{testing_store._owner_prefix(os.getpid())}mine"]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        testing_store._sweep(base)
        with admin.connect() as conn:
            left = set(conn.scalars(text("SELECT datname FROM pg_database WHERE datname = ANY(:n)"), {"n": names}))
        assert left == {names[1]}  # the dead process's copy is gone; a live one's stays
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
