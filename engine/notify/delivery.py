"""Sending what is due from the outbox, from the scheduled path; several workers at once.

Each worker, each tick: **claim** a few due messages in a short transaction (``UPDATE … WHERE id
IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n)`` on PostgreSQL: rows another worker is claiming
are skipped; SQLite's single writer serialises the same statement), stamping them with a lease
(``locked_until`` = now + ``VOLUNTEER_NOTIFY_LEASE_SECONDS``) and a claim token; **send** each
outside any transaction (a slow mail server holds no lock); **record** the outcome in another
short transaction, only if the claim token is still ours. A claimed message is not due again
until its lease ends, so two workers never send it twice; if a worker dies mid-send, the lease
runs out and another worker sends it (at-least-once: keep ``lease`` well above a batch's send
time — ``batch`` × ``VOLUNTEER_SMTP_TIMEOUT`` by default 10 × 30 s, under the 600 s lease).

A failure is retried with exponential backoff (1, 2, 4 … minutes, at most 6 hours) until
``VOLUNTEER_NOTIFY_MAX_ATTEMPTS``; then, or on a :class:`PermanentFailure`, the message is
``failed``. No address, or a person who turned the kind off: ``skipped``. Every attempt is a row
in ``notification_attempts``.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from engine import timeutil
from engine.errors import VolunteerEngineError
from engine.notify.models import Notification, NotificationAttempt
from engine.notify.outbox import template_context
from engine.notify.people import recipient, unsubscribe_url, wants
from engine.notify.senders import Outgoing, PermanentFailure, Sender, active_senders
from engine.notify.templates import bilingual, templates
from engine.settings import get_settings

if TYPE_CHECKING:
    from engine.core import VolunteerEngine

log = logging.getLogger("engine.notify")

MAX_BACKOFF = dt.timedelta(hours=6)


def backoff(attempt: int) -> dt.timedelta:
    """Wait after the ``attempt``-th failure: one minute, doubling, at most six hours."""
    return min(dt.timedelta(minutes=2 ** (attempt - 1)), MAX_BACKOFF)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0

    def __bool__(self) -> bool:
        return bool(self.sent or self.retrying or self.failed or self.skipped)

    def __str__(self) -> str:
        return f"sent {self.sent}, retrying {self.retrying}, failed {self.failed}, skipped {self.skipped}"


@dataclass
class _Outcome:
    status: str  # sent | retry | failed | skipped
    sender: str
    address: str | None = None
    error: str | None = None


def claim_due(session: Session, now: dt.datetime, *, batch: int, lease: dt.timedelta, token: str) -> list[int]:
    """Take up to ``batch`` due messages for this worker (see the module docs)."""
    N = Notification
    due = and_(N.status == "pending", N.not_before <= now, or_(N.locked_until.is_(None), N.locked_until <= now))
    pick = select(N.id).where(due).order_by(N.not_before, N.id).limit(batch).with_for_update(skip_locked=True)
    stmt = (update(N).where(N.id.in_(pick), due)
            .values(locked_until=now + lease, claim_token=token, attempts=N.attempts + 1)
            .returning(N.id).execution_options(synchronize_session=False))
    return sorted(session.scalars(stmt))


def _prepare(engine: VolunteerEngine, nid: int, senders: dict[str, Sender]) -> tuple[Outgoing | None, _Outcome | None]:
    """Read the message and its recipient now, and render it; or say why it is not sent."""
    with engine.session() as s:
        n = s.get(Notification, nid)
        assert n is not None
        sender = senders.get(n.channel)
        if sender is None:
            return None, _Outcome("retry", "-", error=f"no sender enabled for channel {n.channel!r} "
                                                     "(VOLUNTEER_NOTIFY_SENDERS)")
        try:
            who = recipient(s, to_user_id=n.to_user_id, to_volunteer_id=n.to_volunteer_id)
        except VolunteerEngineError as exc:
            return None, _Outcome("failed", sender.name, error=exc.message)
        address = sender.address_for(who)
        if not address:
            return None, _Outcome("skipped", sender.name, error=f"no {n.channel} address for {who.person}")
        if not wants(s, who.person, n.kind, n.channel):
            return None, _Outcome("skipped", sender.name, address, f"{who.person} turned {n.kind!r} off on {n.channel}")
        zone = None
        if n.programme_id is not None:
            try:
                zone = engine.programme(n.programme_id, s).config.tz
            except VolunteerEngineError:
                zone = None
        try:
            parts = templates(engine.host).render(n.template, template_context(s, n.data, n.programme_id, who.name),
                                                  zone=zone)
        except VolunteerEngineError as exc:
            return None, _Outcome("failed", sender.name, address, exc.message)
        url = unsubscribe_url(s, who.person, n.kind, n.channel)
        text = bilingual(parts)
        footer = f"\n\n——\n不想再收到此类通知？退订 / Unsubscribe from these messages: {url}"
        return Outgoing(n.id, n.key, n.kind, n.channel, address, who, text.subject, text.body + footer, text.short,
                        parts, url, n.programme_id), None


def _record(engine: VolunteerEngine, nid: int, token: str, outcome: _Outcome, *, now: dt.datetime, worker: str,
            max_attempts: int) -> str:
    with engine.session() as s:
        n = s.get(Notification, nid)
        assert n is not None
        status = outcome.status
        if status == "retry" and n.attempts >= max_attempts:
            status = "failed"  # given up: the attempts are spent
        values: dict[str, object] = {"locked_until": None, "claim_token": None, "last_error": outcome.error}
        if outcome.address is not None:
            values["address"] = outcome.address
        if status == "retry":
            values.update(status="pending", not_before=now + backoff(n.attempts))
        else:
            values["status"] = status
            if status == "sent":
                values["sent_at"] = now
        result = s.execute(update(Notification).where(Notification.id == nid, Notification.claim_token == token)
                           .values(**values).execution_options(synchronize_session=False))
        if not getattr(result, "rowcount", 1):
            log.warning("notification %s: lease expired before the outcome (%s) was recorded; another worker "
                        "took it over", nid, status)
        s.add(NotificationAttempt(notification_id=nid, attempt=n.attempts, sender=outcome.sender, worker=worker,
                                  outcome="error" if status == "retry" else status, error=outcome.error, at=now))
    log.log(logging.WARNING if status in ("retry", "failed") else logging.INFO,
            "notification %s (attempt %s via %s): %s%s", nid, n.attempts, outcome.sender, status,
            f" — {outcome.error}" if outcome.error else "")
    return status


_COUNTED = {"sent": "sent", "retry": "retrying", "failed": "failed", "skipped": "skipped"}


def deliver_due(engine: VolunteerEngine, *, now: dt.datetime | None = None, worker: str = "?", batch: int = 10,
                limit: int = 500) -> DeliveryReport:
    """Send up to ``limit`` due messages, ``batch`` claimed at a time; returns what happened.
    ``now`` fixes the time (default: the engine's clock, read afresh for each batch)."""
    settings = get_settings()
    senders = active_senders(engine.host, settings.notify_senders)
    lease = dt.timedelta(seconds=settings.notify_lease_seconds)
    report = DeliveryReport()
    done = 0
    while done < limit:
        token = secrets.token_hex(16)
        at = now or timeutil.now()
        with engine.session() as s:
            ids = claim_due(s, at, batch=min(batch, limit - done), lease=lease, token=token)
        if not ids:
            break
        done += len(ids)
        for nid in ids:
            message, outcome = _prepare(engine, nid, senders)
            if message is not None:
                sender = senders[message.channel]
                try:
                    sender.send(message)
                    outcome = _Outcome("sent", sender.name, message.address)
                except PermanentFailure as exc:
                    outcome = _Outcome("failed", sender.name, message.address, str(exc) or repr(exc))
                except Exception as exc:
                    outcome = _Outcome("retry", sender.name, message.address, repr(exc))
            assert outcome is not None
            status = _record(engine, nid, token, outcome, now=now or timeutil.now(), worker=worker,
                             max_attempts=settings.notify_max_attempts)
            name = _COUNTED[status]
            setattr(report, name, getattr(report, name) + 1)
    return report
