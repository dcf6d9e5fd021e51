"""Claiming a registry record without a login: proof the claimant holds the person's phone.

A volunteer who registers themself (``POST volunteers/me``) with the ID number of a record that
exists gets the same answer whatever that record is — login-less and with the same name, linked to
another login, or under another name: **202**, a claim number, and "if these details match a record
that can receive it, a code was sent to its phone". Only in the first case is a code sent (through
the notification core, channel ``sms``, to the phone *stored* on the record); otherwise the claim is
a decoy that no code can confirm. So an impostor who knows a name and ID number learns nothing more
and gets no record; the person, who holds the phone, confirms with ``POST volunteers/me/claim``.
Without a phone, a coordinator confirms in person after seeing the ID card
(``POST identity-claims/{id}/confirm``).

Throttled: a code is good for ``CODE_MINUTES`` and ``MAX_ATTEMPTS`` tries; a login may start
``MAX_CLAIMS_PER_HOUR`` claims an hour (429 with Retry-After past it).
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets

from sqlalchemy import ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from engine.crypto import blind_index
from engine.errors import InvalidInput, NotFound, VolunteerEngineError
from engine.programme import LoadedProgramme
from engine.stages.recruitment.models import Volunteer, id_number_index
from engine.store.base import Base, utcnow
from engine.store.models import User

CODE_MINUTES = 10
MAX_ATTEMPTS = 5
MAX_CLAIMS_PER_HOUR = 5
TEMPLATE = "identity.claim_code"


class TooManyRequests(VolunteerEngineError):
    http_status = 429


class IdentityClaim(Base):
    """One attempt to link a login to an existing registry record (``volunteer_id`` NULL: a decoy)."""

    __tablename__ = "identity_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="claim")  # claim | signup (signup.py)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"))
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"))
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    node: Mapped[str | None] = mapped_column(String(100))
    expires_at: Mapped[dt.datetime]
    done_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


def code_hash(claim_id: int, code: str) -> str:
    return blind_index(f"{claim_id}:{code.strip()}", "claim-code")


def accepted_message(claim_id: int) -> str:
    return (f"若所填信息与登记簿中可接收验证码的记录相符，验证码已发送至该记录登记的手机，{CODE_MINUTES} 分钟内有效；"
            f"收不到请携身份证件找协调员确认（申领号 {claim_id}） / if these details match a registered record that "
            f"can receive a code, a code was sent to the phone on that record, valid for {CODE_MINUTES} minutes; "
            f"otherwise show your ID card to a coordinator (claim {claim_id})")


def start_claim(session: Session, programme: LoadedProgramme, user: User, existing: Volunteer, name: str,
                node: str | None) -> IdentityClaim:
    """Open a claim for ``existing`` (only sent a code when claimable and the names agree)."""
    now = utcnow()
    recent = session.scalar(select(func.count()).select_from(IdentityClaim).where(
        IdentityClaim.user_id == user.id, IdentityClaim.kind == "claim", IdentityClaim.created_at > now - dt.timedelta(hours=1))) or 0
    if recent >= MAX_CLAIMS_PER_HOUR:
        raise TooManyRequests("申领过于频繁，请一小时后再试 / too many claims from your login: try again in an hour",
                              retry_after=3600)
    claimable = existing.user_id is None and existing.name == name.strip()
    claim = IdentityClaim(user_id=user.id, programme_id=programme.id,
                          volunteer_id=existing.id if claimable else None, code_hash="-", node=node,
                          expires_at=now + dt.timedelta(minutes=CODE_MINUTES), created_at=now)
    session.add(claim)
    session.flush()
    code = f"{secrets.randbelow(10**6):06d}"
    claim.code_hash = code_hash(claim.id, code)
    if claimable and existing.phone:
        from engine.notify.outbox import enqueue

        enqueue(session, programme_id=programme.id, template=TEMPLATE, key=f"claim:{claim.id}",
                data={"code": code, "minutes": CODE_MINUTES}, to_volunteer_id=existing.id, channels=["sms"])
    session.flush()
    return claim


def _open_claim(session: Session, claim_id: int, user_id: int | None = None) -> IdentityClaim:
    claim = session.get(IdentityClaim, claim_id, with_for_update=True)
    if claim is None or claim.kind != "claim" or (user_id is not None and claim.user_id != user_id) \
            or claim.done_at is not None:
        raise NotFound(f"没有待确认的申领 {claim_id} / no open claim {claim_id}", field="claim_id")
    if claim.expires_at < utcnow() and user_id is not None:
        raise InvalidInput("验证码已过期，请重新申领 / the code has expired: register again for a new one",
                           field="code")
    return claim


def confirm_with_code(session: Session, user: User, claim_id: int, code: str) -> Volunteer:
    """The claimant enters the code; the record is linked to their login. A wrong code counts."""
    claim = _open_claim(session, claim_id, user.id)
    if claim.attempts >= MAX_ATTEMPTS:
        raise TooManyRequests("验证码错误次数过多，请重新申领 / too many wrong codes: register again for a new code",
                              retry_after=60)
    if claim.volunteer_id is None or not hmac.compare_digest(claim.code_hash, code_hash(claim.id, code)):
        claim.attempts += 1
        session.commit()  # the failed attempt counts even though the request fails
        left = MAX_ATTEMPTS - claim.attempts
        raise InvalidInput(f"验证码不对，还可试 {left} 次 / wrong code: {left} attempt(s) left", field="code")
    return _link(session, claim, user)


def confirm_in_person(session: Session, programme: LoadedProgramme, claim_id: int, id_number: str) -> Volunteer:
    """A coordinator saw the claimant's ID card: the number must be the claimed record's."""
    claim = _open_claim(session, claim_id)
    if claim.programme_id != programme.id:
        raise NotFound(f"没有待确认的申领 {claim_id} / no open claim {claim_id}", field="claim_id")
    target = session.scalars(select(Volunteer).where(
        Volunteer.id_number_index == id_number_index(id_number))).one_or_none()
    if target is None or target.id != claim.volunteer_id:
        raise NotFound(f"没有待确认的申领 {claim_id} / no open claim {claim_id}", field="claim_id")
    user = session.get(User, claim.user_id)
    assert user is not None
    return _link(session, claim, user)


def _link(session: Session, claim: IdentityClaim, user: User) -> Volunteer:
    vol = session.get(Volunteer, claim.volunteer_id)
    mine = session.scalar(select(Volunteer.id).where(Volunteer.user_id == user.id))
    if vol is None or vol.user_id is not None or mine is not None:
        raise NotFound(f"没有待确认的申领 {claim.id} / no open claim {claim.id}", field="claim_id")
    vol.user_id = user.id
    claim.done_at = utcnow()
    session.flush()
    return vol
