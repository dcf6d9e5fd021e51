"""A receiving organisation's trust list: the issuer keys whose bundles it imports, by key id.

A key is added with its public half (from the issuer's ``GET /api/v1/organisations/{slug}/keys``, a
file they sent, or read aloud over the phone and compared): the key id is recomputed from it, so a
typo cannot slip in a different key. An organisation always trusts its own keys, retired ones too.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import InvalidInput, NotFound
from engine.orgs.keys import key_id_of, unb64
from engine.orgs.models import Organisation, SigningKey, TrustedKey
from engine.store.base import utcnow


def add(session: Session, org: Organisation, *, public_key: str, issuer_name: str, actor: str,
        key_id: str | None = None) -> TrustedKey:
    try:
        raw = unb64(public_key.strip())
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise InvalidInput("公钥须为 32 字节的 Base64 / the public key must be 32 bytes in Base64", field="public_key")
    kid = key_id_of(raw)
    if key_id is not None and key_id != kid:
        raise InvalidInput(f"密钥标识与公钥不符：公钥的标识是 {kid} / the key id does not match the public key: its id is {kid}",
                           field="key_id")
    row = session.scalar(select(TrustedKey).where(TrustedKey.organisation_id == org.id, TrustedKey.key_id == kid))
    if row is None:
        row = TrustedKey(organisation_id=org.id, key_id=kid, public_key=public_key.strip(), issuer_name=issuer_name,
                         added_by=actor, added_at=utcnow())
        session.add(row)
    else:
        row.removed_at, row.issuer_name, row.added_by, row.added_at = None, issuer_name, actor, utcnow()
    session.flush()
    return row


def remove(session: Session, org: Organisation, key_id: str) -> None:
    row = session.scalar(select(TrustedKey).where(TrustedKey.organisation_id == org.id, TrustedKey.key_id == key_id,
                                                  TrustedKey.removed_at.is_(None)))
    if row is None:
        raise NotFound(f"信任列表中没有 {key_id} / {key_id} is not on the trust list", field="key_id")
    row.removed_at = utcnow()


def listed(session: Session, org: Organisation) -> list[TrustedKey]:
    return list(session.scalars(select(TrustedKey).where(TrustedKey.organisation_id == org.id,
                                                         TrustedKey.removed_at.is_(None)).order_by(TrustedKey.id)))


def trusted_public_key(session: Session, org: Organisation, key_id: str) -> tuple[str, str] | None:
    """(public key, whose) when ``org`` trusts ``key_id``: its own key, or one on its list."""
    own = session.scalar(select(SigningKey).where(SigningKey.organisation_id == org.id, SigningKey.key_id == key_id))
    if own is not None:
        return own.public_key, "own"
    row = session.scalar(select(TrustedKey).where(TrustedKey.organisation_id == org.id, TrustedKey.key_id == key_id,
                                                  TrustedKey.removed_at.is_(None)))
    return (row.public_key, row.issuer_name) if row is not None else None


def known_anywhere(session: Session, key_id: str) -> list[str]:
    """Which organisations here own or trust ``key_id`` (for the public bundle-check page)."""
    owners = session.scalars(select(Organisation.name).join(SigningKey, SigningKey.organisation_id == Organisation.id)
                             .where(SigningKey.key_id == key_id))
    trusting = session.scalars(select(Organisation.name).join(TrustedKey, TrustedKey.organisation_id == Organisation.id)
                               .where(TrustedKey.key_id == key_id, TrustedKey.removed_at.is_(None)))
    return sorted({*owners, *trusting})
