"""Certificates and signed bundles: what they cost, against baselines measured in the same run.

* Verification page ``GET /verify/{token}`` (one indexed lookup + page render), in-process through the
  whole app (middleware, rate limit, page gate), vs (a) a bare Starlette endpoint returning an HTML page
  of the same size through the same in-process client.
* PDF of one certificate (WeasyPrint, CJK font subset embedded) vs (b) rendering its HTML only.
* Signing and verifying a bundle of N records (Ed25519 over canonical JSON) vs (c) ``json.dumps`` of the
  same payload.

SQLite file in a temporary folder (``VOLUNTEER_DATABASE_URL`` for PostgreSQL); the commit of issuing is
outside the timed loops. Usage: ``.venv/bin/python bench/certificates.py [--lookups 300] [--records 2000]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
import time
from pathlib import Path

from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from engine import timeutil
from engine.certificates import bundles, pdf, transfer
from engine.certificates import service as certs
from engine.stages.records import service as records
from engine.stages.recruitment.models import Volunteer
from engine.testing import client, temp_engine

YAML = """\
id: bench-certs
name: 证明基准 Certificate bench
plan_type: community
organisation: {name: 基准志愿服务站, slug: bench}
period: {start: 2026-01-01, end: 2026-12-31}
"""


def timed(fn, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def summary(xs: list[float]) -> str:
    xs = sorted(xs)
    return f"p50 {statistics.median(xs):.2f} ms, p99 {xs[int(len(xs) * 0.99) - 1]:.2f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lookups", type=int, default=300)
    ap.add_argument("--records", type=int, default=2000)
    ap.add_argument("--pdfs", type=int, default=5)
    args = ap.parse_args()
    import os

    os.environ["VOLUNTEER_VERIFY_RATE"] = "1000000/minute"
    start = dt.datetime(2026, 1, 2, 9, tzinfo=dt.UTC)
    timeutil.set_clock(lambda: dt.datetime(2026, 12, 30, 9, tzinfo=dt.UTC))
    with tempfile.TemporaryDirectory() as tmp, temp_engine(Path(tmp)) as eng:
        prog = eng.load(YAML, filename="bench.yaml")
        with eng.session() as s:
            v = Volunteer(name="张三", gender="female", birth_date=dt.date(1990, 1, 1), id_number="11010119900101002X")
            s.add(v)
            s.flush()
            for i in range(args.records):
                t0 = start + dt.timedelta(hours=3 * i)
                records.insert_record(s, prog, volunteer_id=v.id, started_at=t0, ended_at=t0 + dt.timedelta(hours=2),
                                      minutes=120, category="routine", captured="coordinator", actor="b", verified=True)
            cert = certs.request(s, prog, volunteer_id=v.id, actor="b")
            certs.accept(s, prog, cert, actor="b")
            cert = certs.issue(s, prog, eng.host, cert, actor="b")
        html_page = None
        with client(eng) as c:
            c.get(f"/verify/{cert.token}")
            ours = timed(lambda: c.get(f"/verify/{cert.token}"), args.lookups)
            html_page = c.get(f"/verify/{cert.token}").text
        body = html_page

        async def bare(request):  # type: ignore[no-untyped-def]
            return HTMLResponse(body)

        with TestClient(Starlette(routes=[Route("/v", bare)])) as b:
            base = timed(lambda: b.get("/v"), args.lookups)
        print(f"verification page, {args.lookups} lookups (in-process): ours {summary(ours)}; "
              f"bare Starlette (a) {summary(base)}; ratio p50 {statistics.median(ours) / statistics.median(base):.1f}×")

        pdf.render_pdf(cert, None)  # fonts loaded once
        pdfs = timed(lambda: pdf.render_pdf(cert, None), args.pdfs)
        htmls = timed(lambda: pdf.html(cert, None), args.pdfs)
        size = len(pdf.render_pdf(cert, None))
        print(f"certificate PDF ({size // 1024} KB): {summary(pdfs)}; its HTML alone (b) {summary(htmls)}; "
              f"ratio p50 {statistics.median(pdfs) / statistics.median(htmls):.0f}×")

        with eng.session() as s:
            t = time.perf_counter()
            doc = transfer.export_bundle(s, prog, v.id, by_self=True, actor="b")
            export_ms = (time.perf_counter() - t) * 1000
        check_ms = timed(lambda: bundles.check(doc), 5)
        dumps_ms = timed(lambda: json.dumps(doc["payload"], sort_keys=True), 5)
        print(f"bundle of {args.records} records: export+sign {export_ms:.0f} ms; verify {summary(check_ms)}; "
              f"json.dumps of the payload (c) {summary(dumps_ms)}; verify/dumps p50 "
              f"{statistics.median(check_ms) / statistics.median(dumps_ms):.1f}×")
    timeutil.set_clock(None)


if __name__ == "__main__":
    main()
