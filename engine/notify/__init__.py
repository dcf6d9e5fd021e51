"""The notification core: an outbox sent from the scheduled path, pluggable senders, templates in
Chinese and English, people's preferences and unsubscribe links.

Public API (the facade wraps it as ``ctx.notify(...)``):

* :func:`enqueue` — queue a message for one person, deduplicated by ``key`` (in your transaction);
* :func:`deliver_due` — send what is due (the worker calls it every tick);
* :func:`set_preference` / :func:`wants` — a person's switches per kind and channel;
* :class:`Sender`, :class:`Outgoing`, :class:`Recipient`, :class:`PermanentFailure` — to write a
  sender (SMS, WeChat …) registered with ``volunteer_notification_senders``.

Settings: ``VOLUNTEER_NOTIFY_SENDERS`` (default ``console``; ``smtp`` for real mail, ``file`` for
``.eml`` files), ``VOLUNTEER_SMTP_*``, ``VOLUNTEER_PUBLIC_URL`` (links in messages),
``VOLUNTEER_SECRET_KEY`` (signs unsubscribe links), ``VOLUNTEER_NOTIFY_MAX_ATTEMPTS``,
``VOLUNTEER_NOTIFY_LEASE_SECONDS``.
"""

from __future__ import annotations

from engine.notify.delivery import DeliveryReport, deliver_due
from engine.notify.outbox import enqueue
from engine.notify.people import recipient, set_preference, unsubscribe_url, wants
from engine.notify.senders import Outgoing, Part, PermanentFailure, Recipient, Sender

__all__ = [
    "DeliveryReport",
    "Outgoing",
    "Part",
    "PermanentFailure",
    "Recipient",
    "Sender",
    "deliver_due",
    "enqueue",
    "recipient",
    "set_preference",
    "unsubscribe_url",
    "wants",
]
