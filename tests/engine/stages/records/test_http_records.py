"""The records stage over real HTTP: entry, verification, correction, totals, export and import."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from svc_helpers import Site, load_service_programme
from tests_support import make_users

from engine.stages.recruitment.models import Enrolment


@pytest.fixture
def people(eng: Any, prog: Any, site: Site) -> dict[str, Any]:
    make_users(eng, prog.id)
    with eng.session() as s:
        project = site.project(s, "入口引导")
        post = site.post(s, project, "入口引导员", category="professional")
        v1 = site.volunteer(s, "张三", user_id=eng.auth.user(s, "vol1").id)
        v2 = site.volunteer(s, "李四")
        return {"v1": v1.id, "v2": v2.id, "post": post.id, "project": project.id}


def enter(c: Any, prog: Any, vid: int, start: str, end: str, **kw: Any) -> Any:
    return c.post(f"/programmes/{prog.id}/records", json={"volunteer_id": vid, "started_at": start,
                                                          "ended_at": end, **kw})


def test_entry_verify_reverse_totals(api: Any, prog: Any, people: dict[str, Any]) -> None:
    coord, vol = api.as_("coord1"), api.as_("vol1")
    base = f"/programmes/{prog.id}"
    assert enter(vol, prog, people["v1"], "2026-05-01T09:00", "2026-05-01T11:00").status_code == 403
    r = enter(coord, prog, people["v1"], "2026-05-01T09:00", "2026-05-01T11:00", post_id=people["post"], rating=5)
    assert r.status_code == 201, r.text
    rec = r.json()
    # no offset: read in the programme's zone (Asia/Shanghai, +08:00)
    assert dt.datetime.fromisoformat(rec["started_at"]) == dt.datetime(2026, 5, 1, 1, 0, tzinfo=dt.UTC)
    assert rec["minutes"] == 120
    assert (rec["category"], rec["captured"], rec["verified_by"], rec["project_id"]) == (
        "professional", "coordinator", "coord1", people["project"])
    pending = enter(coord, prog, people["v1"], "2026-05-02T09:00", "2026-05-02T10:30", verify=False).json()
    assert vol.get(f"{base}/totals/volunteers/{people['v1']}").json()["minutes"] == 120
    assert vol.post(f"{base}/records/verify", json={"ids": [pending["id"]]}).status_code == 403
    assert coord.post(f"{base}/records/verify", json={"ids": [pending["id"]]}).json() == {
        "verified": [pending["id"]], "already": []}
    assert vol.get(f"{base}/totals/volunteers/{people['v1']}").json()["minutes"] == 210
    bad = enter(coord, prog, people["v1"], "2026-05-03T09:00", "2026-05-03T08:00")
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "ended_at"
    fix = coord.post(f"{base}/records/{pending['id']}/reverse",
                     json={"reason": "实际 60 分钟", "replacement": {"ended_at": "2026-05-02T10:00"}})
    assert fix.status_code == 201, fix.text
    assert fix.json()["reversal"]["minutes"] == -90 and fix.json()["replacement"]["minutes"] == 60
    assert coord.post(f"{base}/records/{pending['id']}/reverse", json={"reason": "again"}).status_code == 409
    totals = coord.get(f"{base}/totals/programme").json()
    assert (totals["minutes"], totals["records"], totals["volunteers"]) == (180, 2, 1)
    assert coord.get(f"{base}/totals/projects/{people['project']}").json()["minutes"] == 120
    assert [t["minutes"] for t in coord.get(f"{base}/totals/volunteers").json()] == [180]
    assert vol.get(f"{base}/totals/programme").status_code == 403
    assert coord.post(f"{base}/totals/rebuild").status_code == 403
    assert api.as_("admin1").post(f"{base}/totals/rebuild").json() == {"volunteers": 1}
    assert [r["minutes"] for r in vol.get(f"{base}/records").json()] == [120, 90, -90, 60]
    assert vol.get(f"{base}/records/{rec['id']}").status_code == 200


def test_export_and_import_over_http(eng: Any, api: Any, prog: Any, people: dict[str, Any]) -> None:
    """The export is a signed bundle; another organisation imports it once it trusts the issuer's key and
    the volunteer's consent is recorded (docs/certificates.md)."""
    from engine.orgs import trust
    from engine.orgs.service import organisation_of

    other = load_service_programme(eng, "svc-elsewhere", org="异地志愿服务站")
    with eng.session() as s:
        coord2 = eng.auth.create_user(s, "coord2", "correct-horse-42")
        eng.auth.grant(s, coord2, other.id, "coordinator", known_roles=set(other.config.roles))
        s.add(Enrolment(programme_id=other.id, volunteer_id=people["v1"], source="self"))  # joined there first
    coord, vol = api.as_("coord1"), api.as_("vol1")
    enter(coord, prog, people["v1"], "2026-05-01T09:00", "2026-05-01T11:00", post_id=people["post"])
    enter(coord, prog, people["v1"], "2026-05-02T09:00", "2026-05-02T10:00", post_id=people["post"])
    base = f"/programmes/{prog.id}/records/export"
    as_json = vol.get(base)
    assert as_json.status_code == 200 and as_json.headers["content-type"].startswith("application/json")
    doc = as_json.json()
    assert doc["payload"]["format"] == "volunteer-engine/signed-records"
    assert doc["payload"]["totals"] == {"records": 2, "minutes": 180} and doc["signature"]["alg"] == "Ed25519"
    assert vol.get(base, params={"volunteer_id": people["v2"]}).status_code == 403
    no_consent = coord.get(base, params={"volunteer_id": people["v1"]})  # staff: only with recorded consent
    assert no_consent.status_code == 403 and "consent" in no_consent.json()["detail"]["message"]
    as_csv = coord.get(base, params={"volunteer_id": people["v1"], "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv") and as_csv.text.startswith("\ufeff开始 started,")

    target = f"/programmes/{other.id}/records/import"
    c2 = api.as_("coord2")
    untrusted = c2.post(target, json=doc, params={"volunteer_id": people["v1"]})
    assert untrusted.status_code == 403 and doc["signature"]["key_id"] in untrusted.json()["detail"]["message"]
    with eng.session() as s:
        trust.add(s, organisation_of(s, other), public_key=doc["signature"]["public_key"], issuer_name="测试志愿服务站",
                  actor="op")
    assert c2.post(target, json=doc, params={"volunteer_id": people["v1"]}).status_code == 403  # no consent yet
    consent = c2.post(f"/programmes/{other.id}/transfer-consents",
                      json={"volunteer_id": people["v1"], "direction": "import", "evidence": "书面同意书 2026-05-03"})
    assert consent.status_code == 201 and consent.json()["method"] == "recorded"
    assert c2.post(target, json=doc, params={"volunteer_id": people["v1"]}).json()["imported"] == 2
    again = c2.post(target, json=doc, params={"volunteer_id": people["v1"]})
    assert (again.json()["imported"], again.json()["skipped_duplicates"]) == (0, 2)
    assert api.as_("coord1").post(target, json=doc).status_code == 403  # no role in the other programme
    tampered = {**doc, "payload": {**doc["payload"], "records": [{**doc["payload"]["records"][0], "minutes": 119},
                                                                  doc["payload"]["records"][1]]}}
    broken = c2.post(target, json=tampered, params={"volunteer_id": people["v1"]})
    assert broken.status_code == 422 and "signature does not match" in broken.json()["detail"]["message"]
    old = c2.post(target, json={"format": "volunteer-engine/service-records", "version": 1},
                  params={"volunteer_id": people["v1"]})
    assert old.status_code == 422 and "old unsigned records format" in old.json()["detail"]["message"]
    rows = c2.get(f"/programmes/{other.id}/records").json()
    assert [(r["captured"], r["source_org"]) for r in rows] == [("transferred", "测试志愿服务站")] * 2


def test_csv_export_neutralises_formulas(eng: Any, api: Any, prog: Any, people: dict[str, Any]) -> None:
    coord = api.as_("coord1")
    payloads = ['=HYPERLINK("http://x.example","点我")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "plain text"]
    for day, text in enumerate(payloads, start=1):
        r = enter(coord, prog, people["v1"], f"2026-05-{day:02d}T09:00", f"2026-05-{day:02d}T10:00", content=text)
        assert r.status_code == 201, r.text
    csv_text = coord.get(f"/programmes/{prog.id}/records/export",
                         params={"volunteer_id": people["v1"], "format": "csv"}).text
    import csv
    import io

    cells = [c for row in csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))) for c in row]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), cells
    assert "'=HYPERLINK(\"http://x.example\",\"点我\")" in cells and "plain text" in cells


def test_records_outside_the_programme_period_are_refused(api: Any, prog: Any, people: dict[str, Any]) -> None:
    coord = api.as_("coord1")
    for start, end, field in (("1900-05-01T09:00", "1900-05-01T10:00", "started_at"),
                              ("2026-12-31T23:00", "2027-01-01T01:00", "ended_at")):
        r = enter(coord, prog, people["v1"], start, end)
        assert r.status_code == 422 and r.json()["detail"]["field"] == field, r.text
        assert "计划周期" in r.json()["detail"]["message"] and "programme period" in r.json()["detail"]["message"]
    r = enter(coord, prog, people["v1"], "0001-01-01T09:00", "0001-01-01T10:00")  # outside the engine's calendar
    assert r.status_code == 422 and r.json()["detail"]["field"] == "body.started_at"


def test_export_leaves_out_a_record_of_no_minutes(eng: Any, api: Any, prog: Any, people: dict[str, Any]) -> None:
    """A check-out in the minute of the check-in leaves a verified record of 0 minutes; the export
    (JSON, CSV, and the volunteer's download page) used to fail on it with a 500."""
    from engine.stages.records import service as records

    coord, vol = api.as_("coord1"), api.as_("vol1")
    assert enter(coord, prog, people["v1"], "2026-05-01T09:00", "2026-05-01T11:00").status_code == 201
    start = dt.datetime(2026, 5, 2, 1, 0, tzinfo=dt.UTC)
    with eng.session() as s:
        records.insert_record(s, prog, volunteer_id=people["v1"], started_at=start, ended_at=start + dt.timedelta(
            seconds=40), minutes=0, category="routine", captured="checkin", actor="coord1", verified=True)
    base = f"/programmes/{prog.id}/records/export"
    as_json = vol.get(base)
    assert as_json.status_code == 200, as_json.text
    assert as_json.json()["payload"]["totals"] == {"records": 1, "minutes": 120}
    as_csv = coord.get(base, params={"volunteer_id": people["v1"], "format": "csv"})
    assert as_csv.status_code == 200 and as_csv.text.count("\r\n") == 2  # the header and the one record
