"""Tables of organisations: the organisation, its signing keys, the keys it trusts, its counters."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.base import Base, utcnow


class Organisation(Base):
    """One organisation; programmes reference it (``programmes.organisation_id``)."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))  # display name, Chinese first
    name_en: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str | None] = mapped_column(String(100))
    contact: Mapped[str | None] = mapped_column(String(200))
    seal_image: Mapped[bytes | None] = mapped_column(LargeBinary)  # PNG, drawn on certificates
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SigningKey(Base):
    """An Ed25519 key pair of an organisation. One is active; retired keys keep their public half so
    bundles signed with them still verify. The private half is stored encrypted (see keys.py) and
    erased when the key is retired."""

    __tablename__ = "org_signing_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    key_id: Mapped[str] = mapped_column(String(64), unique=True)
    public_key: Mapped[str] = mapped_column(String(64))  # raw 32 bytes, base64
    private_key: Mapped[str | None] = mapped_column(Text)  # AES-GCM sealed raw private bytes, base64
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[dt.datetime | None]


class TrustedKey(Base):
    """A receiving organisation's trust list: another issuer's public key, by key id."""

    __tablename__ = "org_trusted_keys"
    __table_args__ = (UniqueConstraint("organisation_id", "key_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    key_id: Mapped[str] = mapped_column(String(64))
    public_key: Mapped[str] = mapped_column(String(64))
    issuer_name: Mapped[str] = mapped_column(String(200))
    added_by: Mapped[str] = mapped_column(String(120))
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[dt.datetime | None]


class CertificateCounter(Base):
    """The last certificate number an organisation gave in a year (numbers restart each year)."""

    __tablename__ = "org_certificate_counters"
    __table_args__ = (UniqueConstraint("organisation_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    year: Mapped[int]
    last: Mapped[int] = mapped_column(default=0)
