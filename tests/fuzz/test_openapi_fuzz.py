"""Schemathesis over every operation of the OpenAPI, as an operator holding every role, with the
example programmes loaded: no 5xx, no status code or content type the document does not declare,
no response that breaks its declared schema — on whichever database the suite runs on.

Bounded in time: ``VOLUNTEER_FUZZ_SECONDS`` (default 100; 0 skips the run) is schemathesis's budget
for the whole run, and a run is stopped for good at twice that. Longer runs by hand:
``.venv/bin/python tests/fuzz/fuzz_support.py --seconds 600``.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from fuzz.fuzz_support import run, seed

from engine.http.app import create_app
from engine.testing import LiveServer

SECONDS = int(os.environ.get("VOLUNTEER_FUZZ_SECONDS", "100"))
PASSWORD = "fuzz-operator-pass-1"


@pytest.mark.skipif(SECONDS <= 0, reason="VOLUNTEER_FUZZ_SECONDS=0")
def test_no_server_error_or_undeclared_response(eng, tmp_path: Path) -> None:
    programmes = seed(eng, PASSWORD)
    with LiveServer(create_app(eng)) as server:
        token = httpx.post(f"{server.url}/api/v1/auth/token",
                           data={"username": "fuzz-operator", "password": PASSWORD}).json()["access_token"]
        operations = sum(len(item) for item in httpx.get(f"{server.url}/api/v1/openapi.json", timeout=120).json()["paths"].values())
        result = run(server.url, token, programmes, SECONDS, tmp_path)
    assert result.operations >= operations, result.output[-3000:]
    assert not result.failures, result.summary()
