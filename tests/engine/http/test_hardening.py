"""The HTTP surface as an outside tester sees it: security headers, offline API docs, one declared
error body, and bad input refused as a 4xx naming the field — the same on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from openapi_audit import audit
from tests_support import make_users

from engine.http.errors import ERROR_STATUSES

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture
def site(eng, api):
    """The community example loaded, accounts for every role in it."""
    prog = eng.load(EXAMPLES / "community.yaml")
    make_users(eng, prog.id)
    return prog


def test_security_headers_on_api_pages_and_docs(api) -> None:
    with httpx.Client(base_url=api.url, timeout=60) as c:
        for path, policy_part in (("/api/v1/health", "default-src 'none'"), ("/", "script-src 'self'"),
                                  ("/login", "form-action 'self'"), ("/docs", "script-src 'self' 'unsafe-inline'"),
                                  ("/api/v1/no-such-thing", "default-src 'none'")):
            r = c.get(path)
            assert policy_part in r.headers["content-security-policy"], path
            assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["referrer-policy"] == "no-referrer"
            assert r.headers["x-frame-options"] == "DENY"
            assert "strict-transport-security" not in r.headers  # plain HTTP: HSTS would be ignored
        tls = c.get("/api/v1/health", headers={"X-Forwarded-Proto": "https"})  # a trusted local TLS proxy
        assert tls.headers["strict-transport-security"].startswith("max-age=")


def test_login_cookie_is_secure_behind_a_tls_proxy(eng, api) -> None:
    make_users(eng, eng.load(EXAMPLES / "community.yaml").id)
    for headers, secure in (({}, False), ({"X-Forwarded-Proto": "https"}, True)):
        with httpx.Client(base_url=api.url, timeout=60) as c:  # a browser: the form first, then its CSRF field (the form over plain HTTP: httpx keeps no Secure cookie for http://)
            token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
            r = c.post("/login", headers=headers,
                       data={"username": "coord1", "password": "correct-horse-42", "csrf": token})
            assert r.status_code == 303, r.text[-300:]
            session = [v.lower() for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith("ve_token=")]
            assert session, r.headers
            assert ("; secure" in session[0]) is secure
            assert "httponly" in session[0] and "samesite=lax" in session[0]  # lax: a link from a chat or QR app keeps the login; CSRF tokens guard the forms


def test_api_docs_work_offline(api) -> None:
    with httpx.Client(base_url=api.url, timeout=60) as c:
        for page in ("/docs", "/redoc"):
            html = c.get(page).text
            assert not re.search(r"""(src|href)=["']https?://""", html), page  # nothing from a CDN
            assets = re.findall(r"""(?:src|href)=["'](/static/docs/[^"']+)["']""", html)
            assert assets, page
            for asset in assets:
                r = c.get(asset)
                assert r.status_code == 200 and len(r.content) > 1000, asset


def test_every_operation_declares_the_error_body(api) -> None:
    doc = httpx.get(f"{api.url}/api/v1/openapi.json", timeout=120).json()
    assert set(doc["components"]["schemas"]["ErrorBody"]["properties"]) == {"detail"}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            for status in ERROR_STATUSES:
                schema = op["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, status)
    assert audit(doc) == []  # every integer, number and body string has bounds the store can hold


BAD_INPUT = [
    # (method, path under the programme, json body or None, query, the field named)
    ("GET", "/shifts/2147483648", None, {}, "path.shift_id"),
    ("GET", "/shifts/99999999999999999999999", None, {}, "path.shift_id"),
    ("GET", "/instances", None, {"offset": "-1"}, "query.offset"),
    ("GET", "/instances", None, {"limit": "-1"}, "query.limit"),
    ("GET", "/instances", None, {"offset": "9223372036854775808"}, "query.offset"),
    ("GET", "/instances", None, {"state": "a\x00b"}, "query.state"),
    ("POST", "/projects", {"name": "x\x00y"}, {}, "body.name"),
    ("POST", "/projects", {"name": "\ud800"}, {}, "body.name"),
    ("POST", "/projects", {"name": "p", "start_date": "0001-01-01"}, {}, "body.start_date"),
    ("POST", "/projects", {"name": "p", "start_date": "10000-01-01"}, {}, "body.start_date"),
    ("POST", "/projects", {"name": "p", "need_ids": [2147483648]}, {}, "body.need_ids.0"),
    ("POST", "/ledger", {"volunteer_id": 1, "amount": 1.2e308, "reason": "x"}, {}, "body.amount"),
    ("POST", "/catalogue", {"code": "c", "title": "t", "cost": None}, {}, "body.cost"),
    ("PATCH", "/catalogue/1", {"cost": None}, {}, "body.cost"),
    ("POST", "/community/time-bank/transfers", {"to_volunteer": 1, "amount": 1.2e308}, {}, "body.amount"),
    ("POST", "/instances/1/fire", {"trigger": "t", "payload": {"note": "\x00"}}, {}, "body.payload.note"),
]


@pytest.mark.parametrize(("method", "path", "body", "query", "field"), BAD_INPUT,
                         ids=[f"{m} {p} {f}" for m, p, _, _, f in BAD_INPUT])
def test_bad_input_is_a_422_naming_the_field(api, site, method, path, body, query, field) -> None:
    root = api.as_("root")
    r = root.request(method, f"/programmes/{site.id}{path}", params=query,
                     content=None if body is None else _json(body),
                     headers={"Content-Type": "application/json"} if body is not None else None)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert detail["field"] == field and detail["error"] == "InvalidInput"
    assert "输入有误" in detail["message"] and "invalid input" in detail["message"]
    assert "\x00" not in r.text and "\\ud800" not in r.text  # the offending value is not echoed


def _json(body: object) -> bytes:
    import json

    return json.dumps(body, ensure_ascii=True).encode("ascii")  # keeps "\ud800" as an escape on the wire


def test_nul_in_a_path_segment_and_a_login_form(api, site) -> None:
    root = api.as_("root")
    r = root.get(f"/programmes/{site.id}%00/lifecycle")
    assert r.status_code == 422 and r.json()["detail"]["field"].startswith("path.")
    r = api.anonymous().post("/auth/token", data={"username": "root\x00", "password": "x"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "body.username"


def test_yaml_with_control_characters_is_a_config_error(api, site) -> None:
    r = api.as_("root").post("/programmes", json={"yaml": "id: x\x89\nname: y\n"})
    assert r.status_code == 422 and r.json()["detail"]["error"] == "ConfigError"


def test_within_days_is_bounded(eng, api) -> None:
    prog = eng.load(EXAMPLES / "legal_aid.yaml")
    make_users(eng, prog.id, {"admin": "la-admin"})
    r = api.as_("root").get(f"/programmes/{prog.id}/legal-aid/deadlines", params={"within_days": 5_000_000})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "query.within_days"


def test_unknown_paths_and_methods_answer_in_the_error_shape(api) -> None:
    with httpx.Client(base_url=api.url, timeout=60) as c:  # a loaded CI machine: not httpx's 5 s
        r = c.get("/api/v1/nothing-here")
        assert r.status_code == 404 and r.json()["detail"]["error"] == "NotFound"
        r = c.delete("/api/v1/health")
        assert r.status_code == 405 and r.json()["detail"]["error"] == "MethodNotAllowed"
