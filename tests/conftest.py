"""Shared fixtures: a real store (SQLite file, or PostgreSQL when VOLUNTEER_DATABASE_URL says so),
the tests' own third-party plan type, accounts for every role, and a live HTTP server."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PROGRAMMES = Path(__file__).resolve().parent / "programmes"
sys.path.insert(0, str(Path(__file__).resolve().parent / "plugin_pkg"))

import vol_plan_demo  # noqa: E402

from engine.core import VolunteerEngine  # noqa: E402
from engine.http.app import create_app  # noqa: E402
from engine.testing import LiveServer, temp_engine  # noqa: E402

PASSWORD = "correct-horse-42"
ROLE_USERS = {
    "admin": "admin1",
    "coordinator": "coord1",
    "team_leader": "leader1",
    "supervisor": "super1",
    "volunteer": "vol1",
}


@pytest.fixture
def eng(tmp_path: Path) -> Iterator[VolunteerEngine]:
    with temp_engine(tmp_path, plugins=[("demo", vol_plan_demo)]) as e:
        yield e


@pytest.fixture
def demo(eng: VolunteerEngine):
    """The demo programme with every engine guard on."""
    return eng.load(PROGRAMMES / "demo_full.yaml")


def make_users(eng: VolunteerEngine, programme_id: str, roles: dict[str, str] | None = None) -> dict[str, str]:
    """One account per role in the programme, plus an operator and an outsider; returns role → username."""
    roles = roles or ROLE_USERS
    with eng.session() as s:
        eng.auth.create_user(s, "root", PASSWORD, superuser=True)
        eng.auth.create_user(s, "outsider", PASSWORD)
        for role, username in roles.items():
            u = eng.auth.create_user(s, username, PASSWORD, display_name=f"{role} user")
            eng.auth.grant(s, u, programme_id, role, known_roles=set(eng.programme(programme_id, s).config.roles))
    return dict(roles)


class Api:
    """An HTTP client for one live server; ``as_(username)`` gives a logged-in client."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._clients: list[httpx.Client] = []

    def anonymous(self) -> httpx.Client:
        c = httpx.Client(base_url=self.url + "/api/v1", timeout=30)
        self._clients.append(c)
        return c

    def as_(self, username: str, password: str = PASSWORD) -> httpx.Client:
        c = self.anonymous()
        r = c.post("/auth/token", data={"username": username, "password": password})
        assert r.status_code == 200, r.text
        c.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        return c

    def close(self) -> None:
        for c in self._clients:
            c.close()


@pytest.fixture
def api(eng: VolunteerEngine) -> Iterator[Api]:
    with LiveServer(create_app(eng)) as server:
        a = Api(server.url)
        yield a
        a.close()
