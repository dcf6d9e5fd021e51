"""How a notification leaves the engine: the sender interface, its registry, and the built-in
development senders (``console``, ``file``). SMTP is in :mod:`engine.notify.smtp`.

A sender has a ``name`` (what the operator lists in ``VOLUNTEER_NOTIFY_SENDERS``), a
``channel`` (``email``, ``sms``, ``wechat`` … — people switch channels on and off per kind of
message) and ``send(message)``. ``send`` raises to fail: :class:`PermanentFailure` when trying
again cannot help (the address does not exist), any other exception to be retried with backoff.
``address_for(recipient)`` picks the address on the person's record (e-mail for ``email``, the
volunteer's phone for ``sms``); override it for channels the engine does not know.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from weakref import WeakKeyDictionary

from engine.errors import PluginError

if TYPE_CHECKING:
    from engine.plugins import PluginHost

HOOK = "volunteer_notification_senders"
T = TypeVar("T")


class PermanentFailure(Exception):
    """Raised by a sender when trying again cannot help; the message is marked ``failed``."""


@dataclass(frozen=True)
class Recipient:
    """Who a message is for, looked up when it is sent.

    ``person``: ``v:<volunteer id>`` or ``u:<user id>`` (the key of their preferences); ``name``:
    the volunteer's name, else the account's display name; ``email``: the account's (a volunteer's
    linked account); ``phone``: the volunteer's (an account's linked volunteer record)."""

    person: str
    name: str
    user_id: int | None
    volunteer_id: int | None
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class Part:
    """One language's rendering of a template."""

    subject: str
    body: str
    short: str


@dataclass(frozen=True)
class Outgoing:
    """A message ready to send. ``subject``/``body``/``short`` carry Chinese first and English
    alongside; ``parts`` has each language alone (``"zh"``, ``"en"``) for senders that must pick
    one. ``key`` is stable across retries (use it as an idempotency key where the gateway has one)."""

    id: int
    key: str
    kind: str
    channel: str
    address: str
    recipient: Recipient
    subject: str
    body: str
    short: str
    parts: dict[str, Part]
    unsubscribe_url: str | None = None
    programme_id: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


class Sender:
    """Base class for senders (subclass it, set ``name`` and ``channel``, implement ``send``)."""

    name: str = ""
    channel: str = "email"

    def address_for(self, recipient: Recipient) -> str | None:
        """The address this sender delivers to, or ``None`` (the message is skipped)."""
        return {"email": recipient.email, "sms": recipient.phone}.get(self.channel)

    def send(self, message: Outgoing) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class RegisteredSender:
    sender: Sender
    plugin_name: str


class SenderRegistry:
    """What ``volunteer_notification_senders(register)`` receives: ``register.add(sender)``."""

    def __init__(self) -> None:
        self.items: dict[str, RegisteredSender] = {}
        self._current_plugin = "?"
        self._dist: tuple[str | None, str | None] = (None, None)

    def add(self, sender: Sender) -> None:
        if not sender.name or not sender.channel:
            raise PluginError(f'sender {sender!r} of plugin "{self._current_plugin}" needs a name and a channel')
        existing = self.items.get(sender.name)
        if existing is not None:
            raise PluginError(f'sender "{sender.name}" is provided twice: by plugin "{existing.plugin_name}" '
                              f'and by plugin "{self._current_plugin}"')
        self.items[sender.name] = RegisteredSender(sender, self._current_plugin)

    def names(self) -> list[str]:
        return sorted(self.items)


_per_host: WeakKeyDictionary[Any, dict[str, Any]] = WeakKeyDictionary()
_lock = threading.Lock()


def once_per_host(host: PluginHost, what: str, build: Callable[[], T]) -> T:
    """``build()`` once per plugin host and ``what`` (plugins are asked once; hosts come and go in tests)."""
    with _lock:
        found = _per_host.setdefault(host, {})
        if what not in found:
            found[what] = build()
        return found[what]  # type: ignore[no-any-return]


def registry(host: PluginHost) -> SenderRegistry:
    """Every sender the plugins of ``host`` provide (the hook runs once per host)."""
    def build() -> SenderRegistry:
        reg = SenderRegistry()
        host.register_with(HOOK, reg)
        return reg

    return once_per_host(host, "senders", build)


def active_senders(host: PluginHost, names: str) -> dict[str, Sender]:
    """The senders the operator enabled (``VOLUNTEER_NOTIFY_SENDERS``), by channel."""
    reg = registry(host)
    out: dict[str, Sender] = {}
    for name in (n.strip() for n in names.split(",")):
        if not name:
            continue
        if name not in reg.items:
            raise PluginError(f"未知的通知发送方式 {name!r} / VOLUNTEER_NOTIFY_SENDERS names an unknown sender "
                              f"{name!r}; registered: {', '.join(reg.names()) or 'none'}", sender=name)
        sender = reg.items[name].sender
        if sender.channel in out:
            raise PluginError(f"渠道 {sender.channel} 启用了两个发送方式 / two senders enabled for channel "
                              f"{sender.channel!r}: {out[sender.channel].name!r} and {name!r} "
                              f"(VOLUNTEER_NOTIFY_SENDERS allows one per channel)", channel=sender.channel)
        out[sender.channel] = sender
    return out


def email_message(m: Outgoing, sender_address: str) -> EmailMessage:
    """The message as e-mail (``From`` the configured address; unsubscribe headers per RFC 8058)."""
    msg = EmailMessage()
    msg["From"] = sender_address
    msg["To"] = formataddr((m.recipient.name, m.address))
    msg["Subject"] = m.subject
    domain = sender_address.rsplit("@", 1)[-1].strip(" >") or "volunteer-engine"
    msg["Message-ID"] = f"<notification-{m.id}@{domain}>"  # the same on every retry
    msg["X-Volunteer-Key"] = m.key
    if m.unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{m.unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    for name, value in m.headers.items():
        msg[name] = value
    msg.set_content(m.body)
    return msg


class ConsoleSender(Sender):
    """Development: prints each e-mail to standard error (the default, so `make run` shows them)."""

    name = "console"
    channel = "email"

    def send(self, message: Outgoing) -> None:
        line = f"── 通知 notification #{message.id} → {message.recipient.name} <{message.address}> ──"
        sys.stderr.write(f"{line}\nSubject: {message.subject}\n\n{message.body}\n{'─' * 40}\n")
        sys.stderr.flush()


class ConsoleSmsSender(ConsoleSender):
    """Development: prints each text message (``sms`` channel, to the volunteer's stored phone)."""

    name = "console-sms"
    channel = "sms"


class FileSender(Sender):
    """Development and tests: writes each e-mail as an ``.eml`` file into ``VOLUNTEER_NOTIFY_FILE_DIR``."""

    name = "file"
    channel = "email"

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else None

    def send(self, message: Outgoing) -> None:
        from engine.settings import get_settings

        settings = get_settings()
        folder = self.folder or Path(settings.notify_file_dir)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        path = folder / f"{stamp}-{message.id}-{message.channel}.eml"
        path.write_bytes(email_message(message, settings.smtp_from).as_bytes())


class FileSmsSender(FileSender):
    """Development and tests: writes each text message (``sms`` channel) as a file, like ``file``."""

    name = "file-sms"
    channel = "sms"
