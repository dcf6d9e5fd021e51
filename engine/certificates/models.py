"""Tables: certificates, transfer consents, imported bundles (provenance)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.base import Base, utcnow

STATES = ("requested", "accepted", "notice", "issued", "refused", "revoked")


class Certificate(Base):
    """A certificate request and, once issued, the certificate: ``statement`` is exactly what it
    states (frozen at issue); ``token`` is the unguessable part of its verification link."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("organisation_id", "year", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    purpose: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), index=True)
    notice_until: Mapped[dt.date | None]
    year: Mapped[int | None]
    seq: Mapped[int | None]
    number: Mapped[str | None] = mapped_column(String(100), unique=True)
    token: Mapped[str | None] = mapped_column(String(64), unique=True)
    statement: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reason: Mapped[str | None] = mapped_column(Text)  # why refused or revoked
    history: Mapped[list[Any]] = mapped_column(default=list)  # [{state, by, at}]
    requested_by: Mapped[str] = mapped_column(String(120))
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    issued_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]


class TransferConsent(Base):
    """A volunteer's consent to move their records to or from another organisation (志愿服务条例
    第二十条: nothing about a volunteer is passed on without their consent). ``method`` is ``act`` (they
    moved their records themselves, logged in: that transfer only), ``self`` (standing consent they gave
    on their page) or ``recorded`` (a coordinator recorded it, with ``evidence``)."""

    __tablename__ = "transfer_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    direction: Mapped[str] = mapped_column(String(8))  # import | export
    counterpart: Mapped[str | None] = mapped_column(String(200))  # the other organisation, as named
    method: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[str | None] = mapped_column(String(500))
    recorded_by: Mapped[str] = mapped_column(String(120))
    given_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[dt.datetime | None]


class BundleImport(Base):
    """One imported signed bundle: where it came from (issuer, key id, digest), for whom, by whom."""

    __tablename__ = "bundle_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    bundle_id: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the signed payload
    issuer_name: Mapped[str] = mapped_column(String(200))
    issuer_slug: Mapped[str] = mapped_column(String(63))
    key_id: Mapped[str] = mapped_column(String(64))
    consent_id: Mapped[int] = mapped_column(ForeignKey("transfer_consents.id"))
    imported: Mapped[int]
    skipped: Mapped[int]
    imported_by: Mapped[str] = mapped_column(String(120))
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
