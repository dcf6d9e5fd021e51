"""Accounts and sessions over real HTTP: throttled logins, logout, password change, disabled
accounts and revoked roles — each effective on the very next request."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from tests_support import PASSWORD, Api, make_users

from engine.auth.throttle import LoginThrottle
from engine.http.app import create_app
from engine.testing import LiveServer

PROGRAMME = Path(__file__).resolve().parents[2] / "programmes" / "demo_full.yaml"
P = "/programmes/demo-full"


@pytest.fixture
def users(eng):
    eng.load(PROGRAMME)
    return make_users(eng, "demo-full")


def _token(c: httpx.Client, username: str, password: str = PASSWORD) -> httpx.Response:
    return c.post("/auth/token", data={"username": username, "password": password})


@pytest.fixture
def anon(eng, users):
    """An anonymous client of a server that allows 3 failed logins per account and address."""
    eng.auth.throttle = LoginThrottle("3/15 minutes")
    with LiveServer(create_app(eng)) as server:
        api = Api(server.url)
        yield api.anonymous()
        api.close()


def test_failed_logins_are_throttled_per_account_and_address(anon) -> None:
    for _ in range(3):
        assert _token(anon, "coord1", "wrong-password-x").status_code == 401
    r = _token(anon, "coord1", PASSWORD)  # even the right password waits now
    assert r.status_code == 429 and 1 <= int(r.headers["Retry-After"]) <= 15 * 60
    assert "coord1" not in r.text and "请" in r.text and "try again" in r.json()["detail"]["message"]
    # the same address is not blocked: the other accounts behind it log in as usual
    assert _token(anon, "vol1").status_code == 200
    # and the same account from another address (through the trusted local proxy) is not either
    r = anon.post("/auth/token", data={"username": "coord1", "password": PASSWORD},
                  headers={"X-Forwarded-For": "203.0.113.7"})
    assert r.status_code == 200
    # an unknown account is throttled the same way (no telling which accounts exist)
    for _ in range(3):
        assert _token(anon, "nobody-here", "wrong-password-x").status_code == 401
    assert _token(anon, "nobody-here", "wrong-password-x").status_code == 429


def test_a_good_login_clears_the_count(anon) -> None:
    for _ in range(2):
        for _ in range(2):
            assert _token(anon, "coord1", "wrong-password-x").status_code == 401
        assert _token(anon, "coord1").status_code == 200


def test_logout_revokes_only_that_token(api, users) -> None:
    first, second = api.as_("coord1"), api.as_("coord1")
    assert first.post("/auth/logout").status_code == 200
    assert first.get("/me").status_code == 401
    assert second.get("/me").status_code == 200


def test_password_change_revokes_every_token(api, users) -> None:
    first, second = api.as_("coord1"), api.as_("coord1")
    r = first.post("/me/password", json={"current_password": "not-it-at-all", "new_password": "a-new-long-secret-9"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "body.current_password"
    r = first.post("/me/password", json={"current_password": PASSWORD, "new_password": "password123"})
    assert r.status_code == 422 and "常见密码" in r.json()["detail"]["message"]
    assert first.post("/me/password", json={"current_password": PASSWORD,
                                            "new_password": "a-new-long-secret-9"}).status_code == 200
    assert first.get("/me").status_code == 401 and second.get("/me").status_code == 401
    assert _token(api.anonymous(), "coord1").status_code == 401
    assert api.as_("coord1", "a-new-long-secret-9").get("/me").status_code == 200


def test_operator_disables_an_account_and_resets_a_password(api, users) -> None:
    vol, root = api.as_("vol1"), api.as_("root")
    assert api.as_("coord1").put("/users/vol1/active", json={"active": False}).status_code == 403
    assert root.put("/users/vol1/active", json={"active": False}).json() == {"username": "vol1", "active": False}
    assert vol.get(P).status_code == 401  # the next request already
    assert _token(api.anonymous(), "vol1").status_code == 401
    assert root.put("/users/vol1/active", json={"active": True}).status_code == 200
    assert root.put("/users/vol1/password", json={"password": "short"}).status_code == 422
    assert root.put("/users/vol1/password", json={"password": "another-long-secret"}).status_code == 200
    assert api.as_("vol1", "another-long-secret").get(P).status_code == 200


def test_revoked_role_stops_working_on_the_next_request(api, users) -> None:
    coord, admin = api.as_("coord1"), api.as_("admin1")
    assert coord.get(f"{P}/volunteers").status_code == 200
    assert coord.delete(f"{P}/members/leader1/team_leader").status_code == 403  # admins only
    assert admin.delete(f"{P}/members/coord1/coordinator").json()["revoked"] == "coordinator"
    assert coord.get(f"{P}/volunteers").status_code == 403
    assert admin.delete(f"{P}/members/coord1/coordinator").status_code == 404


def test_password_policy_applies_to_new_accounts(api, users) -> None:
    root = api.as_("root")
    for password, words in (("short-1", "至少"), ("iloveyou1314", "常见密码"), ("newcomer-x", "用户名")):
        r = root.post("/users", json={"username": "newcomer-x", "password": password})
        assert r.status_code == 422 and words in r.json()["detail"]["message"], r.text
        assert r.json()["detail"]["field"] == "password"
    assert root.post("/users", json={"username": "newcomer-x", "password": "a-long-unusual-one"}).status_code == 201


def test_cli_disables_revokes_and_resets(eng, users, api, tmp_path) -> None:
    """The operator's commands act on the same store, and the next request already sees them."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "VOLUNTEER_DATABASE_URL": eng.db.url}

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "engine.cli.main", "user", *args], env=env, input=stdin,
                              capture_output=True, text=True, timeout=120, cwd=tmp_path)

    coord, vol = api.as_("coord1"), api.as_("vol1")
    assert run("revoke", "coord1", "demo-full", "coordinator").returncode == 0
    assert coord.get(f"{P}/volunteers").status_code == 403
    assert run("revoke", "coord1", "demo-full", "coordinator").returncode == 1  # held no longer
    assert run("disable", "vol1").returncode == 0
    assert vol.get(P).status_code == 401
    assert run("enable", "vol1").returncode == 0
    weak = run("passwd", "vol1", stdin="12345678\n12345678\n")
    assert weak.returncode == 1 and "至少" in weak.stderr
    assert run("passwd", "vol1", stdin="a-fresh-long-secret\na-fresh-long-secret\n").returncode == 0
    assert api.as_("vol1", "a-fresh-long-secret").get(P).status_code == 200
