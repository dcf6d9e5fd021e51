"""Helpers for the notification tests: an SMTP inbox that can refuse, and people to write to."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import threading
from typing import Any

from engine.core import VolunteerEngine
from engine.stages.recruitment.models import Volunteer


class Inbox:
    """What the SMTP server accepted. ``refuse`` makes it answer the next N messages with ``code``."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refusals = 0
        self.refuse_with = "451 4.3.0 try again later"
        self.lock = threading.Lock()

    def refuse(self, n: int, code: str = "451 4.3.0 try again later") -> None:
        self.refusals, self.refuse_with = n, code

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            if self.refusals:
                self.refusals -= 1
                return self.refuse_with
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def keys(self) -> list[str]:
        return [str(m["X-Volunteer-Key"]) for m in self.messages]


def add_user(eng: VolunteerEngine, username: str, email_address: str | None, *, volunteer: bool = False,
             phone: str | None = None) -> tuple[int, int | None]:
    """An account with an e-mail address (and a volunteer record linked to it); returns (user id, volunteer id)."""
    with eng.session() as s:
        u = eng.auth.create_user(s, username, "correct-horse-42", display_name=f"{username} 用户")
        u.email = email_address
        vid = None
        if volunteer:
            v = Volunteer(name=f"志愿者{username}", gender="female", birth_date=dt.date(1990, 1, 1),
                          id_number=f"1101011990010{u.id:05d}"[:18], phone=phone, user_id=u.id)
            s.add(v)
            s.flush()
            vid = v.id
        return u.id, vid
