"""Portable records (异地转移和接续, seed 003): export, import elsewhere with provenance, never twice."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import func, select
from svc_helpers import T0, Site, load_service_programme, minutes

import engine.stages.rewards.service as rewards_service
from engine.errors import InvalidInput
from engine.stages.records import portable
from engine.stages.records import service as records
from engine.stages.records.models import ServiceRecord

NOW = T0 + dt.timedelta(days=3)


def history(eng: Any, prog: Any, site: Any, s: Any) -> tuple[Any, list[ServiceRecord]]:
    """张三 served three times at the origin; one entry was reversed (so two are in force)."""
    post = site.post(s, site.project(s, "入口引导"), "入口引导员")
    v = site.volunteer(s, "张三")
    recs = [records.enter_record(s, prog, eng.host, volunteer_id=v.id, started_at=T0 + dt.timedelta(days=d),
                                 ended_at=T0 + dt.timedelta(days=d) + minutes(m), post_id=post.id, rating=5,
                                 content="入口引导", actor="coord1", now=NOW)
            for d, m in ((0, 120), (1, 90), (2, 60))]
    records.reverse_record(s, prog, eng.host, recs[2].id, reason="误录", actor="coord1")
    records.insert_record(s, prog, volunteer_id=v.id, started_at=NOW - minutes(30), ended_at=NOW, minutes=30,
                          category="routine", captured="checkin", actor="coord1")  # unverified: not exported
    return v, recs



def join(s: Any, programme: Any, vid: int) -> None:
    """The person joins the receiving programme first: records are imported only for people it sees."""
    from engine.stages.recruitment.models import Enrolment

    s.add(Enrolment(programme_id=programme.id, volunteer_id=vid, source="self"))
    s.flush()

def test_export_document(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        v, recs = history(eng, prog, site, s)
        doc = portable.export_document(s, prog, v.id, now=NOW)
    assert doc.issuer.name == "测试志愿服务站" and doc.programme.id == prog.id
    assert doc.volunteer.name == "张三" and doc.volunteer.id_number_masked == v.id_number[:1] + "*" * 16 + \
        v.id_number[-1:]
    assert v.id_number not in doc.model_dump_json()
    assert doc.volunteer.id_hash.value == portable.id_hash(v.id_number)
    assert "salt" not in doc.model_dump_json()  # nothing to try birth dates against
    assert [r.source_ref for r in doc.records] == [f"{prog.id}/{recs[0].id}", f"{prog.id}/{recs[1].id}"]
    assert [(r.minutes, r.project, r.post, r.rating) for r in doc.records] == [
        (120, "入口引导", "入口引导员", 5), (90, "入口引导", "入口引导员", 5)]
    assert doc.totals == {"records": 2, "minutes": 210}


@pytest.mark.parametrize("form", ["json", "csv"])
def test_export_then_import_into_another_programme(eng: Any, prog: Any, site: Any, form: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    other = load_service_programme(eng, "svc-elsewhere", org="异地志愿服务站")
    calls: Counter[int] = Counter()
    real = rewards_service.after_record_verified
    monkeypatch.setattr(rewards_service, "after_record_verified",
                        lambda s, p, h, r, a: (calls.update([r.id]), real(s, p, h, r, a))[1])
    with eng.session() as s:
        v, recs = history(eng, prog, site, s)
        doc = portable.export_document(s, prog, v.id, now=NOW)
        join(s, other, v.id)
    calls.clear()  # only the imports count from here
    text = doc.model_dump_json() if form == "json" else portable.to_csv(doc)
    parsed = portable.parse_document(json.loads(text)) if form == "json" else portable.from_csv(text)
    with eng.session() as s:
        out = portable.import_document(s, other, eng.host, parsed, actor="coord2")
        assert (out["volunteer_id"], out["imported"], out["skipped_duplicates"], out["minutes"]) == (v.id, 2, 0, 210)
        rows = list(s.scalars(select(ServiceRecord).where(ServiceRecord.programme_id == other.id)
                              .order_by(ServiceRecord.id)))
        assert [(r.captured, r.source_org, r.source_ref, r.source_project, r.minutes, r.verified_by) for r in rows] == [
            ("transferred", "测试志愿服务站", f"{prog.id}/{recs[0].id}", "入口引导", 120, "coord2"),
            ("transferred", "测试志愿服务站", f"{prog.id}/{recs[1].id}", "入口引导", 90, "coord2")]
        assert rows[0].content == "入口引导员：入口引导" and rows[0].rating == 5
        assert calls == Counter({rows[0].id: 1, rows[1].id: 1})
        totals = records.volunteer_totals(s, other, v.id)
        assert (totals["minutes"], totals["level_minutes"], totals["records"]) == (210, 210, 2)
    with eng.session() as s:
        again = portable.import_document(s, other, eng.host, parsed, actor="coord2")
        assert (again["imported"], again["skipped_duplicates"]) == (0, 2)
        assert records.volunteer_totals(s, other, v.id)["minutes"] == 210
        assert sum(calls.values()) == 2


def test_chain_transfer_keeps_the_origin(eng: Any, prog: Any, site: Any) -> None:
    """A → B → C: C sees A's organisation and reference, and B's re-export is not a new record."""
    b = load_service_programme(eng, "svc-b", org="乙站")
    c = load_service_programme(eng, "svc-c", org="丙站")
    with eng.session() as s:
        v, _ = history(eng, prog, site, s)
        join(s, b, v.id)
        join(s, c, v.id)
        portable.import_document(s, b, eng.host, portable.export_document(s, prog, v.id), actor="coord")
        portable.import_document(s, c, eng.host, portable.export_document(s, prog, v.id), actor="coord")
        via_b = portable.export_document(s, b, v.id)
        assert {r.origin_org for r in via_b.records} == {"测试志愿服务站"}
        out = portable.import_document(s, c, eng.host, via_b, actor="coord")
        assert (out["imported"], out["skipped_duplicates"]) == (0, 2)


def test_import_into_the_same_programme_counts_nothing(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        v, _ = history(eng, prog, site, s)
        before = records.volunteer_totals(s, prog, v.id)["minutes"]
        out = portable.import_document(s, prog, eng.host, portable.export_document(s, prog, v.id), actor="coord1")
        assert (out["imported"], out["own_records_skipped"]) == (0, 2)
        assert records.volunteer_totals(s, prog, v.id)["minutes"] == before


def test_identity_is_matched_by_hash(eng: Any, prog: Any, site: Any) -> None:
    other = load_service_programme(eng, "svc-elsewhere", org="异地志愿服务站")
    with eng.session() as s:
        v, _ = history(eng, prog, site, s)
        doc = portable.export_document(s, prog, v.id)
        join(s, other, v.id)
        namesake = Site(eng, other).volunteer(s, "张三")  # same name, another person
        with pytest.raises(InvalidInput, match="does not match"):
            portable.import_document(s, other, eng.host, doc, actor="coord", volunteer_id=namesake.id)
        tampered = doc.model_copy(deep=True)
        tampered.volunteer.id_hash.value = "0" * 64
        with pytest.raises(InvalidInput, match="no registered volunteer"):
            portable.import_document(s, other, eng.host, tampered, actor="coord")
        assert s.scalar(select(func.count()).select_from(ServiceRecord).where(
            ServiceRecord.programme_id == other.id)) == 0


def test_bad_rows_refuse_the_whole_import(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        v, _ = history(eng, prog, site, s)
        raw = json.loads(portable.export_document(s, prog, v.id).model_dump_json())
    raw["records"][1]["minutes"] = 9999
    with pytest.raises(InvalidInput) as exc:
        portable.parse_document(raw)
    assert exc.value.field == "records.1.minutes"
    raw["records"][1]["minutes"] = 91  # more than the 90-minute span
    with pytest.raises(InvalidInput, match="exceed the span"):
        portable.parse_document(raw)
    with eng.session() as s:
        doc = portable.export_document(s, prog, v.id)
    rows = portable.to_csv(doc).splitlines()
    rows[2] = rows[2].replace(",90,", ",ninety,")
    with pytest.raises(InvalidInput) as exc:
        portable.from_csv("\n".join(rows))
    assert exc.value.field == "csv.row3.minutes"
