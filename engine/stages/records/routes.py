"""HTTP routes of the records stage (under /api/v1/programmes/{programme_id}/…).

Staff (admin, coordinator, supervisor, team_leader) read every record; a volunteer reads and
exports only their own. Coordinators and admins write: direct entries, verification, corrections,
imports. Static paths are declared before ``/records/{record_id}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import Forbidden
from engine.http.deps import Access, AccessDep, EngineDep, SessionDep
from engine.inputs import Id, Offset
from engine.stages.records import service as records
from engine.stages.records.schemas import (
    ImportOut,
    RecordIn,
    RecordOut,
    ReverseIn,
    ReverseOut,
    TotalOut,
    VerifyIn,
)
from engine.stages.recruitment.models import Volunteer
from engine.stages.recruitment.visibility import visible_volunteer
from engine.timeutil import aware

router = APIRouter(prefix="/programmes/{programme_id}", tags=["records"])

STAFF = ("admin", "coordinator", "supervisor", "team_leader")
WRITERS = ("admin", "coordinator")


def own_volunteer_id(session: Session, access: Access) -> int | None:
    """The caller's own volunteer profile (``Volunteer.user_id``), if any."""
    return session.scalar(select(Volunteer.id).where(Volunteer.user_id == access.user.id))


def _volunteer_scope(session: Session, access: Access, volunteer_id: int | None, what: str) -> int | None:
    """Staff may ask for anyone (or everyone); anybody else only for themselves."""
    if access.has(*STAFF):
        if volunteer_id is not None:
            visible_volunteer(session, access.programme.id, volunteer_id)
        return volunteer_id
    own = own_volunteer_id(session, access)
    if own is None:
        raise Forbidden(f"你没有志愿者档案，不能查看{what} / you have no volunteer profile, so no {what} to see")
    if volunteer_id is not None and volunteer_id != own:
        raise Forbidden(f"只能查看本人的{what} / you may only see your own {what}")
    return own


def _local(access: Access, value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else aware(value, access.programme.config.timezone)


T = TypeVar("T")


def committed(session: Session, reply: T) -> T:
    """Commit, then reply. Why here and not only in the shared session dependency: that dependency's
    exit (its commit) runs after the response has been sent, so without this a client could read
    201 for a write whose commit then fails — and on SQLite the write lock would be held while the
    reply is being sent."""
    session.commit()
    return reply


@router.get("/records", response_model=list[RecordOut])
def list_records(access: AccessDep, session: SessionDep, volunteer_id: Id | None = None,
                 project_id: Id | None = None, verified: bool | None = None,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                 offset: Offset = 0) -> list[RecordOut]:
    """Service records (staff: all, filterable; a volunteer: their own)."""
    vid = _volunteer_scope(session, access, volunteer_id, "服务记录 service records")
    rows = records.list_records(session, access.programme, volunteer_id=vid, project_id=project_id,
                                verified=verified, limit=limit, offset=offset)
    return [RecordOut.of(r) for r in rows]


@router.post("/records", response_model=RecordOut, status_code=201)
def enter_record(body: RecordIn, access: AccessDep, engine: EngineDep, session: SessionDep) -> RecordOut:
    """A coordinator enters a record directly (captured=coordinator); verified at once unless verify=false."""
    access.require(*WRITERS, what="entering service records")
    start, end = _local(access, body.started_at), _local(access, body.ended_at)
    assert start is not None and end is not None
    rec = records.enter_record(session, access.programme, engine.host, volunteer_id=body.volunteer_id,
                               started_at=start, ended_at=end, minutes=body.minutes, project_id=body.project_id,
                               post_id=body.post_id, category=body.category, content=body.content,
                               rating=body.rating, verify=body.verify, actor=access.actor)
    return committed(session, RecordOut.of(rec))


@router.post("/records/verify")
def verify(body: VerifyIn, access: AccessDep, engine: EngineDep, session: SessionDep) -> dict[str, list[int]]:
    """Verify records (ids, or all_pending); a reversal and its original are verified together."""
    access.require(*WRITERS, what="verifying service records")
    out = records.verify_records(session, access.programme, engine.host, body.ids, actor=access.actor,
                                 all_pending=body.all_pending)
    return committed(session, out)


@router.get("/records/export")
def export(access: AccessDep, session: SessionDep, volunteer_id: Id | None = None,
           format: Literal["json", "csv"] = "json") -> Response:
    """A volunteer's verified records: ``json`` is the signed portable bundle (Ed25519, see
    docs/certificates.md; the same as ``GET …/records/bundle``), ``csv`` a listing for people to read
    (not importable). A volunteer exports their own; staff export for ``volunteer_id`` with the
    volunteer's recorded export consent (json) or for reading (csv)."""
    from engine.certificates import transfer
    from engine.certificates.access import bundle_response, whose
    from engine.certificates.bundles import records_csv

    if format == "csv":
        vid, _ = whose(session, access, volunteer_id, "服务记录 service records")
        return Response(records_csv(session, access.programme, vid), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="service-records-{access.programme.id}-{vid}.csv"'})
    vid, by_self = whose(session, access, volunteer_id, "服务记录 service records")
    doc = transfer.export_bundle(session, access.programme, vid, by_self=by_self, actor=access.actor)
    return committed(session, bundle_response(doc, f"service-records-{access.programme.id}-{vid}"))


async def _raw_body(request: Request) -> bytes:
    """The request body, read before the (synchronous) endpoint runs in the thread pool."""
    return await request.body()


@router.post("/records/import", response_model=ImportOut)
def import_records(body: Annotated[bytes, Depends(_raw_body)], access: AccessDep,
                   engine: EngineDep, session: SessionDep, volunteer_id: Id | None = None) -> ImportOut:
    """Import records transferred from another organisation as a signed bundle (the same as
    ``POST …/records/bundle/import``): the issuer's key must be on this organisation's trust list; the
    volunteer imports their own, staff need the volunteer's recorded import consent. Duplicates are
    skipped and counted. (The old unsigned format, with a salted hash of the ID number, is refused.)"""
    from engine.certificates import bundles, transfer
    from engine.certificates.access import whose

    vid, by_self = whose(session, access, volunteer_id, "服务记录 service records")
    vol = session.get(Volunteer, vid)
    assert vol is not None
    out = transfer.import_bundle(session, access.programme, engine.host, bundles.read(body), actor=access.actor,
                                 volunteer=vol, by_self=by_self)
    return committed(session, ImportOut(**{k: out[k] for k in ImportOut.model_fields}))


@router.get("/records/{record_id}", response_model=RecordOut)
def show_record(record_id: Id, access: AccessDep, session: SessionDep) -> RecordOut:
    rec = records.get_record(session, access.programme, record_id)
    _volunteer_scope(session, access, rec.volunteer_id, "服务记录 service records")
    return RecordOut.of(rec)


@router.post("/records/{record_id}/reverse", response_model=ReverseOut, status_code=201)
def reverse(record_id: Id, body: ReverseIn, access: AccessDep, engine: EngineDep, session: SessionDep) -> ReverseOut:
    """Correct a record: a reversing entry, plus a new record when replacement values are given."""
    access.require(*WRITERS, what="correcting service records")
    repl = None
    if body.replacement is not None:
        repl = body.replacement.model_dump()
        repl["started_at"] = _local(access, body.replacement.started_at)
        repl["ended_at"] = _local(access, body.replacement.ended_at)
    reversal, fresh = records.reverse_record(session, access.programme, engine.host, record_id, reason=body.reason,
                                             actor=access.actor, replacement=repl)
    out = ReverseOut(reversal=RecordOut.of(reversal), replacement=RecordOut.of(fresh) if fresh else None)
    return committed(session, out)


# ------------------------------------------------------------------ totals
@router.get("/totals/programme")
def totals_programme(access: AccessDep, session: SessionDep) -> dict[str, Any]:
    """The programme's verified minutes and records, by category and by captured kind."""
    access.require(*STAFF, what="programme totals")
    return records.programme_totals(session, access.programme)


@router.get("/totals/projects")
def totals_projects(access: AccessDep, session: SessionDep) -> list[dict[str, Any]]:
    access.require(*STAFF, what="project totals")
    return records.project_totals(session, access.programme)


@router.get("/totals/projects/{project_id}")
def totals_project(project_id: Id, access: AccessDep, session: SessionDep) -> dict[str, Any]:
    access.require(*STAFF, what="project totals")
    for row in records.project_totals(session, access.programme):
        if row["project_id"] == project_id:
            return row
    return {"project_id": project_id, "project": None, "minutes": 0, "hours": 0.0, "level_minutes": 0,
            "records": 0, "volunteers": 0}


@router.get("/totals/volunteers", response_model=list[TotalOut])
def totals_volunteers(access: AccessDep, session: SessionDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                      offset: Offset = 0) -> list[TotalOut]:
    """Every volunteer's cached totals, most minutes first."""
    access.require(*STAFF, what="volunteer totals")
    return [TotalOut.of(t) for t in records.cached_totals(session, access.programme, limit=limit, offset=offset)]


@router.get("/totals/volunteers/{volunteer_id}")
def totals_volunteer(volunteer_id: Id, access: AccessDep, session: SessionDep) -> dict[str, Any]:
    """One volunteer's verified totals (staff, or the volunteer themselves)."""
    _volunteer_scope(session, access, volunteer_id, "服务时长 totals")
    return records.volunteer_totals(session, access.programme, volunteer_id)


@router.post("/totals/rebuild")
def totals_rebuild(access: AccessDep, engine: EngineDep, session: SessionDep) -> dict[str, int]:
    """Rebuild the totals cache from the records (one set-based statement), then the levels that
    depend on it — a rebuilt total must not keep a stale star level."""
    from engine.stages.rewards.levels import rebuild_levels

    access.require("admin", what="rebuilding the totals cache")
    written = records.rebuild_totals(session, access.programme, host=engine.host)
    rebuild_levels(session, access.programme, engine.host)
    return committed(session, {"volunteers": written})
