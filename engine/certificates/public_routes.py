"""Public routes (no login): verify a certificate, check a bundle's integrity. Rate-limited per address."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from engine.certificates import bundles, verify
from engine.certificates.schemas import BundleCheckOut, VerdictOut
from engine.http.deps import SessionDep
from engine.orgs import trust

router = APIRouter(prefix="/public", tags=["public verification"])

Token = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "-"


@router.get("/certificates/{token}", response_model=VerdictOut)
def verify_token(token: Token, request: Request, session: SessionDep) -> VerdictOut:
    """What the certificate with this QR token states, and whether it is valid or revoked."""
    verify.throttle(client_address(request), "certificate")
    return VerdictOut(**verify.by_token(session, token).__dict__)


@router.get("/certificates", response_model=VerdictOut)
def verify_number(request: Request, session: SessionDep,
                  number: Annotated[str, Query(min_length=1, max_length=100)],
                  name: Annotated[str, Query(min_length=1, max_length=100, description="the holder's name")]) -> VerdictOut:
    """Look a certificate up by its number; the holder's name must match (a number alone finds nothing)."""
    verify.throttle(client_address(request), "certificate")
    return VerdictOut(**verify.by_number(session, number, name).__dict__)


async def _raw_body(request: Request) -> bytes:
    return await request.body()


@router.post("/bundles/check", response_model=BundleCheckOut)
def check_bundle(body: Annotated[bytes, Depends(_raw_body)], request: Request, session: SessionDep) -> BundleCheckOut:
    """Check a signed records bundle: intact or not, who signed it, and which organisations here trust the key."""
    verify.throttle(client_address(request), "bundle")
    return check_out(session, bundles.check(bundles.read(body)))


def check_out(session: SessionDep, checked: bundles.Checked) -> BundleCheckOut:
    p = checked.payload
    return BundleCheckOut(
        intact=checked.intact, problems=checked.problems, key_id=checked.key_id,
        issuer=p.issuer.model_dump() if p else None, holder=p.holder.model_dump() if p else None,
        totals={"records": len(p.records), "minutes": sum(r.minutes for r in p.records)} if p else None,
        known_here_by=trust.known_anywhere(session, checked.key_id) if checked.key_id and checked.intact else [])
