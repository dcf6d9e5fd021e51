"""Fixtures for notifications: a real SMTP server on a local port (aiosmtpd) that can be told to
refuse, and the engine configured to send through it (helpers live in notify_helpers.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent))

from notify_helpers import Inbox

from engine.testing import free_port


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp(smtp_port: int, monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A local SMTP server, and the engine set to send e-mail through it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    monkeypatch.setenv("VOLUNTEER_NOTIFY_SENDERS", "smtp")
    monkeypatch.setenv("VOLUNTEER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("VOLUNTEER_SMTP_PORT", str(smtp_port))
    monkeypatch.setenv("VOLUNTEER_SMTP_SECURITY", "none")
    monkeypatch.setenv("VOLUNTEER_SMTP_TIMEOUT", "10")
    monkeypatch.setenv("VOLUNTEER_SMTP_FROM", "海滨志愿 <noreply@haibin.example>")
    try:
        yield inbox
    finally:
        controller.stop()
