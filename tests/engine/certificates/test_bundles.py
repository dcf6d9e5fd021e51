"""Signed record bundles: verified, tampered (one minute) and refused, trusted by key id, kept valid across
key rotation, imported with provenance and consent, never counted twice."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cert_helpers import served
from sqlalchemy import select

from engine.certificates import bundles, transfer
from engine.certificates.models import BundleImport
from engine.errors import Forbidden, InvalidInput
from engine.orgs import keys, trust
from engine.orgs.service import organisation_of
from engine.stages.records import service as records
from engine.stages.records.models import ServiceRecord

# The receiving programme runs in 2027: the transferred 2026 records lie outside its period.
RECEIVER_YAML = """\
id: svc-receiver
name: 接收方 Receiver
plan_type: demo
organisation: {name: 异地志愿服务站, slug: yidi}
period: {start: 2027-01-01, end: 2027-12-31}
rewards:
  level_hours_from: [checkin, coordinator, transferred]
"""


@pytest.fixture
def receiver(eng: Any) -> Any:
    return eng.load(RECEIVER_YAML, filename="svc-receiver.yaml")


def export(eng: Any, prog: Any, site: Any) -> tuple[Any, dict[str, Any]]:
    with eng.session() as s:
        v = served(eng, prog, site, s)
        return v, transfer.export_bundle(s, prog, v.id, by_self=True, actor="zhang")


def trust_issuer(eng: Any, receiver: Any, bundle: dict[str, Any]) -> None:
    with eng.session() as s:
        trust.add(s, organisation_of(s, receiver), public_key=bundle["signature"]["public_key"],
                  issuer_name="测试志愿服务站", actor="op", key_id=bundle["signature"]["key_id"])


def test_bundle_verifies_and_carries_no_id_number(eng: Any, prog: Any, site: Any) -> None:
    v, bundle = export(eng, prog, site)
    checked = bundles.check(json.loads(json.dumps(bundle, indent=4)))  # re-indented: still verifies
    assert checked.intact and checked.key_id and checked.key_id.startswith("ed25519:")
    assert checked.payload is not None and checked.payload.totals == {"records": 2, "minutes": 210}
    assert v.id_number not in json.dumps(bundle, ensure_ascii=False)
    assert "salt" not in json.dumps(bundle) and "hash" not in json.dumps(bundle)


def test_one_minute_changed_is_refused(eng: Any, prog: Any, site: Any, receiver: Any) -> None:
    v, bundle = export(eng, prog, site)
    trust_issuer(eng, receiver, bundle)
    tampered = copy.deepcopy(bundle)
    tampered["payload"]["records"][0]["minutes"] = 119
    tampered["payload"]["totals"]["minutes"] = 209
    checked = bundles.check(tampered)
    assert not checked.intact and "signature does not match" in checked.problems[0]
    with eng.session() as s, pytest.raises(InvalidInput, match="does not verify"):
        transfer.import_bundle(s, receiver, eng.host, tampered, actor="zhang", volunteer=v, by_self=True)
    swapped = copy.deepcopy(bundle)  # someone else's key dropped in: the key id no longer fits
    swapped["signature"]["public_key"] = keys.b64(b"\x01" * 32)
    assert "key id does not belong" in bundles.check(swapped).problems[0]


def test_untrusted_issuer_is_refused_by_key_id(eng: Any, prog: Any, site: Any, receiver: Any) -> None:
    v, bundle = export(eng, prog, site)
    with eng.session() as s, pytest.raises(Forbidden, match="not on 异地志愿服务站's trust list"):
        transfer.import_bundle(s, receiver, eng.host, bundle, actor="zhang", volunteer=v, by_self=True)


def test_import_keeps_provenance_skips_period_check_and_never_counts_twice(eng: Any, prog: Any, site: Any,
                                                                            receiver: Any) -> None:
    v, bundle = export(eng, prog, site)
    trust_issuer(eng, receiver, bundle)
    with eng.session() as s:
        out = transfer.import_bundle(s, receiver, eng.host, bundle, actor="zhang", volunteer=v, by_self=True)
        assert (out["imported"], out["skipped_duplicates"], out["minutes"]) == (2, 0, 210)
        rows = list(s.scalars(select(ServiceRecord).where(ServiceRecord.programme_id == receiver.id)))
        assert {(r.captured, r.source_org, r.started_at.year) for r in rows} == {("transferred", "测试志愿服务站", 2026)}
        prov = s.scalar(select(BundleImport))
        assert prov is not None and (prov.key_id, prov.issuer_name, prov.imported) == (
            bundle["signature"]["key_id"], "测试志愿服务站", 2)
        assert records.volunteer_totals(s, receiver, v.id)["minutes"] == 210
    with eng.session() as s:  # the same bundle again, and a fresh export of the same records: nothing new
        again = transfer.import_bundle(s, receiver, eng.host, bundle, actor="zhang", volunteer=v, by_self=True)
        fresh = transfer.export_bundle(s, prog, v.id, by_self=True, actor="zhang")
        third = transfer.import_bundle(s, receiver, eng.host, fresh, actor="zhang", volunteer=v, by_self=True)
        assert (again["imported"], again["skipped_duplicates"], third["imported"]) == (0, 2, 0)
        assert records.volunteer_totals(s, receiver, v.id)["minutes"] == 210
    # sent back to where they were recorded: recognised as the origin's own
    with eng.session() as s:
        back = transfer.export_bundle(s, receiver, v.id, by_self=True, actor="zhang")
        trust.add(s, organisation_of(s, prog), public_key=back["signature"]["public_key"], issuer_name="异地",
                  actor="op")
        home = transfer.import_bundle(s, prog, eng.host, back, actor="zhang", volunteer=v, by_self=True)
        assert (home["imported"], home["own_records_skipped"]) == (0, 2)


def test_bound_to_the_holder_and_to_consent(eng: Any, prog: Any, site: Any, receiver: Any) -> None:
    v, bundle = export(eng, prog, site)
    trust_issuer(eng, receiver, bundle)
    with eng.session() as s:
        other = site.volunteer(s, "李四")
        with pytest.raises(Forbidden, match="belongs to 张三"):
            transfer.import_bundle(s, receiver, eng.host, bundle, actor="lisi", volunteer=other, by_self=True)
    with eng.session() as s, pytest.raises(Forbidden, match="has not consented"):
        transfer.import_bundle(s, receiver, eng.host, bundle, actor="coord2", volunteer=v, by_self=False)
    with eng.session() as s:
        org = organisation_of(s, receiver)
        with pytest.raises(InvalidInput, match="needs what it rests on"):
            transfer.give_consent(s, org, v.id, "import", method="recorded", actor="coord2")
        consent = transfer.give_consent(s, org, v.id, "import", method="recorded", actor="coord2",
                                        evidence="2027-01-03 签字同意书")
        out = transfer.import_bundle(s, receiver, eng.host, bundle, actor="coord2", volunteer=v, by_self=False)
        assert (out["imported"], out["consent_id"]) == (2, consent.id)


def test_rotation_old_bundles_still_verify_and_import(eng: Any, prog: Any, site: Any, receiver: Any) -> None:
    v, old = export(eng, prog, site)
    trust_issuer(eng, receiver, old)
    with eng.session() as s:
        org = organisation_of(s, prog)
        new, retired = keys.rotate(s, org)
        assert retired == [old["signature"]["key_id"]] and new.key_id != retired[0]
        assert all(k.private_key is None for k in keys.all_keys(s, org) if k.retired_at)
        newer = transfer.export_bundle(s, prog, v.id, by_self=True, actor="zhang")
    assert newer["signature"]["key_id"] == new.key_id
    assert bundles.check(old).intact and bundles.check(newer).intact
    with eng.session() as s:  # the receiver trusts the old key id only: the old bundle imports, the new one waits
        assert transfer.import_bundle(s, receiver, eng.host, old, actor="zhang", volunteer=v, by_self=True)[
            "imported"] == 2
        with pytest.raises(Forbidden, match=new.key_id):
            transfer.import_bundle(s, receiver, eng.host, newer, actor="zhang", volunteer=v, by_self=True)


def test_verify_cli_offline(eng: Any, prog: Any, site: Any, tmp_path: Path) -> None:
    _v, bundle = export(eng, prog, site)
    good, bad, trusted = tmp_path / "good.json", tmp_path / "bad.json", tmp_path / "trust.json"
    good.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    bundle["payload"]["records"][1]["minutes"] = 91
    bundle["payload"]["totals"]["minutes"] = 211
    bad.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    trusted.write_text(json.dumps([{"key_id": bundle["signature"]["key_id"],
                                    "public_key": bundle["signature"]["public_key"]}]), encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "engine.cli.main", "verify", *args], capture_output=True,
                              text=True, env={"PATH": "", "VOLUNTEER_DATABASE_URL": "sqlite:///" + str(tmp_path / "x.db")})

    ok = run(str(good), "--trust", str(trusted))
    assert ok.returncode == 0 and "signature valid" in ok.stdout and "trusted issuer key" in ok.stdout
    assert "张三" in ok.stdout and "210" in ok.stdout
    refused = run(str(bad))
    assert refused.returncode == 1 and "signature does not match" in refused.stderr
    assert run(str(good), "--trust", str(tmp_path / "trust.json")).returncode == 0
    trusted.write_text("[]", encoding="utf-8")
    assert run(str(good), "--trust", str(trusted)).returncode == 1
