"""Test helpers for the corporate plan type: the example programme with accounts for every role,
employees registered through the API, and short calls."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import httpx

from engine.core import VolunteerEngine
from engine.people import check_character

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "corporate.yaml"
PASSWORD = "correct-horse-42"
PID = "corporate-2026"
P = f"/programmes/{PID}/corporate"

USERS = {"admin1": "admin", "csr1": "csr_office", "cm1": "committee", "cm2": "committee", "cm3": "committee",
         "cm4": "committee", "liaison_it": "liaison", "liaison_fin": "liaison", "mgr_it": "manager",
         "mgr_fin": "manager", "partner_school": "partner", "partner_elder": "partner"}
_seq = itertools.count(101)


def idno(birth: str = "19880101") -> str:
    first = f"110105{birth}{next(_seq):03d}"
    return first + check_character(first)


class World:
    def __init__(self, eng: VolunteerEngine, api: Any, text: str | None = None) -> None:
        self.eng, self.api = eng, api
        eng.load(text if text is not None else EXAMPLE.read_text(encoding="utf-8"), filename="corporate.yaml")
        with eng.session() as s:
            eng.auth.create_user(s, "outsider", PASSWORD)
            known = set(eng.programme(PID, s).config.roles)
            for username, role in USERS.items():
                u = eng.auth.create_user(s, username, PASSWORD, display_name=username)
                eng.auth.grant(s, u, PID, role, known_roles=known)
        self._clients: dict[str, httpx.Client] = {}

    def at(self, clock: Any, day: str) -> None:
        """Move a frozen clock to 10:00 (Asia/Shanghai) of ``day``; tokens of another day are expired, so log in again."""
        clock.set(f"{day}T10:00:00+08:00")
        self._clients.clear()

    def as_(self, username: str) -> httpx.Client:
        if username not in self._clients:
            self._clients[username] = self.api.as_(username)
        return self._clients[username]

    def employee(self, username: str, department: str, *, manager: str | None = None, hired_on: str = "2020-03-01",
                 employment_type: str = "full_time", skills: list[str] | None = None, name: str = "张伟",
                 hours: str = "8") -> int:
        """An account with the employee role and its employee record (registered by the CSR office)."""
        with self.eng.session() as s:
            u = self.eng.auth.create_user(s, username, PASSWORD, display_name=username)
            self.eng.auth.grant(s, u, PID, "employee", known_roles={"employee"})
        r = self.as_("csr1").post(f"{P}/employees", json={
            "hr_id": f"HR-{username}", "name": name, "id_number": idno(), "username": username,
            "department": department, "employment_type": employment_type, "hired_on": hired_on,
            "manager": manager, "skills": skills or [], "available_hours_month": hours})
        assert r.status_code == 201, r.text
        return int(r.json()["id"])


def ok(r: httpx.Response, code: int = 200) -> Any:
    assert r.status_code == code, r.text
    return r.json()


def serve(world: World, by: str, employee_id: int, day: str, hours: str, partner: str = "sunshine-school",
          **extra: Any) -> int:
    r = world.as_(by).post(f"{P}/services", json={"employee_id": employee_id, "served_on": day, "hours": hours,
                                                  "partner": partner, **extra})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])
