"""Helpers shared by tests, importable from any test module (``from tests_support import …``)."""

from __future__ import annotations

import httpx

from engine.core import VolunteerEngine

PASSWORD = "correct-horse-42"
ROLE_USERS = {
    "admin": "admin1",
    "coordinator": "coord1",
    "team_leader": "leader1",
    "supervisor": "super1",
    "volunteer": "vol1",
}


def make_users(eng: VolunteerEngine, programme_id: str, roles: dict[str, str] | None = None) -> dict[str, str]:
    """One account per role in the programme, plus an operator (root) and an outsider; returns role → username."""
    roles = roles or ROLE_USERS
    with eng.session() as s:
        eng.auth.create_user(s, "root", PASSWORD, superuser=True)
        eng.auth.create_user(s, "outsider", PASSWORD)
        known = set(eng.programme(programme_id, s).config.roles)
        for role, username in roles.items():
            u = eng.auth.create_user(s, username, PASSWORD, display_name=f"{role} user")
            eng.auth.grant(s, u, programme_id, role, known_roles=known)
    return dict(roles)


class Api:
    """An HTTP client factory for one live server; ``as_(username)`` gives a logged-in client."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._clients: list[httpx.Client] = []

    def anonymous(self) -> httpx.Client:
        c = httpx.Client(base_url=self.url + "/api/v1", timeout=60)
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
