"""HTTP routes of certificates and record transfers inside a programme (under /api/v1/programmes/{id}/…).

A volunteer requests and downloads their own certificates and moves their own records; coordinators and
admins (``WRITERS``) accept, issue, refuse and revoke, and act for a volunteer with recorded consent.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from engine.certificates import pdf, transfer
from engine.certificates import service as certs
from engine.certificates.access import STAFF, WRITERS, bundle_response, committed, own_volunteer_id, whose
from engine.certificates.bundles import read
from engine.certificates.models import Certificate
from engine.certificates.schemas import (
    AcceptIn,
    BundleImportOut,
    CertificateOut,
    CertificateRequestIn,
    ConsentIn,
    ConsentOut,
    ConsentRequestIn,
    ReasonIn,
)
from engine.errors import Forbidden, InvalidInput
from engine.http.deps import Access, AccessDep, EngineDep, SessionDep
from engine.inputs import Id, Limit, Offset
from engine.orgs.models import Organisation
from engine.orgs.service import organisation_of
from engine.stages.recruitment.models import Volunteer

router = APIRouter(prefix="/programmes/{programme_id}", tags=["certificates"])


def _visible(session: Session, access: Access, cert: Certificate) -> Certificate:
    if not access.has(*STAFF) and cert.volunteer_id != own_volunteer_id(session, access):
        raise Forbidden("只能查看本人的证明 / you may only see your own certificates")
    return cert


@router.post("/certificates", response_model=CertificateOut, status_code=201)
def request_certificate(body: CertificateRequestIn, access: AccessDep, session: SessionDep) -> CertificateOut:
    """申请: request a certificate of service (free of charge) for a period or a project."""
    vid, _ = whose(session, access, body.volunteer_id, "certificates")
    cert = certs.request(session, access.programme, volunteer_id=vid, actor=access.actor,
                         period_start=body.period_start, period_end=body.period_end, project_id=body.project_id,
                         purpose=body.purpose, issuer=body.issuer)
    return committed(session, CertificateOut.of(cert))


@router.get("/certificates", response_model=list[CertificateOut])
def list_certificates(access: AccessDep, session: SessionDep, volunteer_id: Id | None = None,
                      state: Literal["requested", "accepted", "notice", "issued", "refused", "revoked"] | None = None,
                      limit: Limit = 100, offset: Offset = 0) -> list[CertificateOut]:
    if not access.has(*STAFF):
        volunteer_id, _ = whose(session, access, volunteer_id, "certificates")
    rows = certs.listed(session, access.programme, volunteer_id=volunteer_id, state=state, limit=limit, offset=offset)
    return [CertificateOut.of(c) for c in rows]


@router.get("/certificates/{certificate_id}", response_model=CertificateOut)
def show_certificate(certificate_id: Id, access: AccessDep, session: SessionDep) -> CertificateOut:
    return CertificateOut.of(_visible(session, access, certs.get(session, access.programme, certificate_id)))


@router.post("/certificates/{certificate_id}/accept", response_model=CertificateOut)
def accept_certificate(certificate_id: Id, body: AcceptIn, access: AccessDep, session: SessionDep) -> CertificateOut:
    """受理, with an optional public-notice period (公示)."""
    access.require(*WRITERS, what="accepting certificate requests")
    cert = certs.accept(session, access.programme, certs.get(session, access.programme, certificate_id),
                        actor=access.actor, notice_days=body.notice_days)
    return committed(session, CertificateOut.of(cert))


@router.post("/certificates/{certificate_id}/issue", response_model=CertificateOut)
def issue_certificate(certificate_id: Id, access: AccessDep, engine: EngineDep, session: SessionDep) -> CertificateOut:
    """开具: number, statement and verification link; the volunteer is notified."""
    access.require(*WRITERS, what="issuing certificates")
    cert = certs.issue(session, access.programme, engine.host, certs.get(session, access.programme, certificate_id),
                       actor=access.actor)
    return committed(session, CertificateOut.of(cert))


@router.post("/certificates/{certificate_id}/refuse", response_model=CertificateOut)
def refuse_certificate(certificate_id: Id, body: ReasonIn, access: AccessDep, session: SessionDep) -> CertificateOut:
    access.require(*WRITERS, what="refusing certificate requests")
    cert = certs.refuse(session, certs.get(session, access.programme, certificate_id), actor=access.actor,
                        reason=body.reason)
    return committed(session, CertificateOut.of(cert))


@router.post("/certificates/{certificate_id}/revoke", response_model=CertificateOut)
def revoke_certificate(certificate_id: Id, body: ReasonIn, access: AccessDep, engine: EngineDep,
                       session: SessionDep) -> CertificateOut:
    """Revoke an issued certificate; its verification page then says "revoked"."""
    access.require(*WRITERS, what="revoking certificates")
    cert = certs.revoke(session, access.programme, engine.host, certs.get(session, access.programme, certificate_id),
                        actor=access.actor, reason=body.reason)
    return committed(session, CertificateOut.of(cert))


@router.get("/certificates/{certificate_id}/pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def certificate_pdf(certificate_id: Id, access: AccessDep, session: SessionDep) -> Response:
    """The certificate as an A4 PDF (holder and staff)."""
    cert = _visible(session, access, certs.get(session, access.programme, certificate_id))
    org = session.get(Organisation, cert.organisation_id)
    body = pdf.render_pdf(cert, org.seal_image if org else None)
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="certificate-{cert.number}.pdf"'})


# ------------------------------------------------------------------ transfers
@router.get("/records/bundle")
def export_bundle(access: AccessDep, session: SessionDep, volunteer_id: Id | None = None) -> Response:
    """A volunteer's records in force as a signed bundle (Ed25519, docs/certificates.md). A volunteer's own
    export records their consent; staff need the volunteer's recorded export consent."""
    vid, by_self = whose(session, access, volunteer_id, "records to export")
    doc = transfer.export_bundle(session, access.programme, vid, by_self=by_self, actor=access.actor)
    return committed(session, bundle_response(doc, f"records-{access.programme.id}-{vid}"))


async def _raw_body(request: Request) -> bytes:
    return await request.body()


@router.post("/records/bundle/import", response_model=BundleImportOut)
def import_bundle(body: Annotated[bytes, Depends(_raw_body)], access: AccessDep, engine: EngineDep,
                  session: SessionDep, volunteer_id: Id | None = None) -> BundleImportOut:
    """Import a signed bundle from another organisation: for the logged-in volunteer (their own), or by
    staff for ``volunteer_id`` with that volunteer's recorded import consent. The issuer's key must be
    on this organisation's trust list; records already held are skipped."""
    vid, by_self = whose(session, access, volunteer_id, "records to import")
    vol = session.get(Volunteer, vid)
    assert vol is not None
    result = transfer.import_bundle(session, access.programme, engine.host, read(body), actor=access.actor,
                                    volunteer=vol, by_self=by_self)
    return committed(session, BundleImportOut(**result))


@router.get("/transfer-consents", response_model=list[ConsentOut])
def list_consents(access: AccessDep, session: SessionDep, volunteer_id: Id | None = None) -> list[ConsentOut]:
    vid, _ = whose(session, access, volunteer_id, "consents")
    org = organisation_of(session, access.programme)
    return [ConsentOut.of(c) for c in transfer.consents(session, org, vid)]


@router.post("/transfer-consents", response_model=ConsentOut, status_code=201)
def give_consent(body: ConsentIn, access: AccessDep, session: SessionDep) -> ConsentOut:
    """A volunteer consents to a transfer of their records; or staff record a consent given elsewhere
    (``evidence`` required: what it rests on)."""
    vid, by_self = whose(session, access, body.volunteer_id, "consents")
    org = organisation_of(session, access.programme)
    row = transfer.give_consent(session, org, vid, body.direction, method="self" if by_self else "recorded",
                                actor=access.actor, counterpart=body.counterpart, evidence=body.evidence)
    return committed(session, ConsentOut.of(row))


@router.post("/transfer-consents/withdraw")
def withdraw_consent(body: ConsentIn, access: AccessDep, session: SessionDep) -> dict[str, int]:
    vid, _ = whose(session, access, body.volunteer_id, "consents")
    org = organisation_of(session, access.programme)
    return committed(session, {"withdrawn": transfer.withdraw_consent(session, org, vid, body.direction)})


@router.post("/transfer-consents/request", status_code=202)
def request_consent(body: ConsentRequestIn, access: AccessDep, engine: EngineDep, session: SessionDep) -> dict[str, bool]:
    """Staff ask a volunteer for their consent (a notification; nothing moves until they give it)."""
    from engine.notify.outbox import enqueue
    from engine.store.base import utcnow

    access.require(*WRITERS, what="asking for transfer consent")
    if session.get(Volunteer, body.volunteer_id) is None:
        raise InvalidInput(f"没有志愿者 {body.volunteer_id} / no volunteer {body.volunteer_id}", field="volunteer_id")
    org = organisation_of(session, access.programme)
    queued = enqueue(session, programme_id=access.programme.id, template="transfer.consent_request",
                     to_volunteer_id=body.volunteer_id, host=engine.host,
                     key=f"transfer.consent_request:{org.id}:{body.volunteer_id}:{body.direction}:{utcnow():%Y%m%d}",
                     data={"organisation": org.name, "direction": body.direction, "counterpart": body.counterpart})
    return committed(session, {"queued": queued})


