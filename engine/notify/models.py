"""The outbox, its attempt log, people's preferences and the engine's signing secret."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.crypto import EncryptedString
from engine.store.base import Base, utcnow


class Notification(Base):
    """One message for one person on one channel (``email``, ``sms`` …), waiting, sent or given up.

    ``key`` deduplicates: a second enqueue with the same key (and channel) writes nothing. The
    recipient's address is looked up when it is sent (``address`` records the one used).
    ``status``: ``pending`` (due from ``not_before``; being sent while ``locked_until`` is in the
    future), ``sent``, ``failed`` (gave up or cannot be rendered), ``skipped`` (no address, or
    the person turned this kind off).
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("key", "channel"),
        Index("ix_notifications_due", "status", "not_before"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(120))
    template: Mapped[str] = mapped_column(String(120))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    programme_id: Mapped[str | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    to_volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    not_before: Mapped[dt.datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(EncryptedString())  # a phone or e-mail address: encrypted
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]


class NotificationAttempt(Base):
    """Append-only: every attempt to send, with its outcome (``sent``, ``error``, ``skipped``, ``failed``)."""

    __tablename__ = "notification_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), index=True)
    attempt: Mapped[int]
    sender: Mapped[str] = mapped_column(String(63))
    worker: Mapped[str] = mapped_column(String(120))
    outcome: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class NotificationPreference(Base):
    """A person's switch for one kind of message on one channel (kind ``*``: every kind).

    ``person`` is ``v:<volunteer id>`` for anyone with a volunteer record, else ``u:<user id>``; no
    row means on. ``source``: ``settings`` (the person chose it) or ``unsubscribe`` (a link).
    """

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("person", "kind", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(120))
    channel: Mapped[str] = mapped_column(String(32))
    enabled: Mapped[bool]
    source: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class EngineSecret(Base):
    """Secrets the engine generates for itself when the operator gave none (e.g. the key that signs
    unsubscribe links, unless ``VOLUNTEER_SECRET_KEY`` is set): shared by every process."""

    __tablename__ = "engine_secrets"

    name: Mapped[str] = mapped_column(String(63), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
