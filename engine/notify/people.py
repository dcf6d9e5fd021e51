"""Who receives a message, and what they chose: recipients, preferences, unsubscribe links.

* A recipient is looked up when the message is sent (:func:`recipient`), so a changed e-mail
  address or phone number is used.
* Preferences: a person turns a kind of message off (or on) per channel; ``*`` stands for every
  kind or every channel; the most specific switch wins; no switch means on.
* Unsubscribe links carry a token signed with HMAC-SHA256 (person, kind, channel): unguessable
  without the key, valid without logging in, and they do not expire. The key is derived from
  ``VOLUNTEER_SECRET_KEY`` when set, else from a random secret the engine generates once and keeps
  in its database (``engine_secrets``), so every process signs alike with no set-up.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine.errors import InvalidInput, NotFound
from engine.notify.models import EngineSecret, NotificationPreference
from engine.notify.senders import Recipient
from engine.settings import get_settings
from engine.stages.recruitment.models import Volunteer
from engine.store.base import utcnow
from engine.store.models import User

ANY = "*"
UNSUBSCRIBE_PATH = "/api/v1/notifications/unsubscribe/"


def _insert(session: Session):  # type: ignore[no-untyped-def]
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


# ------------------------------------------------------------------ recipients
def recipient(session: Session, *, to_user_id: int | None = None, to_volunteer_id: int | None = None) -> Recipient:
    """The person as they are now: a volunteer (and their linked account) or an account (and its
    linked volunteer record). A disabled account gives no e-mail address."""
    vol: Volunteer | None = None
    user: User | None = None
    if to_volunteer_id is not None:
        vol = session.get(Volunteer, to_volunteer_id)
        if vol is None:
            raise NotFound(f"没有志愿者 {to_volunteer_id} / no volunteer {to_volunteer_id}", volunteer=to_volunteer_id)
        user = session.get(User, vol.user_id) if vol.user_id is not None else None
    elif to_user_id is not None:
        user = session.get(User, to_user_id)
        if user is None:
            raise NotFound(f"没有账号 {to_user_id} / no account {to_user_id}", user=to_user_id)
        vol = session.scalars(select(Volunteer).where(Volunteer.user_id == user.id)).one_or_none()
    else:
        raise InvalidInput("请指定收件人 / give to_user_id or to_volunteer_id", field="to_user_id")
    person = f"v:{vol.id}" if vol is not None else f"u:{user.id}"  # type: ignore[union-attr]
    name = vol.name if vol is not None else (user.display_name or user.username)  # type: ignore[union-attr]
    email = user.email if user is not None and user.active else None
    return Recipient(person, name, user.id if user else None, vol.id if vol else None, email,
                     vol.phone if vol is not None else None)


def person_of_user(session: Session, user_id: int) -> str:
    """The preference key of a login: its volunteer record's if it has one."""
    return recipient(session, to_user_id=user_id).person


# ------------------------------------------------------------------ preferences
def _check(kind: str, channel: str) -> None:
    if not kind or len(kind) > 120:
        raise InvalidInput(f"通知类别须为 1–120 个字符 / kind needs 1–120 characters: {kind!r}", field="kind")
    if not channel or len(channel) > 32:
        raise InvalidInput(f"渠道须为 1–32 个字符 / channel needs 1–32 characters: {channel!r}", field="channel")


def wants(session: Session, person: str, kind: str, channel: str) -> bool:
    """Whether the person receives ``kind`` on ``channel`` (the most specific switch wins)."""
    P = NotificationPreference
    rows = session.execute(select(P.kind, P.channel, P.enabled).where(
        P.person == person, P.kind.in_([kind, ANY]), P.channel.in_([channel, ANY]))).all()
    if not rows:
        return True
    return bool(min(rows, key=lambda r: (r.kind == ANY, r.channel == ANY)).enabled)


def set_preference(session: Session, person: str, kind: str, channel: str, enabled: bool, *,
                   source: str = "settings") -> None:
    """Turn ``kind`` (``*``: every kind) on or off on ``channel`` (``*``: every channel)."""
    _check(kind, channel)
    P = NotificationPreference
    stmt = _insert(session)(P).values(person=person, kind=kind, channel=channel, enabled=enabled, source=source,
                                      updated_at=utcnow())
    stmt = stmt.on_conflict_do_update(index_elements=["person", "kind", "channel"],
                                      set_={"enabled": enabled, "source": source, "updated_at": utcnow()})
    session.execute(stmt)


def preferences(session: Session, person: str) -> list[NotificationPreference]:
    P = NotificationPreference
    return list(session.scalars(select(P).where(P.person == person).order_by(P.kind, P.channel)))


# ------------------------------------------------------------------ unsubscribe tokens
def _key(session: Session, purpose: str) -> bytes:
    configured = get_settings().secret_key
    if configured:
        base = configured.encode("utf-8")
    else:
        row = session.get(EngineSecret, "signing")
        if row is None:
            session.execute(_insert(session)(EngineSecret).values(name="signing", value=secrets.token_hex(32),
                                                                  created_at=utcnow()).on_conflict_do_nothing())
            row = session.get(EngineSecret, "signing")
        assert row is not None
        base = row.value.encode("ascii")
    return hmac.new(base, purpose.encode("ascii"), hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def unsubscribe_token(session: Session, person: str, kind: str, channel: str) -> str:
    payload = f"{person}|{kind}|{channel}".encode()
    sig = hmac.new(_key(session, "unsubscribe"), payload, hashlib.sha256).digest()
    return f"{_b64(payload)}.{_b64(sig)}"


def read_unsubscribe_token(session: Session, token: str) -> tuple[str, str, str]:
    """(person, kind, channel) from a token; InvalidInput when it was not signed by this engine."""
    bad = InvalidInput("退订链接无效或不完整 / this unsubscribe link is not valid (it may have been cut off: "
                       "open the whole link from the message)", field="token")
    try:
        payload_text, sig_text = token.split(".", 1)
        payload, sig = _unb64(payload_text), _unb64(sig_text)
        person, kind, channel = payload.decode("utf-8").split("|")
    except (ValueError, UnicodeDecodeError):
        raise bad from None
    expected = hmac.new(_key(session, "unsubscribe"), payload, hashlib.sha256).digest()
    if not hmac.compare_digest(sig, expected):
        raise bad
    return person, kind, channel


def unsubscribe_url(session: Session, person: str, kind: str, channel: str) -> str:
    return get_settings().public_url.rstrip("/") + UNSUBSCRIBE_PATH + unsubscribe_token(session, person, kind, channel)
