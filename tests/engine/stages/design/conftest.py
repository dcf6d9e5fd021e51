"""Fixtures for the design tests: a term-long programme in Asia/Shanghai, accounts, a project and a post."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from tests_support import Api, make_users, open_design

from engine.core import VolunteerEngine

TERM = Path(__file__).with_name("term.yaml")
BASE = "/programmes/term-demo"
USERS = {"admin": "admin1", "coord": "coord1", "leader": "leader1", "super": "super1", "vol": "vol1",
         "outsider": "outsider"}


@pytest.fixture
def term(eng: VolunteerEngine) -> Any:
    """The programme, moved to 设计项目 by its real trigger (a need recorded, start_design fired)."""
    prog = eng.load(TERM)
    open_design(eng, prog.id)
    return prog


class Clients(dict[str, httpx.Client]):
    """Logged-in clients by role, each logging in on first use (a login hashes a password: slow)."""

    def __init__(self, api: Api) -> None:
        super().__init__()
        self.api = api

    def __missing__(self, role: str) -> httpx.Client:
        client = self[role] = self.api.as_(USERS[role])
        return client


@pytest.fixture
def clients(eng: VolunteerEngine, term: Any, api: Api) -> dict[str, httpx.Client]:
    make_users(eng, term.id)
    return Clients(api)


@pytest.fixture
def post(clients: dict[str, httpx.Client]) -> dict[str, Any]:
    """四点半课堂: a project for the term and its tutor post (capacity 4)."""
    coord = clients["coord"]
    project = coord.post(f"{BASE}/projects", json={
        "name": "四点半课堂", "kind": "periodic", "place": "社区活动室", "start_date": "2026-09-01",
        "end_date": "2027-01-15"})
    assert project.status_code == 201, project.text
    r = coord.post(f"{BASE}/projects/{project.json()['id']}/posts", json={
        "name": "课业辅导 Tutor", "duties": "辅导作业 homework help", "capacity": 4, "category": "professional"})
    assert r.status_code == 201, r.text
    return r.json()
