"""Request and response models of the certificate and transfer routes (bounded for the OpenAPI audit)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.certificates.models import Certificate, TransferConsent
from engine.inputs import Day, Id


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CertificateRequestIn(_In):
    volunteer_id: Id | None = Field(default=None, description="staff: for whom; a volunteer: themselves (omit)")
    period_start: Day | None = Field(default=None, description="default: the programme period's start")
    period_end: Day | None = Field(default=None, description="default: the programme period's end")
    project_id: Id | None = None
    purpose: str | None = Field(default=None, max_length=200, description="e.g. 升学 / school application")
    issuer: str | None = Field(default=None, max_length=63, description="organisation slug asked to issue; must be "
                               "the one that recorded the service (default: the programme's)")


class AcceptIn(_In):
    notice_days: int = Field(default=0, ge=0, le=90, description="public-notice period (公示) in days; 0: none")


class ReasonIn(_In):
    reason: str = Field(min_length=2, max_length=1000)


class CertificateOut(BaseModel):
    id: int
    programme_id: str
    volunteer_id: int
    project_id: int | None
    period_start: dt.date
    period_end: dt.date
    purpose: str | None
    state: str
    notice_until: dt.date | None
    number: str | None
    verify_url: str | None
    statement: dict[str, Any]
    reason: str | None
    history: list[Any]
    requested_by: str
    requested_at: dt.datetime
    issued_at: dt.datetime | None
    revoked_at: dt.datetime | None

    @classmethod
    def of(cls, c: Certificate) -> CertificateOut:
        from engine.certificates.pdf import verify_url

        data = {k: getattr(c, k) for k in cls.model_fields if k != "verify_url"}
        return cls(**data, verify_url=verify_url(c) if c.token else None)


class VerdictOut(BaseModel):
    found: bool
    status: Literal["valid", "revoked"] | None = None
    statement: dict[str, Any] | None = None
    revoked_on: str | None = None


class ConsentIn(_In):
    volunteer_id: Id | None = Field(default=None, description="staff: whose consent is recorded; a volunteer: omit")
    direction: Literal["import", "export"]
    counterpart: str | None = Field(default=None, max_length=200, description="the other organisation")
    evidence: str | None = Field(default=None, max_length=500, description="staff: what the consent rests on")


class ConsentRequestIn(_In):
    volunteer_id: Id
    direction: Literal["import", "export"]
    counterpart: str = Field(min_length=1, max_length=200)


class ConsentOut(BaseModel):
    id: int
    volunteer_id: int
    direction: str
    counterpart: str | None
    method: str
    evidence: str | None
    recorded_by: str
    given_at: dt.datetime
    withdrawn_at: dt.datetime | None

    @classmethod
    def of(cls, c: TransferConsent) -> ConsentOut:
        return cls.model_validate({k: getattr(c, k) for k in cls.model_fields})


class BundleImportOut(BaseModel):
    volunteer_id: int
    source_org: str
    key_id: str
    trusted_as: str
    imported: int
    skipped_duplicates: int
    own_records_skipped: int
    minutes: int
    record_ids: list[int]
    consent_id: int


class BundleCheckOut(BaseModel):
    intact: bool
    problems: list[str]
    key_id: str | None
    issuer: dict[str, Any] | None
    holder: dict[str, Any] | None
    totals: dict[str, int] | None
    known_here_by: list[str] = Field(description="organisations on this server that own or trust the key")


class TrustIn(_In):
    public_key: str = Field(min_length=40, max_length=64, description="Base64 of the 32-byte Ed25519 public key")
    issuer_name: str = Field(min_length=1, max_length=200)
    key_id: str | None = Field(default=None, max_length=64, description="if given, must match the public key")


class KeyOut(BaseModel):
    key_id: str
    public_key: str
    created_at: dt.datetime
    retired_at: dt.datetime | None
