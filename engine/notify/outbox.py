"""Putting a message in the outbox: :func:`enqueue`, in the caller's transaction.

The message is written now and sent later by the scheduled path (``volunteer worker`` / ``tick``
/ the scheduler in ``serve``), so it goes out only if the caller's transaction commits, and a
slow mail server never slows a request down. One row per enabled channel; ``key`` makes it
idempotent: a second enqueue with the same key writes nothing (at-least-once delivery, each
message once per key).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine.errors import InvalidInput, NotFound
from engine.notify.models import Notification
from engine.notify.people import recipient
from engine.notify.senders import active_senders
from engine.notify.templates import templates
from engine.settings import get_settings
from engine.store.base import utcnow
from engine.store.models import ProgrammeRow

if TYPE_CHECKING:
    from engine.plugins import PluginHost


def jsonable(data: Mapping[str, Any]) -> dict[str, Any]:
    """Template data as stored: datetimes and dates as ISO text, decimals as text."""
    def conv(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            if value.tzinfo is None:
                raise InvalidInput(f"通知数据中的时间须带时区 / a time in notification data must be timezone-aware: "
                                   f"{value!r}", field="data")
            return value.astimezone(dt.UTC).isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, Mapping):
            return {str(k): conv(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [conv(v) for v in value]
        return value

    out = conv(dict(data))
    try:
        json.dumps(out)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"通知数据须可存为 JSON / notification data must be JSON-able: {exc}", field="data") from None
    return out  # type: ignore[no-any-return]


def template_context(session: Session, data: dict[str, Any], programme_id: str | None, name: str) -> dict[str, Any]:
    title = session.scalar(select(ProgrammeRow.name).where(ProgrammeRow.id == programme_id)) if programme_id else None
    return {**data, "recipient": {"name": name},
            "programme": {"id": programme_id or "", "name": title or "志愿服务引擎 Volunteer Engine"}}


def enqueue(session: Session, *, programme_id: str | None, template: str, data: Mapping[str, Any], key: str,
            to_user_id: int | None = None, to_volunteer_id: int | None = None,
            not_before: dt.datetime | None = None, kind: str | None = None,
            channels: Iterable[str] | None = None, host: PluginHost | None = None) -> bool:
    """Queue ``template`` rendered with ``data`` for one person; True if anything was written.

    ``key``: the message's identity (e.g. ``"shift-reminder:42:volunteer:7"``); enqueuing the same
    key again writes nothing. ``kind``: what people switch on and off (default: the template
    name). ``channels``: restrict to these (default: every channel with an enabled sender).
    ``not_before``: send no earlier. The template is rendered now, to report missing files or
    variables to the caller; it is rendered again, for the person as they are then, when sent.
    """
    if (to_user_id is None) == (to_volunteer_id is None):
        raise InvalidInput("请指定一位收件人 / give exactly one of to_user_id and to_volunteer_id", field="to_user_id")
    if not key or len(key) > 200:
        raise InvalidInput(f"通知键须为 1–200 个字符 / key needs 1–200 characters: {key!r}", field="key")
    if not_before is not None and not_before.tzinfo is None:
        raise InvalidInput("not_before 须带时区 / not_before must be timezone-aware", field="not_before")
    if programme_id is not None and session.get(ProgrammeRow, programme_id) is None:
        raise NotFound(f"没有项目 / no programme {programme_id!r}", programme=programme_id)
    if host is None:
        from engine.plugins import default_host

        host = default_host()
    stored = jsonable(data)
    who = recipient(session, to_user_id=to_user_id, to_volunteer_id=to_volunteer_id)
    templates(host).render(template, template_context(session, stored, programme_id, who.name))
    enabled = active_senders(host, get_settings().notify_senders)
    wanted = set(enabled) if channels is None else set(enabled) & set(channels)
    if not wanted:
        return False
    now = utcnow()
    rows = [{"key": key, "channel": channel, "kind": kind or template, "template": template, "data": stored,
             "programme_id": programme_id, "to_user_id": to_user_id, "to_volunteer_id": to_volunteer_id,
             "status": "pending", "not_before": not_before or now, "attempts": 0, "created_at": now}
            for channel in sorted(wanted)]
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    written = [session.execute(insert(Notification).values(**row)
                               .on_conflict_do_nothing(index_elements=["key", "channel"])
                               .returning(Notification.id)).first() for row in rows]
    return any(r is not None for r in written)
