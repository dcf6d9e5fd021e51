"""Test helpers for the legal_aid plan type: a programme with people, and short calls to its API."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import httpx

from engine.core import VolunteerEngine
from engine.people import check_character
from engine.store.models import User

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "legal_aid.yaml"
PASSWORD = "correct-horse-42"
PID = "legal-aid-2026"

ROLE_USERS = {"admin": "admin1", "coordinator": "coord1", "supervisor": "super1", "intake": "intake1",
              "team_leader": "leader1", "volunteer": "vol1"}


def idno(birth: str = "19800101", seq: str = "123", region: str = "110105") -> str:
    """A valid resident ID number (GB 11643 check character)."""
    first = region + birth + seq
    return first + check_character(first)


def today() -> dt.date:
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def days(n: int) -> str:
    return (today() + dt.timedelta(days=n)).isoformat()


GOOD_APP: dict[str, Any] = {
    "matter": "labour_remuneration", "household_monthly_income": "2000", "household_size": 2,
    "documents": ["identity_proof", "hardship_proof", "matter_evidence"]}

CLIENT_ID = idno("19750315", "222")


def parties(client: str = "张丽华", adverse: str = "某市宏达建筑工程有限公司", **extra: Any) -> list[dict[str, Any]]:
    out = [{"role": "client", "kind": "person", "name": client, "id_number": CLIENT_ID},
           {"role": "adverse", "kind": "org", "name": adverse}]
    return out


# username, role, profile
VOLUNTEERS: dict[str, tuple[str, dict[str, Any]]] = {
    "lawyer1": ("lawyer", {"kind": "lawyer", "person": {"name": "王建华", "id_number": idno("19780202", "111")},
                           "licence_no": "11101200810000001", "issuing_body": "某市司法局", "licence_valid_until": days(365),
                           "years_of_practice": 12, "firm": "某某律师事务所",
                           "expertise": ["labour", "wage_arrears", "work_injury", "marriage_family", "domestic_violence"]}),
    "lawyer2": ("lawyer", {"kind": "lawyer", "person": {"name": "李明远", "id_number": idno("19820303", "131")},
                           "licence_no": "11101201210000002", "issuing_body": "某市司法局", "licence_valid_until": days(365),
                           "years_of_practice": 8, "firm": "某某律师事务所", "expertise": ["labour", "contract", "housing"]}),
    "junior1": ("lawyer", {"kind": "lawyer", "person": {"name": "赵小青", "id_number": idno("19960404", "141")},
                           "licence_no": "11101202310000003", "issuing_body": "某市司法局", "licence_valid_until": days(365),
                           "years_of_practice": 2, "firm": "青年律师事务所", "expertise": ["labour", "wage_arrears"]}),
    "expired1": ("lawyer", {"kind": "lawyer", "person": {"name": "钱多多", "id_number": idno("19700505", "151")},
                            "licence_no": "11101199810000004", "issuing_body": "某市司法局", "licence_valid_until": days(-1),
                            "years_of_practice": 20, "firm": "老牌律师事务所", "expertise": ["labour"]}),
    "unsigned1": ("lawyer", {"kind": "lawyer", "person": {"name": "孙若愚", "id_number": idno("19850606", "161")},
                             "licence_no": "11101201010000005", "issuing_body": "某市司法局", "licence_valid_until": days(365),
                             "years_of_practice": 10, "firm": "第三律师事务所", "expertise": ["labour"]}),
    "student1": ("student", {"kind": "law_student", "person": {"name": "周同学", "id_number": idno("20030707", "172")},
                             "institution": "某大学法学院"}),
    "teacher1": ("law_teacher", {"kind": "law_teacher", "person": {"name": "吴教授", "id_number": idno("19690808", "182")},
                                 "institution": "某大学法学院", "expertise": ["labour"]}),
}
UNSIGNED = {"unsigned1"}


class World:
    """The example programme with accounts for every role and registered volunteers."""

    def __init__(self, eng: VolunteerEngine, api: Any) -> None:
        self.eng, self.api = eng, api
        self.prog = eng.load(EXAMPLE)
        self._clients: dict[str, httpx.Client] = {}
        with eng.session() as s:
            # One Argon2 hash for everyone (same password): hashing is deliberately slow.
            root = eng.auth.create_user(s, "root", PASSWORD, superuser=True)
            roles = set(self.prog.config.roles)
            s.add(User(username="outsider", display_name="outsider", password_hash=root.password_hash))
            for username, role in [*((u, r) for r, u in ROLE_USERS.items()),
                                   *((u, r) for u, (r, _) in VOLUNTEERS.items())]:
                u = User(username=username, display_name=username, password_hash=root.password_hash)
                s.add(u)
                s.flush()
                eng.auth.grant(s, u, PID, role, known_roles=roles)
        self.profiles: dict[str, int] = {}
        for username, (_, body) in VOLUNTEERS.items():
            r = self.as_("coord1").post(self.url("/volunteers"), json={**body, "username": username})
            assert r.status_code == 201, r.text
            self.profiles[username] = r.json()["id"]
            if username not in UNSIGNED:
                r = self.as_("coord1").post(self.url(f"/volunteers/{r.json()['id']}/agreements"), json={
                    "confidentiality_signed_on": days(-30), "no_payment_signed_on": days(-30)})
                assert r.status_code == 200, r.text

    # ------------------------------------------------------------------ http
    def as_(self, username: str) -> httpx.Client:
        """A client with a token issued directly (logging in is the engine's to test, and slow by design)."""
        if username not in self._clients:
            with self.eng.session() as s:
                token = self.eng.auth.issue_token(s, self.eng.auth.user(s, username))
            c = self.api.anonymous()
            c.headers["Authorization"] = f"Bearer {token}"
            self._clients[username] = c
        return self._clients[username]

    @staticmethod
    def url(path: str) -> str:
        return f"/programmes/{PID}/legal-aid{path}"

    def new_case(self, *, application: dict[str, Any] | None = None, party_list: list[dict[str, Any]] | None = None,
                 case_type: str = "labour", **extra: Any) -> dict[str, Any]:
        body = {"case_type": case_type, "service_point": "city-trade-union", "channel": "walk_in",
                "summary": "拖欠工资三个月，约 2.4 万元 / three months' wages unpaid",
                "application": application or GOOD_APP, "parties": party_list or parties(), **extra}
        r = self.as_("intake1").post(self.url("/cases"), json=body)
        assert r.status_code == 201, r.text
        return r.json()

    def case(self, case_id: int, username: str = "super1") -> httpx.Response:
        return self.as_(username).get(self.url(f"/cases/{case_id}"))

    def fire(self, username: str, case: dict[str, Any], trigger: str, payload: dict[str, Any] | None = None,
             ) -> httpx.Response:
        return self.as_(username).post(f"/programmes/{PID}/instances/{case['instance_id']}/fire",
                                       json={"trigger": trigger, "payload": payload or {}})

    def ok(self, username: str, case: dict[str, Any], trigger: str, payload: dict[str, Any] | None = None,
           ) -> dict[str, Any]:
        r = self.fire(username, case, trigger, payload)
        assert r.status_code == 200, r.text
        return r.json()

    def refused(self, username: str, case: dict[str, Any], trigger: str, payload: dict[str, Any] | None = None,
                status: int = 422) -> list[str]:
        r = self.fire(username, case, trigger, payload)
        assert r.status_code == status, r.text
        return r.json()["detail"].get("reasons", [r.json()["detail"]["message"]])

    def to_cleared(self, case: dict[str, Any]) -> None:
        for t in ("precheck", "verify", "clear_conflicts"):
            self.ok("intake1", case, t)

    def consent(self, case: dict[str, Any]) -> None:
        r = self.as_("intake1").post(self.url(f"/cases/{case['id']}/consent"), json={
            "signed_on": today().isoformat(), "informed_of": ["content", "scope", "risks", "volunteer_identity"]})
        assert r.status_code == 200, r.text

    def assign(self, case: dict[str, Any], username: str = "lawyer1") -> dict[str, Any]:
        return self.ok("super1", case, "assign", {"profile_id": self.profiles[username]})
