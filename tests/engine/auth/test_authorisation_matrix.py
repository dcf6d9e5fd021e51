"""Who may do what: every role against the endpoints of every stage, allowed and refused.

Allowed means the request got past authorisation (any answer but 401/403 — it may still be a 404 or a
422 about the body); refused means 403. Nobody logged in gets 401; a person with no role in the
programme gets 403 everywhere.
"""

from __future__ import annotations

import pytest
from tests_support import make_users

P = "/programmes/demo-full"
ALL = {"admin", "coordinator", "team_leader", "supervisor", "volunteer"}
STAFF = {"admin", "coordinator", "team_leader", "supervisor"}
MANAGE = {"admin", "coordinator"}
ON_SITE = {"admin", "coordinator", "team_leader"}

NEED = {"title": "助餐", "beneficiary_group": "空巢老人", "category": "生活照料", "source": "survey",
        "frequency": 3, "urgency": 3, "people_affected": 10}

# (method, path, json body, roles allowed)
MATRIX: list[tuple[str, str, dict | None, set[str]]] = [
    ("GET", f"{P}", None, ALL),
    ("GET", f"{P}/lifecycle", None, ALL),
    ("GET", f"{P}/instances", None, STAFF),
    ("POST", f"{P}/members", {"username": "newcomer", "role": "volunteer"}, {"admin"}),
    ("GET", f"{P}/report", None, {"admin", "coordinator", "supervisor"}),
    # needs
    ("POST", f"{P}/needs", NEED, ON_SITE),
    ("GET", f"{P}/needs", None, ALL),
    ("GET", f"{P}/needs/report", None, ALL),
    ("POST", f"{P}/needs/1/projects", {"project_id": 1}, MANAGE),
    # design
    ("POST", f"{P}/projects", {"name": "助餐点"}, MANAGE),
    ("GET", f"{P}/projects", None, ALL),
    ("POST", f"{P}/projects/1/posts", {"name": "送餐员"}, MANAGE),
    ("GET", f"{P}/posts", None, ALL),
    ("POST", f"{P}/posts/1/shifts", {"starts_at": "2026-12-01T09:00", "ends_at": "2026-12-01T11:00"}, MANAGE),
    ("GET", f"{P}/shifts", None, ALL),
    ("POST", f"{P}/budget-lines", {"kind": "expense", "item": "餐盒", "planned": "300"}, MANAGE),
    ("GET", f"{P}/budget-lines", None, {"admin", "coordinator", "supervisor"}),
    ("GET", f"{P}/budget/totals", None, {"admin", "coordinator", "supervisor"}),
    # recruitment
    ("POST", f"{P}/volunteers", {"name": "李娜", "id_number": "440803198506120028", "phone": "13900139000"}, MANAGE),
    ("GET", f"{P}/volunteers", None, STAFF),
    ("POST", f"{P}/volunteers/me", {"name": "王芳", "id_number": "440803199511200035", "phone": "13700137000"},
     {"volunteer"}),
    ("GET", f"{P}/applications", None, ALL),
    ("POST", f"{P}/agreements", {"application_id": 999, "signed_on": "2026-01-05"}, MANAGE),
    # training
    ("POST", f"{P}/courses", {"code": "safety", "title": "安全知识", "hours": "2"}, MANAGE),
    ("GET", f"{P}/courses", None, ALL),
    ("GET", f"{P}/training/hours?year=2026", None, ALL),  # a volunteer sees their own hours
    # service
    ("POST", f"{P}/assignments", {"shift_id": 999, "volunteer_id": 999}, MANAGE),
    ("POST", f"{P}/assignments/999/checkin", {}, ON_SITE),
    ("POST", f"{P}/assignments/999/no-show", {}, ON_SITE),
    ("GET", f"{P}/checkins/unconfirmed", None, ON_SITE),
    ("POST", f"{P}/service/sweep", {}, MANAGE),
    ("POST", f"{P}/hour-reports/999/approve", {}, MANAGE),
    ("GET", f"{P}/incidents/open", None, STAFF),
    ("POST", f"{P}/incidents/999/escalate", {}, ON_SITE),
    # records
    ("POST", f"{P}/records", {"volunteer_id": 999, "started_at": "2026-02-01T09:00", "ended_at": "2026-02-01T10:00"},
     MANAGE),
    ("POST", f"{P}/records/verify", {"all_pending": True}, MANAGE),
    ("GET", f"{P}/totals/programme", None, STAFF),
    ("POST", f"{P}/totals/rebuild", {}, {"admin"}),
    ("GET", f"{P}/records", None, ALL),
    # rewards
    ("POST", f"{P}/catalogue", {"code": "gym", "title": "健身 1 小时", "cost": "50"}, MANAGE),
    ("GET", f"{P}/catalogue", None, ALL),
    ("POST", f"{P}/ledger/999/reverse", {"reason": "录入错误"}, {"admin"}),
    ("POST", f"{P}/honours", {"volunteer_id": 999, "title": "优秀志愿者", "awarded_on": "2026-12-05"}, MANAGE),
    ("GET", f"{P}/levels", None, STAFF),
]


@pytest.fixture
def logged_in(api, eng, demo):
    users = make_users(eng, "demo-full")
    with eng.session() as s:
        eng.auth.create_user(s, "newcomer", "correct-horse-42")
    return {role: api.as_(username) for role, username in users.items()} | {"outsider": api.as_("outsider")}


def test_every_role_against_every_endpoint(api, logged_in) -> None:
    anonymous = api.anonymous()
    wrong: list[str] = []
    for method, path, body, allowed in MATRIX:
        r = anonymous.request(method, path, json=body)
        if r.status_code != 401:
            wrong.append(f"anonymous {method} {path}: {r.status_code}, expected 401")
        for role, client in logged_in.items():
            r = client.request(method, path, json=body)
            refused = r.status_code == 403
            if role in allowed and (refused or r.status_code == 401):
                wrong.append(f"{role} {method} {path}: refused ({r.status_code}) but should be allowed: {r.text[:200]}")
            if role not in allowed and not refused:
                wrong.append(f"{role} {method} {path}: {r.status_code} but should be refused with 403")
            if refused:
                assert "detail" in r.json()  # a refusal says why
    assert wrong == [], "\n".join(wrong)


def test_refused_requests_change_nothing(api, eng, logged_in) -> None:
    from sqlalchemy import func, select

    from engine.stages.needs.models import Need

    r = logged_in["volunteer"].post(f"{P}/needs", json=NEED)
    assert r.status_code == 403 and "admin, coordinator, team_leader" in r.json()["detail"]["message"]
    with eng.session() as s:
        assert s.scalar(select(func.count()).select_from(Need)) == 0
