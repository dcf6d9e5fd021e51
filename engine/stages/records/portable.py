"""Portable service records: export a volunteer's 台账 and import one from another organisation.

Why: seed 003 asks that service records "能够异地转移和接续" (move with the volunteer between
organisations and regions), and 志愿服务条例 第十九条 makes the organisation issue a truthful record
(志愿服务记录证明) on request. This module is the format both sides agree on.

Format ``volunteer-engine/service-records``, version 1
======================================================

JSON (``application/json``, UTF-8) — one document per volunteer::

    {
      "format": "volunteer-engine/service-records",
      "version": 1,
      "issued_at": "2026-05-01T08:00:00+00:00",        # ISO 8601 with offset
      "issuer": {"name": "某某志愿服务站", "kind": null, "contact": null},   # the issuing organisation
      "programme": {"id": "expo-2026", "name": "…"},
      "volunteer": {
        "name": "张三",
        "id_number_masked": "1101**********002X",     # for people reading it
        "id_hash": {"alg": "hmac-sha256", "salt": "<32 hex>", "value": "<64 hex>"}
      },
      "totals": {"records": 2, "minutes": 240},        # of the records below, for a quick check
      "records": [
        {
          "source_ref": "expo-2026/17",               # stable id of the record where it originated
          "origin_org": "某某志愿服务站",              # organisation where it originated
          "project": "入口引导", "post": "入口引导员", "category": "routine",
          "started_at": "…", "ended_at": "…", "minutes": 120,   # whole minutes, > 0
          "content": "…", "rating": 5,                 # beneficiary rating 1–5 or null
          "captured": "checkin",                       # how it was captured at the origin
          "verified_at": "…"
        }
      ]
    }

Identity: ``id_hash.value`` = HMAC-SHA256(key = the salt's bytes, message = the 18-character
resident ID number, upper case, UTF-8), hex. The salt is random per document, so documents of one
person cannot be linked by the hash alone; the receiver computes the same HMAC over the ID numbers
of its registered volunteers (those with the same name first) to find the person without the
number ever travelling. (An ID number has little entropy: the hash hides it from casual readers,
not from a determined attacker who holds the salt; send the file over a protected channel.)

Records: only verified records still in force are exported (reversed records and reversing
entries are left out; corrections made at the origin later are not propagated). A record that was
itself transferred in keeps its original ``origin_org`` and ``source_ref``, so a record passed on
through several organisations is still recognised as the same one. ``source_ref`` for a record
issued here is ``"<programme id>/<record id>"``.

CSV (``text/csv``, UTF-8 with a byte-order mark so spreadsheet programs read the Chinese; a text
cell starting with ``= + - @``, a tab or CR gets a leading ``'`` so no spreadsheet runs it as a
formula, and the importer strips it again — :mod:`engine.csvsafe`) — one row per record, the
document fields repeated on every row; columns, in this order:
``format, version, issued_at, issuer, programme_id, programme, volunteer_name,
volunteer_id_number_masked, id_hash_alg, id_hash_salt, id_hash, source_ref, origin_org, project,
post, category, started_at, ended_at, minutes, content, rating, captured, verified_at``.

Import: records become ``captured=transferred`` with ``source_org`` = ``origin_org`` and
``source_ref`` kept, verified on import by the importing coordinator (and passed to the rewards
stage once each). ``(programme, source_org, source_ref)`` is unique: importing the same document
again reports every record as a duplicate skipped. A bad row refuses the whole import, naming it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import secrets
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.csvsafe import cell, uncell
from engine.errors import InvalidInput, NotFound
from engine.people import mask_id_number
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.stages.design.models import Post, Project
from engine.stages.records.models import ServiceRecord
from engine.stages.records.service import _counted
from engine.stages.recruitment.models import Volunteer
from engine.store.base import dialect_insert, utcnow

FORMAT: Literal["volunteer-engine/service-records"] = "volunteer-engine/service-records"
VERSION: Literal[1] = 1
CSV_COLUMNS = ["format", "version", "issued_at", "issuer", "programme_id", "programme", "volunteer_name",
               "volunteer_id_number_masked", "id_hash_alg", "id_hash_salt", "id_hash", "source_ref", "origin_org",
               "project", "post", "category", "started_at", "ended_at", "minutes", "content", "rating", "captured",
               "verified_at"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Issuer(_Strict):
    name: str = Field(min_length=1, max_length=200)
    kind: str | None = None
    contact: str | None = None


class ProgrammeRef(_Strict):
    id: str = Field(min_length=1, max_length=63)
    name: str = Field(max_length=200)


class IdHash(_Strict):
    alg: Literal["hmac-sha256"] = "hmac-sha256"
    salt: str = Field(pattern=r"^[0-9a-f]{16,128}$")
    value: str = Field(pattern=r"^[0-9a-f]{64}$")


class PortableVolunteer(_Strict):
    name: str = Field(min_length=1, max_length=100)
    id_number_masked: str = Field(max_length=18)
    id_hash: IdHash


class PortableRecord(_Strict):
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
    def _consistent(self) -> PortableRecord:
        if self.started_at.tzinfo is None or self.ended_at.tzinfo is None:
            raise ValueError("started_at and ended_at need a UTC offset")
        span = int((self.ended_at - self.started_at).total_seconds()) // 60
        if self.minutes > span:
            raise ValueError(f"minutes {self.minutes} exceed the span between started_at and ended_at ({span})")
        return self


class PortableDocument(_Strict):
    format: Literal["volunteer-engine/service-records"]
    version: Literal[1]
    issued_at: dt.datetime
    issuer: Issuer
    programme: ProgrammeRef
    volunteer: PortableVolunteer
    totals: dict[str, int] = Field(default_factory=dict)
    records: list[PortableRecord] = Field(max_length=100_000)


# ------------------------------------------------------------------ identity
def id_hash(id_number: str, salt: str) -> str:
    return hmac.new(bytes.fromhex(salt), id_number.strip().upper().encode("utf-8"), hashlib.sha256).hexdigest()


# ------------------------------------------------------------------ export
def export_document(session: Session, programme: LoadedProgramme, volunteer_id: int,
                    *, now: dt.datetime | None = None) -> PortableDocument:
    """A volunteer's verified records in force, as a portable document."""
    vol = session.get(Volunteer, volunteer_id)
    if vol is None:
        raise NotFound(f"没有志愿者 {volunteer_id} / no volunteer {volunteer_id}", field="volunteer_id")
    reversed_ids = select(ServiceRecord.reverses_id).where(ServiceRecord.reverses_id.is_not(None))
    rows = session.execute(
        select(ServiceRecord, Project.name, Post.name)
        .outerjoin(Project, Project.id == ServiceRecord.project_id).outerjoin(Post, Post.id == ServiceRecord.post_id)
        .where(ServiceRecord.programme_id == programme.id, ServiceRecord.volunteer_id == volunteer_id,
               ServiceRecord.verified_at.is_not(None), ServiceRecord.reverses_id.is_(None),
               ServiceRecord.id.not_in(reversed_ids))
        .order_by(ServiceRecord.started_at, ServiceRecord.id)).all()
    org = programme.config.organisation
    records = [PortableRecord(
        source_ref=r.source_ref or f"{programme.id}/{r.id}", origin_org=r.source_org or org.name,
        project=project or r.source_project, post=post, category=r.category, started_at=r.started_at,
        ended_at=r.ended_at, minutes=r.minutes, content=r.content, rating=r.rating, captured=r.captured,
        verified_at=r.verified_at) for r, project, post in rows]
    salt = secrets.token_hex(16)
    return PortableDocument(
        format=FORMAT, version=VERSION, issued_at=now or utcnow(),
        issuer=Issuer(name=org.name, kind=org.kind, contact=org.contact),
        programme=ProgrammeRef(id=programme.id, name=programme.config.name),
        volunteer=PortableVolunteer(name=vol.name, id_number_masked=mask_id_number(vol.id_number),
                                    id_hash=IdHash(salt=salt, value=id_hash(vol.id_number, salt))),
        totals={"records": len(records), "minutes": sum(r.minutes for r in records)}, records=records)


def to_csv(doc: PortableDocument) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    head = [doc.format, doc.version, doc.issued_at.isoformat(), doc.issuer.name, doc.programme.id,
            doc.programme.name, doc.volunteer.name, doc.volunteer.id_number_masked, doc.volunteer.id_hash.alg,
            doc.volunteer.id_hash.salt, doc.volunteer.id_hash.value]
    for r in doc.records:
        w.writerow([cell(v) for v in [
            *head, r.source_ref, r.origin_org, r.project or "", r.post or "", r.category,
            r.started_at.isoformat(), r.ended_at.isoformat(), r.minutes, r.content or "",
            "" if r.rating is None else r.rating, r.captured, r.verified_at.isoformat() if r.verified_at else ""]])
    return out.getvalue()


def from_csv(text: str) -> PortableDocument:
    """Parse the CSV form; every row must carry the same document fields. Errors name row and column."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput(f"CSV 缺少列: {', '.join(missing)} / CSV lacks columns: {', '.join(missing)}", field="csv")
    rows = [{k: uncell(v) if isinstance(v, str) else v for k, v in row.items()} for row in reader]
    if not rows:
        raise InvalidInput("CSV 没有记录行 / the CSV has no record rows", field="csv")
    head_cols = CSV_COLUMNS[:11]
    first = rows[0]
    for i, row in enumerate(rows, start=2):
        for c in head_cols:
            if row[c] != first[c]:
                raise InvalidInput(f"CSV 第 {i} 行的 {c} 与第 2 行不同 / row {i}: column {c} differs from row 2 (one "
                                   "document per volunteer)", field=f"csv.row{i}.{c}")
    raw: dict[str, Any] = {
        "format": first["format"], "version": _int(first["version"], 2, "version"), "issued_at": first["issued_at"],
        "issuer": {"name": first["issuer"]}, "programme": {"id": first["programme_id"], "name": first["programme"]},
        "volunteer": {"name": first["volunteer_name"], "id_number_masked": first["volunteer_id_number_masked"],
                      "id_hash": {"alg": first["id_hash_alg"], "salt": first["id_hash_salt"],
                                  "value": first["id_hash"]}},
        "records": [{
            "source_ref": r["source_ref"], "origin_org": r["origin_org"], "project": r["project"] or None,
            "post": r["post"] or None, "category": r["category"], "started_at": r["started_at"],
            "ended_at": r["ended_at"], "minutes": _int(r["minutes"], i, "minutes"), "content": r["content"] or None,
            "rating": _int(r["rating"], i, "rating") if r["rating"] else None, "captured": r["captured"],
            "verified_at": r["verified_at"] or None} for i, r in enumerate(rows, start=2)],
    }
    return parse_document(raw)


def _int(value: str, row: int, column: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(f"CSV 第 {row} 行 {column} 不是整数: {value!r} / row {row}: {column} is not a whole number",
                           field=f"csv.row{row}.{column}") from None


def parse_document(raw: Any) -> PortableDocument:
    """Validate a JSON document; the first problem is reported with its path (e.g. records.3.minutes)."""
    try:
        return PortableDocument.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InvalidInput(f"记录文件有误 ({where}): {err['msg']} / invalid records document at {where}: {err['msg']}",
                           field=where, problems=[{"field": ".".join(map(str, e["loc"])), "message": e["msg"]}
                                                  for e in exc.errors()[:20]]) from None


# ------------------------------------------------------------------ import
def match_volunteer(session: Session, doc: PortableDocument, volunteer_id: int | None = None) -> Volunteer:
    """The registered volunteer the document is about, found by the ID hash (name first)."""
    h = doc.volunteer.id_hash
    if volunteer_id is not None:
        vol = session.get(Volunteer, volunteer_id)
        if vol is None:
            raise NotFound(f"没有志愿者 {volunteer_id} / no volunteer {volunteer_id}", field="volunteer_id")
        if not hmac.compare_digest(id_hash(vol.id_number, h.salt), h.value):
            raise InvalidInput(f"志愿者 {volunteer_id} 的身份证号与文件不符 / volunteer {volunteer_id}'s ID number does not "
                               "match the document's ID hash", field="volunteer_id")
        return vol
    for vol in session.scalars(select(Volunteer).where(Volunteer.name == doc.volunteer.name)):
        if hmac.compare_digest(id_hash(vol.id_number, h.salt), h.value):
            return vol
    raise InvalidInput(
        f"没有与文件匹配的已登记志愿者（姓名 {doc.volunteer.name}，身份证 {doc.volunteer.id_number_masked}）；请先登记，或指定 "
        f"volunteer_id / no registered volunteer named {doc.volunteer.name!r} matches the document's ID hash; register "
        "them first or name the volunteer_id", field="volunteer")


def import_document(session: Session, programme: LoadedProgramme, host: PluginHost, doc: PortableDocument, *,
                    actor: str, volunteer_id: int | None = None) -> dict[str, Any]:
    """Import transferred records; duplicates (same origin and source_ref) are skipped and counted.

    Records that originated in this programme come back as duplicates too: they are already here.
    """
    vol = match_volunteer(session, doc, volunteer_id)
    own_org = programme.config.organisation.name
    own_prefix = f"{programme.id}/"
    now = utcnow()
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    own = 0
    for r in doc.records:
        key = (r.origin_org, r.source_ref)
        if (r.origin_org == own_org and r.source_ref.startswith(own_prefix)) or key in seen:
            own += 1
            continue
        seen.add(key)
        content = r.content if r.post is None else f"{r.post}：{r.content or ''}".rstrip("：")
        rows.append({
            "programme_id": programme.id, "volunteer_id": vol.id, "started_at": r.started_at, "ended_at": r.ended_at,
            "minutes": r.minutes, "category": r.category, "content": content, "rating": r.rating,
            "captured": "transferred", "verified_by": actor, "verified_at": now, "source_org": r.origin_org,
            "source_ref": r.source_ref, "source_project": r.project, "created_by": actor, "created_at": now})
    new_ids: list[int] = []
    if rows:
        stmt = dialect_insert(session, ServiceRecord).on_conflict_do_nothing(  # type: ignore[attr-defined]
            index_elements=["programme_id", "source_org", "source_ref"]).returning(ServiceRecord.id)
        for chunk in range(0, len(rows), 500):
            new_ids.extend(session.scalars(stmt.values(rows[chunk:chunk + 500])))
    new_ids.sort()
    records = list(session.scalars(select(ServiceRecord).where(ServiceRecord.id.in_(new_ids))
                                   .order_by(ServiceRecord.id)))
    _counted(session, programme, host, records, actor)
    return {"volunteer_id": vol.id, "source_org": doc.issuer.name, "imported": len(new_ids),
            "skipped_duplicates": len(doc.records) - len(new_ids), "record_ids": new_ids,
            "minutes": sum(r.minutes for r in records), "own_records_skipped": own}
