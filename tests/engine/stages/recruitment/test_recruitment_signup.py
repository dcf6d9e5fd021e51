"""Verified, throttled self sign-up: only for public programmes, a role only after the e-mailed code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from engine.notify.models import Notification
from engine.stages.recruitment.claims import MAX_ATTEMPTS

DEMO = Path(__file__).resolve().parents[3] / "programmes" / "demo_full.yaml"


def _variant(pid: str, public: bool) -> str:
    text = DEMO.read_text(encoding="utf-8").replace("id: demo-full", f"id: {pid}", 1)
    return text + f"\nrecruitment: {{public: {'true' if public else 'false'}}}\n"


@pytest.fixture
def progs(eng: Any) -> None:
    eng.load(_variant("open-prog", True), filename="open.yaml")
    eng.load(_variant("closed-prog", False), filename="closed.yaml")


def _code(eng: Any, username: str) -> str:
    from engine.store.models import User

    with eng.session() as s:
        uid = s.scalar(select(User.id).where(User.username == username))
        n = s.scalars(select(Notification).where(Notification.to_user_id == uid,
                                                 Notification.template == "identity.signup_code")).one()
        assert n.channel == "email"
        return str(n.data["code"])


def test_sign_up_gives_a_role_only_with_the_code(api: Any, eng: Any, progs: None,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOLUNTEER_SIGNUP_THROTTLE", "100/hour")
    anon = api.anonymous()
    r = anon.post("/programmes/open-prog/signup", json={"username": "newvol", "password": "correct-horse-42",
                                                          "email": "newvol@example.org"})
    assert r.status_code == 202, r.text
    signup_id, code = r.json()["signup_id"], _code(eng, "newvol")
    me = api.as_("newvol")
    assert me.get("/programmes/open-prog").status_code == 403  # no role yet
    wrong = "000000" if code != "000000" else "111111"
    bad = anon.post("/programmes/open-prog/signup/confirm", json={"signup_id": signup_id, "code": wrong})
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "code"
    assert anon.post("/programmes/closed-prog/signup/confirm",
                     json={"signup_id": signup_id, "code": code}).status_code == 404  # the wrong programme
    ok = anon.post("/programmes/open-prog/signup/confirm", json={"signup_id": signup_id, "code": code})
    assert ok.status_code == 201 and ok.json()["role"] == "volunteer"
    assert me.get("/programmes/open-prog").status_code == 200
    again = anon.post("/programmes/open-prog/signup/confirm", json={"signup_id": signup_id, "code": code})
    assert again.status_code == 404  # used


def test_a_closed_programme_answers_like_a_missing_one(api: Any, progs: None,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOLUNTEER_SIGNUP_THROTTLE", "101/hour")
    anon = api.anonymous()
    body = {"username": "x1", "password": "correct-horse-42", "email": "x1@example.org"}
    closed = anon.post("/programmes/closed-prog/signup", json=body)
    missing = anon.post("/programmes/no-such-prog/signup", json=body)
    assert closed.status_code == missing.status_code == 404
    assert closed.json()["detail"]["message"].replace("closed-prog", "P") == \
        missing.json()["detail"]["message"].replace("no-such-prog", "P")


def test_code_attempts_and_sign_ups_are_throttled(api: Any, eng: Any, progs: None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOLUNTEER_SIGNUP_THROTTLE", "2/hour")
    anon = api.anonymous()
    made = [anon.post("/programmes/open-prog/signup", json={"username": f"t{i}", "password": "correct-horse-42",
                                                             "email": f"t{i}@example.org"}) for i in range(3)]
    assert [r.status_code for r in made] == [202, 202, 429] and "Retry-After" in made[2].headers
    signup_id, code = made[0].json()["signup_id"], _code(eng, "t0")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(MAX_ATTEMPTS):
        anon.post("/programmes/open-prog/signup/confirm", json={"signup_id": signup_id, "code": wrong})
    r = anon.post("/programmes/open-prog/signup/confirm", json={"signup_id": signup_id, "code": code})
    assert r.status_code == 429  # the code is used up, even the right one
