"""HTTP routes of the recruitment stage: volunteers, enrolments, batch import (and, included from
``application_routes``, applications and agreements), under /api/v1/programmes/{programme_id}/…"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Response, UploadFile

from engine.errors import Forbidden, InvalidInput
from engine.http.deps import AccessDep, EngineDep, SessionDep
from engine.inputs import Id, Offset
from engine.stages.recruitment import application_routes, batch, service
from engine.stages.recruitment.access import (
    READERS,
    STAFF,
    is_reader,
    my_volunteer,
    require_self_or_reader,
    reveal,
)
from engine.stages.recruitment.schemas import (
    EnrolmentIn,
    ImportMode,
    VolunteerIn,
    enrolment_out,
    volunteer_out,
)

router = APIRouter(prefix="/programmes/{programme_id}", tags=["recruitment"])
MAX_UPLOAD = 20 * 1024 * 1024


def _registration_out(access: Any, reg: service.Registration) -> dict[str, Any]:
    show = reveal(access, reg.volunteer)
    return {"volunteer": volunteer_out(reg.volunteer, reveal=show), "existing": reg.existing,
            "differences": service.mask_differences(reg.differences, reveal=show),
            "enrolment": enrolment_out(reg.enrolment), "enrolment_created": reg.enrolment_created,
            "account_created": reg.account_created, "warnings": reg.warnings}


@router.post("/volunteers", status_code=201)
def register(body: VolunteerIn, access: AccessDep, engine: EngineDep, session: SessionDep,
             response: Response) -> dict[str, Any]:
    """Register someone (admin, coordinator). 201 new; 200 with ``existing: true`` and the differing
    fields when the ID number is already registered (nothing stored is overwritten)."""
    if not access.has(*STAFF) and access.has("volunteer"):
        raise Forbidden("志愿者请用 POST volunteers/me 自行注册 / volunteers register themselves with POST "
                        f"/api/v1/programmes/{access.programme.id}/volunteers/me", required_roles=list(STAFF))
    access.require(*STAFF, what="registering volunteers")
    reg = service.register_volunteer(session, access.programme, body, actor=access.actor, auth=engine.auth)
    if reg.existing:
        response.status_code = 200
    return _registration_out(access, reg)


@router.post("/volunteers/me", status_code=201)
def register_me(body: VolunteerIn, access: AccessDep, engine: EngineDep, session: SessionDep,
                response: Response) -> dict[str, Any]:
    """Self-registration by a logged-in volunteer; the record is linked to their login."""
    access.require("volunteer", what="registering yourself")
    reg = service.register_volunteer(session, access.programme, body, actor=access.actor, self_user=access.user,
                                     auth=engine.auth)
    if reg.existing:
        response.status_code = 200
    return _registration_out(access, reg)


@router.get("/volunteers/me")
def show_me(access: AccessDep, session: SessionDep) -> dict[str, Any]:
    """Your own record, unmasked, and your enrolment here (null if not enrolled)."""
    vol = my_volunteer(session, access)
    enr = service.enrolment_of(session, access.programme.id, vol.id)
    return {"volunteer": volunteer_out(vol, reveal=True), "enrolment": enrolment_out(enr) if enr else None}


@router.post("/volunteers/import")
def import_file(access: AccessDep, session: SessionDep, file: Annotated[UploadFile, File(description="CSV or XLSX")],
                unit: Annotated[str, Form(min_length=1, max_length=190)],
                mode: Annotated[ImportMode, Form()] = "all_or_nothing",
                dry_run: Annotated[bool, Form()] = False) -> dict[str, Any]:
    """定向招募 batch registration of a unit's people (admin, coordinator). 422 with the full report
    when nothing was stored because of errors (all_or_nothing, or a file-level problem)."""
    access.require(*STAFF, what="importing volunteers")
    data = file.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InvalidInput(f"文件超过 {MAX_UPLOAD // 1024 // 1024} MB / file larger than "
                           f"{MAX_UPLOAD // 1024 // 1024} MB", field="file")
    report = batch.import_volunteers(session, access.programme, data, unit=unit, mode=mode, dry_run=dry_run,
                                     filename=file.filename, actor=access.actor)
    out = report.to_dict(reveal=access.sees_personal_data())
    if report.refused and not dry_run:
        problems = len(report.file_errors) or len(report.error_rows)
        raise InvalidInput(f"导入未保存：{problems} 处问题 / nothing imported: {problems} problem(s); see report",
                           field="file", report=out)
    return out


@router.get("/volunteers")
def list_volunteers(access: AccessDep, session: SessionDep, q: str | None = Query(None, max_length=100),
                    unit: str | None = Query(None, max_length=200), skill: str | None = Query(None, max_length=100),
                    limit: int = Query(100, ge=1, le=500), offset: Offset = 0) -> dict[str, Any]:
    """Volunteers enrolled here, searched by name (q), unit and skill (staff, team leaders, supervisors)."""
    access.require(*READERS, what="listing volunteers")
    rows, total = service.list_volunteers(session, access.programme.id, q=q, unit=unit, skill=skill,
                                          limit=limit, offset=offset)
    show = access.sees_personal_data()
    return {"total": total, "items": [volunteer_out(v, reveal=show) for v in rows]}


@router.get("/volunteers/{volunteer_id}")
def show_volunteer(volunteer_id: Id, access: AccessDep, session: SessionDep) -> dict[str, Any]:
    vol = service.enrolled_volunteer(session, access.programme.id, volunteer_id)
    require_self_or_reader(access, vol, "志愿者记录 volunteer record")
    enr = service.enrolment_of(session, access.programme.id, vol.id)
    return {"volunteer": volunteer_out(vol, reveal=reveal(access, vol)), "enrolment": enrolment_out(enr) if enr else None}


@router.post("/enrolments", status_code=201)
def enrol(body: EnrolmentIn, access: AccessDep, session: SessionDep, response: Response) -> dict[str, Any]:
    """Enrol someone who already joined a programme of this organisation (admin, coordinator); 200 if
    already enrolled; 404 for anyone else (the same answer as for an unused id)."""
    access.require(*STAFF, what="enrolling volunteers")
    vol = service.organisation_volunteer(session, access.programme, body.volunteer_id)
    row, created, warnings = service.enrol(session, access.programme, vol, source="coordinator", node=body.node,
                                           guardian_consent=body.guardian_consent, guardian_name=body.guardian_name)
    if not created:
        response.status_code = 200
    return {"enrolment": enrolment_out(row), "created": created, "warnings": warnings}


@router.get("/enrolments")
def list_enrolments(access: AccessDep, session: SessionDep, source: str | None = Query(None, max_length=200),
                    node: str | None = Query(None, max_length=100), limit: int = Query(100, ge=1, le=500),
                    offset: Offset = 0) -> dict[str, Any]:
    """Enrolments here (staff, team leaders, supervisors); a volunteer gets their own."""
    if not is_reader(access):
        access.require("volunteer", what="enrolments")
        vol = my_volunteer(session, access)
        enr = service.enrolment_of(session, access.programme.id, vol.id)
        return {"total": int(enr is not None), "items": [enrolment_out(enr)] if enr else []}
    rows, total = service.list_enrolments(session, access.programme.id, source=source, node=node,
                                          limit=limit, offset=offset)
    return {"total": total, "items": [{**enrolment_out(e), "name": v.name, "unit": v.unit} for e, v in rows]}


router.include_router(application_routes.router)
