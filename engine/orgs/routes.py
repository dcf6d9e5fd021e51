"""Organisation routes: anyone may read an organisation's public keys (receivers add them to their trust
list); operators list organisations, rotate keys, keep the trust list and upload the seal."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from engine.certificates.schemas import KeyOut, TrustIn
from engine.http.deps import SessionDep, require_superuser
from engine.orgs import keys, trust
from engine.orgs.service import by_slug, set_seal
from engine.orgs.slugs import SLUG_RE
from engine.store.models import User

router = APIRouter(prefix="/organisations", tags=["organisations"])
Slug = Annotated[str, Path(pattern=SLUG_RE, max_length=63)]
KeyId = Annotated[str, Path(min_length=1, max_length=64)]
Operator = Annotated[User, Depends(require_superuser)]


@router.get("")
def list_organisations(session: SessionDep, user: Operator) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from engine.orgs.models import Organisation

    return [{"slug": o.slug, "name": o.name, "name_en": o.name_en, "has_seal": o.seal_image is not None}
            for o in session.scalars(select(Organisation).order_by(Organisation.slug))]


@router.get("/{slug}/keys", response_model=list[KeyOut])
def public_keys(slug: Slug, session: SessionDep) -> list[KeyOut]:
    """The organisation's signing keys (public halves), retired ones included: no login needed."""
    org = by_slug(session, slug)
    keys.active_key(session, org)
    return [KeyOut(key_id=k.key_id, public_key=k.public_key, created_at=k.created_at, retired_at=k.retired_at)
            for k in keys.all_keys(session, org)]


@router.post("/{slug}/keys/rotate")
def rotate_key(slug: Slug, session: SessionDep, user: Operator) -> dict[str, Any]:
    new, retired = keys.rotate(session, by_slug(session, slug))
    session.commit()
    return {"active": new.key_id, "retired": retired}


@router.get("/{slug}/trusted-keys")
def trusted_keys(slug: Slug, session: SessionDep, user: Operator) -> list[dict[str, Any]]:
    return [{"key_id": t.key_id, "public_key": t.public_key, "issuer_name": t.issuer_name, "added_by": t.added_by,
             "added_at": t.added_at} for t in trust.listed(session, by_slug(session, slug))]


@router.post("/{slug}/trusted-keys", status_code=201)
def add_trusted_key(slug: Slug, body: TrustIn, session: SessionDep, user: Operator) -> dict[str, str]:
    row = trust.add(session, by_slug(session, slug), public_key=body.public_key, issuer_name=body.issuer_name,
                    actor=user.username, key_id=body.key_id)
    session.commit()
    return {"key_id": row.key_id, "issuer_name": row.issuer_name}


@router.delete("/{slug}/trusted-keys/{key_id}")
def remove_trusted_key(slug: Slug, key_id: KeyId, session: SessionDep, user: Operator) -> dict[str, str]:
    trust.remove(session, by_slug(session, slug), key_id)
    session.commit()
    return {"removed": key_id}


async def _raw_body(request: Request) -> bytes:
    return await request.body()


@router.put("/{slug}/seal")
def upload_seal(slug: Slug, body: Annotated[bytes, Depends(_raw_body)], session: SessionDep,
                user: Operator) -> dict[str, int]:
    """The seal image drawn on certificates (PNG body, 512 KB at most)."""
    set_seal(session, by_slug(session, slug), body)
    session.commit()
    return {"bytes": len(body)}
