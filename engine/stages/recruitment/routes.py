"""HTTP routes of the recruitment stage: volunteers, enrolments, batch import (and, included from
``application_routes``, applications and agreements), under /api/v1/programmes/{programme_id}/…"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile

from engine.errors import Forbidden, InvalidInput, NotFound
from engine.http.deps import AccessDep, EngineDep, ProgrammeId, SessionDep
from engine.inputs import Id, Offset
from engine.stages.recruitment import application_routes, batch, claims, service, signup
from engine.stages.recruitment.access import (
    READERS,
    STAFF,
    is_reader,
    my_volunteer,
    require_self_or_reader,
    reveal,
)
from engine.stages.recruitment.schemas import (
    ClaimCodeIn,
    ClaimConfirmIn,
    EnrolmentIn,
    ImportMode,
    SignupConfirmIn,
    SignupIn,
    VolunteerIn,
    enrolment_out,
    volunteer_out,
)

router = APIRouter(prefix="/programmes/{programme_id}", tags=["recruitment"])
MAX_UPLOAD = 20 * 1024 * 1024


def _registration_out(access: Any, reg: service.Registration, response: Response) -> dict[str, Any]:
    if reg.pending == "claim":
        response.status_code = 202
        return {"status": "claim", "claim_id": reg.claim_id, "message": claims.accepted_message(reg.claim_id or 0)}
    if reg.pending == "invited":
        response.status_code = 202
        return {"status": "invited", "message": "此身份证号不能由本机构直接登记：如登记簿中有此人，已通知其本人自行登记 / "
                "this ID number cannot be registered by your organisation directly: if the registry holds this "
                "person, they were told to register themselves"}
    assert reg.volunteer is not None and reg.enrolment is not None
    if reg.existing:
        response.status_code = 200
    show = reveal(access, reg.volunteer)
    return {"volunteer": volunteer_out(reg.volunteer, reveal=show), "existing": reg.existing,
            "differences": service.mask_differences(reg.differences, reveal=show),
            "enrolment": enrolment_out(reg.enrolment), "enrolment_created": reg.enrolment_created,
            "account_created": reg.account_created, "warnings": reg.warnings}


@router.post("/volunteers", status_code=201)
def register(body: VolunteerIn, access: AccessDep, engine: EngineDep, session: SessionDep,
             response: Response) -> dict[str, Any]:
    """Register someone (admin, coordinator). 201 new; 200 with ``existing: true`` and the differing
    fields when the ID number belongs to someone who joined this organisation (nothing stored is
    overwritten); 202 ``invited`` and no data when it belongs to anyone else (they are told, and join
    by their own action: engine/stages/recruitment/visibility.py)."""
    if not access.has(*STAFF) and access.has("volunteer"):
        raise Forbidden("志愿者请用 POST volunteers/me 自行注册 / volunteers register themselves with POST "
                        f"/api/v1/programmes/{access.programme.id}/volunteers/me", required_roles=list(STAFF))
    access.require(*STAFF, what="registering volunteers")
    reg = service.register_volunteer(session, access.programme, body, actor=access.actor, auth=engine.auth)
    return _registration_out(access, reg, response)


@router.post("/volunteers/me", status_code=201)
def register_me(body: VolunteerIn, access: AccessDep, engine: EngineDep, session: SessionDep,
                response: Response) -> dict[str, Any]:
    """Self-registration by a logged-in volunteer; the record is linked to their login."""
    access.require("volunteer", what="registering yourself")
    reg = service.register_volunteer(session, access.programme, body, actor=access.actor, self_user=access.user,
                                     auth=engine.auth)
    return _registration_out(access, reg, response)


@router.post("/volunteers/me/claim", status_code=201)
def claim_me(body: ClaimCodeIn, access: AccessDep, session: SessionDep) -> dict[str, Any]:
    """Confirm a claim with the code sent to the record's phone: the record becomes yours, enrolled here."""
    access.require("volunteer", what="claiming your record")
    vol = claims.confirm_with_code(session, access.user, body.claim_id, body.code)
    row, _, warnings = service.enrol(session, access.programme, vol, source="self")
    return {"volunteer": volunteer_out(vol, reveal=True), "enrolment": enrolment_out(row), "warnings": warnings}


@router.post("/identity-claims/{claim_id}/confirm", status_code=201)
def confirm_claim(claim_id: Id, body: ClaimConfirmIn, access: AccessDep, session: SessionDep) -> dict[str, Any]:
    """A coordinator confirms a claim in person, having seen the claimant's ID card (admin, coordinator).
    404 unless the number is that of a login-less record; the answer carries no personal data."""
    access.require(*STAFF, what="confirming claims")
    vol = claims.confirm_in_person(session, access.programme, claim_id, body.id_number)
    row, _, _ = service.enrol(session, access.programme, vol, source="self")
    return {"claim_id": claim_id, "enrolment": enrolment_out(row)}


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
                                           guardian_relationship=body.guardian_relationship,
                                           guardian_phone=body.guardian_phone,
                                           guardian_consent=body.guardian_consent, guardian_name=body.guardian_name,
                                           referred_by=body.referred_by, actor=access.actor)
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


@router.post("/signup", status_code=202)
def sign_up(programme_id: ProgrammeId, body: SignupIn, request: Request, engine: EngineDep,
            session: SessionDep) -> dict[str, Any]:
    """Self sign-up for a public programme, no login needed: an account without a role is made and a
    code sent to the e-mail address; throttled per client address (429 with Retry-After)."""
    from engine.http.login import client_address

    signup.check_rate(client_address(request))
    try:
        programme = engine.programme(programme_id, session)
    except NotFound:
        raise signup.not_public(programme_id) from None
    claim = signup.start_signup(session, programme, engine.auth, username=body.username, password=body.password,
                                email=body.email, display_name=body.display_name)
    return {"signup_id": claim.id, "message": f"验证码已发送至 {body.email}，{claims.CODE_MINUTES} 分钟内有效 / a code was "
            f"sent to {body.email}, valid for {claims.CODE_MINUTES} minutes: POST it to signup/confirm"}


@router.post("/signup/confirm", status_code=201)
def sign_up_confirm(programme_id: ProgrammeId, body: SignupConfirmIn, engine: EngineDep,
                    session: SessionDep) -> dict[str, Any]:
    """Finish signing up with the code: the account gets the volunteer role here; log in and register."""
    try:
        programme = engine.programme(programme_id, session)
    except NotFound:
        raise signup.not_public(programme_id) from None
    user = signup.confirm_signup(session, programme, engine.auth, body.signup_id, body.code)
    return {"username": user.username, "programme_id": programme.id, "role": "volunteer"}


router.include_router(application_routes.router)
