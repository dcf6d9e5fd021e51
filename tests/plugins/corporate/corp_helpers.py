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


def fire(world: World, who: str, instance_id: int, trigger: str, **payload: Any) -> httpx.Response:
    return world.as_(who).post(f"/programmes/{PID}/instances/{instance_id}/fire",
                               json={"trigger": trigger, "payload": payload})


PLAN_2026 = {"kind": "plan", "year": 2026, "title": "2026 年度员工志愿服务计划 Yearly plan 2026",
             "amount_requested": "100000.00",
             "budget": [{"item": "项目运营 Project operations", "planned": "60000.00"},
                        {"item": "培训 Training", "planned": "15000.00"},
                        {"item": "保险 Insurance", "planned": "10000.00"},
                        {"item": "表彰 Recognition", "planned": "15000.00"}]}


def approved_plan(world: World, amount: str = "80000.00") -> dict[str, Any]:
    plan = ok(world.as_("csr1").post(f"{P}/proposals", json=PLAN_2026), 201)
    ok(fire(world, "csr1", plan["instance_id"], "submit"))
    for cm in ("cm1", "cm2", "cm3"):
        ok(world.as_(cm).post(f"{P}/proposals/{plan['id']}/votes", json={"vote": "approve", "amount": amount}))
    ok(fire(world, "cm1", plan["instance_id"], "approve", comment="同意 Agreed"))
    return ok(world.as_("csr1").get(f"{P}/proposals/{plan['id']}"))


def approved_project(world: World, plan_id: int, **over: Any) -> dict[str, Any]:
    body = {"kind": "project", "year": 2026, "plan_id": plan_id, "title": "阳光学校编程课 Coding club",
            "partner": "sunshine-school", "department": "it", "skills": ["programming", "teaching"], "slots": 8,
            "hours_per_person": "16", "beneficiaries_planned": 120, "amount_requested": "20000.00",
            "budget": [{"item": "教材 Materials", "planned": "12000.00"}, {"item": "交通 Transport", "planned": "8000.00"}],
            **over}
    proj = ok(world.as_("csr1").post(f"{P}/proposals", json=body), 201)
    ok(fire(world, "csr1", proj["instance_id"], "submit"))
    for cm in ("cm1", "cm2", "cm3"):
        ok(world.as_(cm).post(f"{P}/proposals/{proj['id']}/votes", json={"vote": "approve"}))
    ok(fire(world, "cm2", proj["instance_id"], "approve"))
    return ok(world.as_("csr1").get(f"{P}/proposals/{proj['id']}"))
