"""Claiming a login-less record needs the code sent to the record's own phone (or a coordinator who
saw the ID card); an impostor who knows a name and an ID number gets the same answer and nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from recruitment_helpers import make_id
from sqlalchemy import select
from tests_support import PASSWORD, make_users

from engine.notify.models import Notification
from engine.stages.recruitment.claims import MAX_ATTEMPTS
from engine.stages.recruitment.models import Volunteer

BASE = "/programmes/demo-full"
REAL = {"name": "张三", "id_number": make_id(dt.date(1990, 3, 7), 1), "phone": "13800138000"}


@pytest.fixture
def world(eng: Any, demo: Any, api: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("VOLUNTEER_NOTIFY_SENDERS", "console,console-sms")  # codes go out by text message
    make_users(eng, demo.id)
    with eng.session() as s:
        known = set(demo.config.roles)
        for name in ("impostor", "other"):
            eng.auth.grant(s, eng.auth.create_user(s, name, PASSWORD), demo.id, "volunteer", known_roles=known)
    coord = api.as_("coord1")
    r = coord.post(f"{BASE}/volunteers", json=REAL)  # registered at the desk, no login yet
    assert r.status_code == 201
    return {"vid": r.json()["volunteer"]["id"], "coord": coord, "vol1": api.as_("vol1"),
            "impostor": api.as_("impostor"), "other": api.as_("other")}


def _codes(eng: Any, vid: int) -> list[str]:
    with eng.session() as s:
        rows = s.scalars(select(Notification).where(Notification.to_volunteer_id == vid,
                                                    Notification.template == "identity.claim_code")
                         .order_by(Notification.id)).all()
        assert all(n.channel == "sms" for n in rows)
        return [n.data["code"] for n in rows]


def _linked(eng: Any, vid: int) -> int | None:
    with eng.session() as s:
        return s.get(Volunteer, vid).user_id


def _same_shape(a: Any, b: Any) -> bool:
    ja, jb = a.json(), b.json()
    def text(j: dict[str, Any]) -> str:
        return str(j["message"]).replace(f"申领号 {j['claim_id']}", "").replace(f"claim {j['claim_id']}", "")

    return a.status_code == b.status_code == 202 and set(ja) == set(jb) and text(ja) == text(jb)


def test_impostor_and_owner_get_the_same_answer_and_only_the_phone_gets_a_code(world: dict[str, Any],
                                                                                 eng: Any) -> None:
    wrong_name = world["impostor"].post(f"{BASE}/volunteers/me", json={**REAL, "name": "李四"})
    right_name = world["vol1"].post(f"{BASE}/volunteers/me", json=REAL)
    assert _same_shape(wrong_name, right_name)
    assert REAL["phone"] not in wrong_name.text and "13800" not in wrong_name.text
    assert _linked(eng, world["vid"]) is None  # nothing linked yet
    codes = _codes(eng, world["vid"])
    assert len(codes) == 1  # only the claim with matching details sends one, to the stored phone
    # the impostor cannot confirm: there is no code for a decoy claim
    r = world["impostor"].post(f"{BASE}/volunteers/me/claim",
                               json={"claim_id": wrong_name.json()["claim_id"], "code": codes[0]})
    assert r.status_code == 422 and _linked(eng, world["vid"]) is None
    # nor use someone else's claim number
    r = world["impostor"].post(f"{BASE}/volunteers/me/claim",
                               json={"claim_id": right_name.json()["claim_id"], "code": codes[0]})
    assert r.status_code == 404
    ok = world["vol1"].post(f"{BASE}/volunteers/me/claim", json={"claim_id": right_name.json()["claim_id"],
                                                                  "code": codes[0]})
    assert ok.status_code == 201, ok.text
    assert ok.json()["volunteer"]["id_number"] == REAL["id_number"] and ok.json()["enrolment"]["volunteer_id"] == world["vid"]
    assert world["vol1"].get(f"{BASE}/volunteers/me").json()["volunteer"]["id"] == world["vid"]
    # once linked, another login claiming it still gets the same 202 (no 409 telling it exists)
    again = world["other"].post(f"{BASE}/volunteers/me", json=REAL)
    assert _same_shape(again, right_name) and len(_codes(eng, world["vid"])) == 1


def test_code_attempts_are_limited(world: dict[str, Any], eng: Any) -> None:
    claim = world["vol1"].post(f"{BASE}/volunteers/me", json=REAL).json()["claim_id"]
    real = _codes(eng, world["vid"])[0]
    wrong = "000000" if real != "000000" else "111111"
    for n in range(MAX_ATTEMPTS):
        r = world["vol1"].post(f"{BASE}/volunteers/me/claim", json={"claim_id": claim, "code": wrong})
        assert r.status_code == 422 and r.json()["detail"]["field"] == "code", n
    r = world["vol1"].post(f"{BASE}/volunteers/me/claim", json={"claim_id": claim, "code": real})
    assert r.status_code == 429 and "Retry-After" in r.headers  # even the right code, once used up
    assert _linked(eng, world["vid"]) is None


def test_claims_per_login_are_throttled(world: dict[str, Any]) -> None:
    answers = [world["impostor"].post(f"{BASE}/volunteers/me", json={**REAL, "name": f"猜{i}"}).status_code
               for i in range(6)]
    assert answers[:5] == [202] * 5 and answers[5] == 429


def test_a_coordinator_confirms_in_person_with_the_id_card(world: dict[str, Any], eng: Any) -> None:
    claim = world["vol1"].post(f"{BASE}/volunteers/me", json=REAL).json()["claim_id"]
    other_id = make_id(dt.date(1991, 1, 1), 2)
    assert world["coord"].post(f"{BASE}/identity-claims/{claim}/confirm",
                               json={"id_number": other_id}).status_code == 404
    assert world["vol1"].post(f"{BASE}/identity-claims/{claim}/confirm",
                              json={"id_number": REAL["id_number"]}).status_code == 403
    r = world["coord"].post(f"{BASE}/identity-claims/{claim}/confirm", json={"id_number": REAL["id_number"]})
    assert r.status_code == 201 and REAL["phone"] not in r.text and REAL["id_number"] not in r.text
    assert _linked(eng, world["vid"]) is not None
