"""Public verification of certificates: by the QR code's token, or by number together with the
holder's name (WAVE2.md: a number alone finds nothing — numbers are sequential, so anyone could walk
them). The answer shows only what the certificate states, with the ID number masked, and whether it is
valid or revoked. Lookups are rate-limited per client address (``VOLUNTEER_VERIFY_RATE``, moving window
with the ``limits`` library, in the storage logins use), so guessing names against numbers is slow.
"""

from __future__ import annotations

import hmac
import math
import time
from dataclasses import dataclass
from functools import cache
from typing import Any

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.certificates.models import Certificate
from engine.errors import VolunteerEngineError
from engine.settings import get_settings


class TooManyLookups(VolunteerEngineError):
    http_status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"查询过于频繁，请 {retry_after} 秒后再试 / too many lookups from your address: try again in "
                         f"{retry_after} seconds", retry_after=retry_after)


@cache
def _limiter(rule: str, storage_url: str) -> tuple[Any, MovingWindowRateLimiter]:
    return parse(rule), MovingWindowRateLimiter(storage_from_string(storage_url))


def throttle(address: str, bucket: str) -> None:
    """Count one lookup from ``address``; 429 past the limit."""
    settings = get_settings()
    item, limiter = _limiter(settings.verify_rate, settings.rate_limit_storage_url)
    key = ("verify", bucket, address or "-")
    if not limiter.hit(item, *key):
        reset = limiter.get_window_stats(item, *key).reset_time
        raise TooManyLookups(max(1, math.ceil(reset - time.time())))


@dataclass
class Verdict:
    found: bool
    status: str | None = None  # valid | revoked
    statement: dict[str, Any] | None = None
    revoked_on: str | None = None


def _verdict(cert: Certificate | None) -> Verdict:
    if cert is None or cert.state not in ("issued", "revoked"):
        return Verdict(found=False)
    return Verdict(found=True, status="valid" if cert.state == "issued" else "revoked", statement=cert.statement,
                   revoked_on=cert.revoked_at.date().isoformat() if cert.revoked_at else None)


def by_token(session: Session, token: str) -> Verdict:
    if not token or len(token) > 64:
        return Verdict(found=False)
    return _verdict(session.scalar(select(Certificate).where(Certificate.token == token)))


def by_number(session: Session, number: str, name: str) -> Verdict:
    """Found only when the holder's name matches too (whitespace ignored)."""
    cert = session.scalar(select(Certificate).where(Certificate.number == number.strip()))
    if cert is None or cert.state not in ("issued", "revoked"):
        return Verdict(found=False)
    held = "".join(str(cert.statement.get("holder", {}).get("name", "")).split())
    if not hmac.compare_digest(held.encode("utf-8"), "".join(name.split()).encode("utf-8")):
        return Verdict(found=False)
    return _verdict(cert)
