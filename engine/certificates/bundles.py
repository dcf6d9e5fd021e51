"""Signed record bundles: a volunteer's service records, signed by the issuing organisation.

Format ``volunteer-engine/signed-records``, version 1 (JSON, UTF-8)::

    {
      "payload": {
        "format": "volunteer-engine/signed-records", "version": 1,
        "bundle_id": "<32 hex>", "issued_at": "2026-05-04T09:00:00+08:00",
        "issuer": {"name": "某某志愿服务站", "slug": "mou-mou-…", "key_id": "ed25519:<32 hex>"},
        "programme": {"id": "expo-2026", "name": "…"},
        "holder": {"name": "张三", "id_number_masked": "1101**********002X"},
        "totals": {"records": 2, "minutes": 210},
        "records": [{"source_ref": "expo-2026/17", "origin_org": "某某志愿服务站", "project": "入口引导",
                     "post": "入口引导员", "category": "routine", "started_at": "…", "ended_at": "…",
                     "minutes": 120, "content": "…", "rating": 5, "captured": "checkin", "verified_at": "…"}]
      },
      "signature": {"alg": "Ed25519", "key_id": "ed25519:<32 hex>", "public_key": "<base64, 32 bytes>",
                    "value": "<base64, 64 bytes>"}
    }

The signature covers the payload's **canonical form**: JSON with keys sorted, no spaces
(``separators=(",", ":")``), non-ASCII kept as UTF-8 — so the file can be pretty-printed or re-indented
and still verify, while changing any value (one minute) breaks it. ``key_id`` is derived from the
public key (:func:`engine.orgs.keys.key_id_of`), so integrity is checked with nothing but the file;
whether the *issuer* is who it says is a matter of trust: the receiver's trust list holds the key ids
(and public keys) it accepts.

Identity: the holder's name and masked ID number only. Unlike the format this replaces (a salted HMAC of
the ID number beside its salt — an ID number has so little entropy that anyone could recover it), nothing
here reveals the number. Binding is done by the receiver: the records go to the logged-in volunteer whose
name and masked number match, or to the volunteer a coordinator names with the volunteer's recorded
consent (:mod:`engine.certificates.transfer`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import InvalidInput, NotFound
from engine.orgs import keys
from engine.orgs.models import Organisation
from engine.people import mask_id_number
from engine.programme import LoadedProgramme
from engine.stages.design.models import Post, Project
from engine.stages.records.models import ServiceRecord
from engine.stages.recruitment.models import Volunteer
from engine.store.base import utcnow

FORMAT: Literal["volunteer-engine/signed-records"] = "volunteer-engine/signed-records"
MAX_BYTES = 20_000_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Issuer(_Strict):
    name: str = Field(min_length=1, max_length=200)
    slug: str = Field(min_length=1, max_length=63)
    key_id: str = Field(min_length=1, max_length=64)


class ProgrammeRef(_Strict):
    id: str = Field(min_length=1, max_length=63)
    name: str = Field(max_length=200)


class Holder(_Strict):
    name: str = Field(min_length=1, max_length=100)
    id_number_masked: str = Field(max_length=18)


class BundleRecord(_Strict):
    source_ref: str = Field(min_length=1, max_length=200)
    origin_org: str = Field(min_length=1, max_length=200)
    project: str | None = Field(default=None, max_length=200)
    post: str | None = Field(default=None, max_length=200)
    category: str = Field(min_length=1, max_length=63)
    started_at: dt.datetime
    ended_at: dt.datetime
    minutes: int = Field(ge=1, le=24 * 60)
    content: str | None = Field(default=None, max_length=4000)
    rating: int | None = Field(default=None, ge=1, le=5)
    captured: str = Field(max_length=16)
    verified_at: dt.datetime | None = None

    @model_validator(mode="after")
    def _consistent(self) -> BundleRecord:
        if self.started_at.tzinfo is None or self.ended_at.tzinfo is None:
            raise ValueError("started_at and ended_at need a UTC offset")
        span = int((self.ended_at - self.started_at).total_seconds()) // 60
        if self.minutes > span:
            raise ValueError(f"minutes {self.minutes} exceed the span between started_at and ended_at ({span})")
        return self


class Payload(_Strict):
    format: Literal["volunteer-engine/signed-records"]
    version: Literal[1]
    bundle_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    issued_at: dt.datetime
    issuer: Issuer
    programme: ProgrammeRef
    holder: Holder
    totals: dict[str, int] = Field(default_factory=dict)
    records: list[BundleRecord] = Field(max_length=100_000)


class SignatureBlock(_Strict):
    alg: Literal["Ed25519"]
    key_id: str = Field(max_length=64)
    public_key: str = Field(max_length=64)
    value: str = Field(max_length=128)


def canonical(payload: Any) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# ------------------------------------------------------------------ making a bundle
def records_in_force(session: Session, programme_id: str, volunteer_id: int) -> list[tuple[Any, Any, Any]]:
    """Verified records still in force (reversed records and reversing entries left out)."""
    reversed_ids = select(ServiceRecord.reverses_id).where(ServiceRecord.reverses_id.is_not(None))
    return [(r[0], r[1], r[2]) for r in session.execute(
        select(ServiceRecord, Project.name, Post.name)
        .outerjoin(Project, Project.id == ServiceRecord.project_id).outerjoin(Post, Post.id == ServiceRecord.post_id)
        .where(ServiceRecord.programme_id == programme_id, ServiceRecord.volunteer_id == volunteer_id,
               ServiceRecord.verified_at.is_not(None), ServiceRecord.reverses_id.is_(None), ServiceRecord.minutes > 0,
               ServiceRecord.id.not_in(reversed_ids))
        .order_by(ServiceRecord.started_at, ServiceRecord.id)).all()]


def make_bundle(session: Session, programme: LoadedProgramme, org: Organisation, volunteer_id: int) -> dict[str, Any]:
    """A volunteer's records in force in ``programme``, signed with ``org``'s active key.

    A record transferred in from elsewhere keeps its ``origin_org`` and ``source_ref``, so it is
    recognised as the same record wherever it travels next."""
    vol = session.get(Volunteer, volunteer_id)
    if vol is None:
        raise NotFound(f"没有志愿者 {volunteer_id} / no volunteer {volunteer_id}", field="volunteer_id")
    rows = records_in_force(session, programme.id, volunteer_id)
    records = [BundleRecord(
        source_ref=r.source_ref or f"{programme.id}/{r.id}", origin_org=r.source_org or org.name,
        project=project or r.source_project, post=post, category=r.category, started_at=r.started_at,
        ended_at=r.ended_at, minutes=r.minutes, content=r.content, rating=r.rating, captured=r.captured,
        verified_at=r.verified_at) for r, project, post in rows]
    key = keys.active_key(session, org)
    payload = Payload(
        format=FORMAT, version=1, bundle_id=secrets.token_hex(16), issued_at=utcnow(),
        issuer=Issuer(name=org.name, slug=org.slug, key_id=key.key_id),
        programme=ProgrammeRef(id=programme.id, name=programme.config.name),
        holder=Holder(name=vol.name, id_number_masked=mask_id_number(vol.id_number)),
        totals={"records": len(records), "minutes": sum(r.minutes for r in records)}, records=records)
    data = payload.model_dump(mode="json")
    sig = keys.sign(session, org, canonical(data))
    return {"payload": data, "signature": {"alg": "Ed25519", "key_id": sig.key_id, "public_key": sig.public_key,
                                           "value": sig.value}}


# ------------------------------------------------------------------ checking one
@dataclass
class Checked:
    """What a bundle says and whether its signature holds (``problems`` empty when it does)."""

    payload: Payload | None
    key_id: str | None
    public_key: str | None
    digest: str | None
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems and self.payload is not None


def read(raw_bytes: bytes) -> Any:
    if len(raw_bytes) > MAX_BYTES:
        raise InvalidInput("文件过大（上限 20 MB）/ file too large (20 MB at most)", field="file")
    try:
        return json.loads(raw_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"不是 UTF-8 JSON 文件: {exc} / not a UTF-8 JSON file: {exc}", field="file") from None


def check(raw: Any) -> Checked:
    """Integrity only, with nothing but the file: the signature over the canonical payload, the key id
    derived from the public key, the payload's shape and totals. Trust is the receiver's question."""
    if not isinstance(raw, dict) or "payload" not in raw or "signature" not in raw:
        if isinstance(raw, dict) and raw.get("format") == "volunteer-engine/service-records":
            return Checked(None, None, None, None, [
                "这是旧的未签名记录文件，不再接受：请原组织导出签名记录包 / this is the old unsigned records format, no "
                "longer accepted: ask the issuing organisation for a signed bundle"])
        return Checked(None, None, None, None, ["不是签名记录包（缺 payload 或 signature）/ not a signed records bundle "
                                                "(payload or signature missing)"])
    try:
        sig = SignatureBlock.model_validate(raw["signature"])
    except ValidationError as exc:
        return Checked(None, None, None, None, [f"签名部分有误 / signature block invalid: {exc.errors()[0]['msg']}"])
    problems: list[str] = []
    digest = hashlib.sha256(canonical(raw["payload"])).hexdigest()
    try:
        pub = keys.unb64(sig.public_key)
    except ValueError:
        pub = b""
    if len(pub) != 32 or keys.key_id_of(pub) != sig.key_id:
        problems.append("密钥标识与公钥不符 / the key id does not belong to the public key")
    elif not keys.verify_signature(sig.public_key, sig.value, canonical(raw["payload"])):
        problems.append("签名无效：文件被改动过，或不是该密钥签发 / the signature does not match: the file was changed "
                        "after signing, or was not signed by this key")
    payload = None
    try:
        payload = Payload.model_validate(raw["payload"])
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        problems.append(f"内容有误 ({where}): {err['msg']} / invalid content at {where}: {err['msg']}")
    if payload is not None:
        if payload.issuer.key_id != sig.key_id:
            problems.append("签发者的密钥标识与签名不符 / the issuer's key id differs from the signature's")
        want = {"records": len(payload.records), "minutes": sum(r.minutes for r in payload.records)}
        if payload.totals and payload.totals != want:
            problems.append(f"合计与记录不符 {payload.totals} ≠ {want} / totals do not add up")
    return Checked(payload, sig.key_id, sig.public_key, digest, problems)


def records_csv(session: Session, programme: LoadedProgramme, volunteer_id: int) -> str:
    """The records in force as CSV for people to read (UTF-8 with BOM, formula-safe cells; not importable:
    only a signed bundle moves records)."""
    import csv
    import io

    from engine.csvsafe import cell
    from engine.timeutil import local

    zone = programme.config.timezone
    out = io.StringIO()
    out.write("\ufeff")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["开始 started", "结束 ended", "分钟 minutes", "项目 project", "岗位 post", "内容 content",
                "来源 captured", "记录组织 recorded by"])
    for r, project, post in records_in_force(session, programme.id, volunteer_id):
        w.writerow([cell(v) for v in [
            local(r.started_at, zone).strftime("%Y-%m-%d %H:%M"), local(r.ended_at, zone).strftime("%Y-%m-%d %H:%M"),
            r.minutes, project or r.source_project or "", post or "", r.content or "", r.captured,
            r.source_org or programme.config.organisation.name]])
    return out.getvalue()
