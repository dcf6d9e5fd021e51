"""Notification preferences over HTTP: a person's own switches, and unsubscribe links.

* ``GET /api/v1/notifications/unsubscribe/{token}`` — a page saying what the link turns off,
  with a button (no login: the signed token is the proof). Nothing changes on GET, so a mail
  scanner that follows links unsubscribes no one.
* ``POST`` the same URL — turns it off (``scope=all``: every kind on that channel). Mail
  clients' one-click unsubscribe (RFC 8058, ``List-Unsubscribe=One-Click``) posts here too.
* ``GET /api/v1/me/notifications`` and ``PUT`` (``{kind, channel, enabled}``) — the logged-in
  person's switches (``kind``/``channel`` ``*``: all).
"""

from __future__ import annotations

from html import escape
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from sqlalchemy import select

from engine.http.deps import CurrentUser, SessionDep
from engine.notify.models import Notification
from engine.notify.people import (
    ANY,
    person_of_user,
    preferences,
    read_unsubscribe_token,
    recipient,
    set_preference,
)

# a signed token is at most ~300 characters; anything far longer is not one of ours
Token = Annotated[str, Path(min_length=1, max_length=512, description="the signed token from the link")]

router = APIRouter(tags=["notifications"])

PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>退订 Unsubscribe</title></head>
<body style="font-family: sans-serif; max-width: 36em; margin: 2em auto; padding: 0 1em">{content}</body></html>"""


def _what(kind: str, channel: str) -> str:
    return (f"“{escape(kind)}” 类通知（{escape(channel)}）/ “{escape(kind)}” messages by {escape(channel)}"
            if kind != ANY else f"全部通知（{escape(channel)}）/ every message by {escape(channel)}")


@router.get("/notifications/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe_page(token: Token, session: SessionDep) -> HTMLResponse:
    _, kind, channel = read_unsubscribe_token(session, token)
    action = f"/api/v1/notifications/unsubscribe/{escape(token)}"
    return HTMLResponse(PAGE.format(content=(
        f"<h1>退订通知 Unsubscribe</h1><p>不再接收{_what(kind, channel)}？<br>Stop receiving these?</p>"
        f'<form method="post" action="{action}"><button name="scope" value="kind">退订此类 Unsubscribe from these'
        f'</button> <button name="scope" value="all">退订全部 Unsubscribe from all</button></form>')))


@router.post("/notifications/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe(token: Token, session: SessionDep,
                scope: Annotated[Literal["kind", "all"], Form()] = "kind") -> HTMLResponse:
    person, kind, channel = read_unsubscribe_token(session, token)
    if scope == "all":
        kind = ANY
    set_preference(session, person, kind, channel, False, source="unsubscribe")
    return HTMLResponse(PAGE.format(content=(
        f"<h1>已退订 Unsubscribed</h1><p>您将不再收到{_what(kind, channel)}。<br>You will no longer receive these."
        "</p><p>登录后可在通知设置中重新开启。Log in to turn them back on in your notification settings.</p>")))


class PreferenceIn(BaseModel):
    kind: str = Field(min_length=1, max_length=120, description="a kind of message (its template name), or *")
    channel: str = Field(min_length=1, max_length=32, description="email, sms …, or *")
    enabled: bool


def _mine(session: Any, user_id: int) -> dict[str, Any]:
    who = recipient(session, to_user_id=user_id)
    sent_to = Notification.to_user_id == user_id
    if who.volunteer_id is not None:
        sent_to = sent_to | (Notification.to_volunteer_id == who.volunteer_id)
    kinds = sorted(set(session.scalars(select(Notification.kind).where(sent_to).distinct())))
    return {"kinds_received": kinds,
            "preferences": [{"kind": p.kind, "channel": p.channel, "enabled": p.enabled, "source": p.source}
                            for p in preferences(session, who.person)]}


@router.get("/me/notifications")
def my_preferences(user: CurrentUser, session: SessionDep) -> dict[str, Any]:
    """Your switches, and the kinds of message you have been sent (no switch: on)."""
    return _mine(session, user.id)


@router.put("/me/notifications")
def set_my_preference(body: PreferenceIn, user: CurrentUser, session: SessionDep) -> dict[str, Any]:
    """Turn a kind of message on or off on a channel, for yourself."""
    set_preference(session, person_of_user(session, user.id), body.kind, body.channel, body.enabled)
    return _mine(session, user.id)
