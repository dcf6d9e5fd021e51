"""Run schemathesis over the whole OpenAPI of a live app, with an operator token and real programmes.

Used by ``tests/fuzz/test_openapi_fuzz.py``; runnable by hand for a longer look::

    .venv/bin/python tests/fuzz/fuzz_support.py --seconds 600
    VOLUNTEER_DATABASE_URL=postgresql+psycopg://… .venv/bin/python tests/fuzz/fuzz_support.py

The run is bounded by ``--max-time`` (the whole run, not per operation) and fails on a 5xx, on a
status code or content type the OpenAPI does not declare, and on a response that does not match
its declared schema.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


@dataclass
class FuzzResult:
    operations: int = 0
    failures: Counter[tuple[str, str]] = field(default_factory=Counter)  # (check, operation) → count
    samples: list[str] = field(default_factory=list)
    exit_code: int = 0
    output: str = ""

    def by_check(self) -> Counter[str]:
        out: Counter[str] = Counter()
        for (check, _op), n in self.failures.items():
            out[check] += n
        return out

    def summary(self) -> str:
        ops = {op for (_c, op) in self.failures}
        lines = [f"{sum(self.failures.values())} failure(s) over {len(ops)} of {self.operations} operations: "
                 + ", ".join(f"{c}={n}" for c, n in sorted(self.by_check().items()))]
        lines += [f"  {check}  {op}  ×{n}" for (check, op), n in sorted(self.failures.items())]
        lines += self.samples[:40]
        return "\n".join(lines)


def seed(eng: Any, password: str) -> dict[str, str]:
    """Load the example programmes and create an operator account; plan type → programme id."""
    programmes = {}
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        p = eng.load(path)
        programmes[p.plan_type_id] = p.id
    with eng.session() as s:
        user = eng.auth.create_user(s, "fuzz-operator", password, superuser=True)
        for pid in programmes.values():  # every role, so role-gated routes are reached too
            roles = set(eng.programme(pid, s).config.roles)
            for role in roles:
                eng.auth.grant(s, user, pid, role, known_roles=roles)
    return programmes


def st_config(programmes: dict[str, str]) -> str:
    """Schemathesis configuration: real programme ids in ``programme_id`` (the one of the plan type
    for its own routes), and small ids that exist for the other path ids half the time."""
    def values(items: list[Any]) -> str:
        return "[" + ", ".join(json.dumps(v) for v in items) + "]"

    lines = [f"[dictionaries.programmes]\nvalues = {values(sorted(programmes.values()))}",
             f"[dictionaries.small_ids]\nvalues = {values([1, 2, 3])}"]
    lines += [f"[dictionaries.{plan}]\nvalues = {values([pid])}" for plan, pid in programmes.items()]
    lines.append('[parameters]\n"path.programme_id" = { dictionary = "programmes", probability = 0.95 }')
    for plan in programmes:
        lines.append(f'[[operations]]\ninclude-path-regex = "/{plan.replace("_", "-")}/"\n'
                     f'parameters = {{ "path.programme_id" = {{ dictionary = "{plan}", probability = 0.95 }} }}')
    return "\n\n".join(lines) + "\n"


def run(base_url: str, token: str, programmes: dict[str, str], seconds: int, report_dir: Path,
        workers: int = 2, checks: str = CHECKS) -> FuzzResult:
    config = report_dir / "schemathesis.toml"
    config.write_text(st_config(programmes), encoding="utf-8")
    env = dict(os.environ)
    ndjson = report_dir / "events.ndjson"
    cmd = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run", f"{base_url}/api/v1/openapi.json",
           "--max-time", str(seconds), "--workers", str(workers), "--checks", checks,
           "-H", f"Authorization: Bearer {token}", "--request-timeout", "30", "--seed", "1",
           "--suppress-health-check", "all", "--report", "ndjson", "--report-ndjson-path", str(ndjson),
           "--continue-on-failure"]
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=report_dir, timeout=2 * seconds + 60)
    except subprocess.TimeoutExpired as exc:
        result = FuzzResult(exit_code=-1, output=f"schemathesis overran its budget: {exc}")
        result.failures[("time_budget", "whole run")] += 1
        return result
    result = FuzzResult(exit_code=proc.returncode, output=proc.stdout + proc.stderr)
    if ndjson.exists():
        _read_events(ndjson, result)
    return result


def _read_events(path: Path, result: FuzzResult) -> None:
    ops: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        for kind, body in event.items():
            if not isinstance(body, dict):
                continue
            label = body.get("label") or (body.get("recorder") or {}).get("label")
            if label:
                ops.add(label)
            recorder = body.get("recorder") or {}
            for checks in (recorder.get("checks") or {}).values():
                for check in checks:
                    if str(check.get("status", "")).lower() == "failure":
                        key = (check.get("name", "?"), recorder.get("label", "?"))
                        result.failures[key] += 1
                        failure = check.get("failure_info") or {}
                        if len(result.samples) < 200:
                            result.samples.append(f"    {key[1]}: {json.dumps(failure, ensure_ascii=False)[:600]}")
            _ = kind
    result.operations = len(ops)


def main() -> None:
    import argparse
    import tempfile

    os.environ.setdefault("VOLUNTEER_FAST_PASSWORD_HASH", "1")
    sys.path.insert(0, str(ROOT))
    from engine.http.app import create_app
    from engine.testing import LiveServer, temp_engine

    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--checks", default=CHECKS)
    parser.add_argument("--report-dir", type=Path, help="keep the report here (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, temp_engine(Path(tmp) / "db") as eng:
        report_dir = (args.report_dir or Path(tmp)).resolve()
        report_dir.mkdir(parents=True, exist_ok=True)
        programmes = seed(eng, "fuzz-operator-pass-1")
        with LiveServer(create_app(eng)) as server:
            import httpx

            token = httpx.post(f"{server.url}/api/v1/auth/token",
                               data={"username": "fuzz-operator", "password": "fuzz-operator-pass-1"}).json()["access_token"]
            result = run(server.url, token, programmes, args.seconds, report_dir, args.workers, args.checks)
        (report_dir / "output.txt").write_text(result.output, encoding="utf-8")
    print(result.summary())


if __name__ == "__main__":
    main()
