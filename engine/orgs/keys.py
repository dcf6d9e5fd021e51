"""Signing keys (Ed25519, the ``cryptography`` library): generation, storage, rotation, signing.

* **Key id**: ``ed25519:`` + the first 32 hex digits of SHA-256 over the raw 32-byte public key — anyone
  holding the public key can recompute it, so a bundle's key id cannot name a different key.
* **Storage**: the public half in ``org_signing_keys.public_key``; the private half sealed with
  AES-256-GCM under a key derived from ``VOLUNTEER_SECRET_KEY`` (or, when that is unset, the secret the
  engine generated and keeps in ``engine_secrets``), the key id bound as associated data. A database
  dump without the secret yields no usable private key when ``VOLUNTEER_SECRET_KEY`` is set.
* **Rotation** (:func:`rotate`): a new key becomes active; the old one is retired and its private half
  erased. Its public half stays, so bundles it signed still verify here, and receivers keep it in their
  trust list by key id. See docs/certificates.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import Conflict
from engine.notify.models import EngineSecret
from engine.orgs.models import Organisation, SigningKey
from engine.settings import get_settings
from engine.store.base import dialect_insert, utcnow


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def key_id_of(public_raw: bytes) -> str:
    return "ed25519:" + hashlib.sha256(public_raw).hexdigest()[:32]


@dataclass(frozen=True)
class Signature:
    key_id: str
    public_key: str  # base64 of the raw 32 bytes
    value: str  # base64 of the 64-byte signature


def verify_signature(public_key_b64: str, signature_b64: str, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(unb64(public_key_b64)).verify(unb64(signature_b64), data)
    except (InvalidSignature, ValueError):
        return False
    return True


# ------------------------------------------------------------------ sealing the private half
def _wrapping_key(session: Session) -> bytes:
    configured = get_settings().secret_key
    if configured:
        base = configured.encode("utf-8")
    else:
        row = session.get(EngineSecret, "signing")
        if row is None:
            session.execute(dialect_insert(session, EngineSecret).values(
                name="signing", value=secrets.token_hex(32), created_at=utcnow()).on_conflict_do_nothing())
            row = session.get(EngineSecret, "signing")
        assert row is not None
        base = row.value.encode("ascii")
    return hmac.new(base, b"org-signing-keys", hashlib.sha256).digest()


def _seal(session: Session, raw: bytes, key_id: str) -> str:
    nonce = secrets.token_bytes(12)
    return b64(nonce + AESGCM(_wrapping_key(session)).encrypt(nonce, raw, key_id.encode("ascii")))


def _unseal(session: Session, sealed: str, key_id: str) -> bytes:
    blob = unb64(sealed)
    try:
        return AESGCM(_wrapping_key(session)).decrypt(blob[:12], blob[12:], key_id.encode("ascii"))
    except InvalidTag:
        raise Conflict(f"签名密钥 {key_id} 无法解密（VOLUNTEER_SECRET_KEY 变了？）：请轮换密钥 `volunteer org rotate-key` / "
                       f"signing key {key_id} cannot be unsealed (did VOLUNTEER_SECRET_KEY change?): rotate the key "
                       "with `volunteer org rotate-key`") from None


# ------------------------------------------------------------------ keys of an organisation
def generate(session: Session, org: Organisation) -> SigningKey:
    private = Ed25519PrivateKey.generate()
    public_raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    private_raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    kid = key_id_of(public_raw)
    row = SigningKey(organisation_id=org.id, key_id=kid, public_key=b64(public_raw),
                     private_key=_seal(session, private_raw, kid), created_at=utcnow())
    session.add(row)
    session.flush()
    return row


def active_key(session: Session, org: Organisation) -> SigningKey:
    """The key that signs now (made on first use)."""
    row = session.scalar(select(SigningKey).where(SigningKey.organisation_id == org.id,
                                                  SigningKey.retired_at.is_(None)).order_by(SigningKey.id.desc()))
    return row if row is not None else generate(session, org)


def rotate(session: Session, org: Organisation) -> tuple[SigningKey, list[str]]:
    """A new active key; every older one retired (private half erased). Returns the new key and
    the key ids retired."""
    retired = []
    for row in session.scalars(select(SigningKey).where(SigningKey.organisation_id == org.id,
                                                        SigningKey.retired_at.is_(None))):
        row.retired_at = utcnow()
        row.private_key = None
        retired.append(row.key_id)
    session.flush()
    return generate(session, org), retired


def all_keys(session: Session, org: Organisation) -> list[SigningKey]:
    return list(session.scalars(select(SigningKey).where(SigningKey.organisation_id == org.id)
                                .order_by(SigningKey.id)))


def sign(session: Session, org: Organisation, data: bytes) -> Signature:
    row = active_key(session, org)
    assert row.private_key is not None
    private = Ed25519PrivateKey.from_private_bytes(_unseal(session, row.private_key, row.key_id))
    return Signature(key_id=row.key_id, public_key=row.public_key, value=b64(private.sign(data)))
