"""Guards of the event plan type (named ``event.*`` in YAML)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from .models import Permit
from .permits import permit_reasons


def permit_granted(ctx: Any) -> Iterator[str]:
    """条例第十二至十四条: an event of ≥ 1,000 expected people starts service only with its permit."""
    ev = ctx.rules.event
    permit = ctx.session.scalars(select(Permit).where(Permit.programme_id == ctx.programme.id)).one_or_none()
    granted = permit is not None and permit.decision == "granted"
    yield from permit_reasons(ev.expected_attendance, ev.starts_on, cross_province=ev.cross_province,
                              permit_granted=granted, today=ctx.today)


GUARDS = {"event.permit_granted": permit_granted}
