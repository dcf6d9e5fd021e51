"""Verified, throttled self sign-up for public programmes (``recruitment.public: true``).

``POST /programmes/{id}/signup`` (no login) creates an account with **no role** and sends a code to
the e-mail address given, through the notification core; ``POST …/signup/confirm`` with that code
grants the ``volunteer`` role in the programme. Only then can the person register themself
(``POST volunteers/me``; an ID number already in the registry goes through a claim, claims.py).
Sign-ups are counted per client address (``VOLUNTEER_SIGNUP_THROTTLE``, the ``limits`` library,
same storage as the login throttle); a code has ``MAX_ATTEMPTS`` tries. A programme that is not
public answers exactly like one that does not exist.
"""

from __future__ import annotations

import datetime as dt
import functools
import hmac
import math
import secrets
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy.orm import Session

from engine.auth.service import AuthService
from engine.errors import NotFound
from engine.programme import LoadedProgramme
from engine.settings import get_settings
from engine.stages.recruitment.claims import CODE_MINUTES, MAX_ATTEMPTS, IdentityClaim, TooManyRequests, code_hash
from engine.store.base import utcnow
from engine.store.models import User

TEMPLATE = "identity.signup_code"
KIND = "signup"


@functools.lru_cache(maxsize=4)
def _limiter(rule: str, storage: str) -> tuple[MovingWindowRateLimiter, object]:
    return MovingWindowRateLimiter(storage_from_string(storage)), parse(rule)


def check_rate(address: str) -> None:
    settings = get_settings()
    limiter, item = _limiter(settings.signup_throttle, settings.rate_limit_storage_url)
    if not limiter.hit(item, "signup", address or "-"):  # type: ignore[arg-type]
        reset = limiter.get_window_stats(item, "signup", address or "-").reset_time  # type: ignore[arg-type]
        wait = max(1, math.ceil(reset - time.time()))
        raise TooManyRequests(f"注册过于频繁，请 {wait} 秒后再试 / too many sign-ups from your address: try again in "
                              f"{wait} seconds", retry_after=wait)


def not_public(programme_id: str) -> NotFound:
    return NotFound(f"没有可报名的公开项目 {programme_id} / no public programme {programme_id!r} to sign up for",
                    field="programme_id")


def start_signup(session: Session, programme: LoadedProgramme, auth: AuthService, *, username: str, password: str,
                 email: str, display_name: str | None) -> IdentityClaim:
    if not programme.config.recruitment.public:
        raise not_public(programme.id)
    user = auth.create_user(session, username, password, display_name=display_name or username)
    user.email = email
    now = utcnow()
    claim = IdentityClaim(kind=KIND, user_id=user.id, programme_id=programme.id, volunteer_id=None, code_hash="-",
                          expires_at=now + dt.timedelta(minutes=CODE_MINUTES), created_at=now)
    session.add(claim)
    session.flush()
    code = f"{secrets.randbelow(10**6):06d}"
    claim.code_hash = code_hash(claim.id, code)
    from engine.notify.outbox import enqueue

    enqueue(session, programme_id=programme.id, template=TEMPLATE, key=f"signup:{claim.id}",
            data={"code": code, "minutes": CODE_MINUTES}, to_user_id=user.id, channels=["email"])
    session.flush()
    return claim


def confirm_signup(session: Session, programme: LoadedProgramme, auth: AuthService, signup_id: int,
                   code: str) -> User:
    claim = session.get(IdentityClaim, signup_id, with_for_update=True)
    if claim is None or claim.kind != KIND or claim.programme_id != programme.id or claim.done_at is not None:
        raise NotFound(f"没有待确认的注册 {signup_id} / no open sign-up {signup_id}", field="signup_id")
    if claim.attempts >= MAX_ATTEMPTS or claim.expires_at < utcnow():
        raise TooManyRequests("验证码已失效，请重新注册 / the code is used up or expired: sign up again", retry_after=60)
    if not hmac.compare_digest(claim.code_hash, code_hash(claim.id, code)):
        claim.attempts += 1
        session.commit()  # the failed attempt counts even though the request fails
        from engine.errors import InvalidInput

        raise InvalidInput(f"验证码不对，还可试 {MAX_ATTEMPTS - claim.attempts} 次 / wrong code: "
                           f"{MAX_ATTEMPTS - claim.attempts} attempt(s) left", field="code")
    user = session.get(User, claim.user_id)
    assert user is not None
    auth.grant(session, user, programme.id, "volunteer", known_roles=set(programme.config.roles))
    claim.done_at = utcnow()
    session.flush()
    return user
