"""What the pages show of swaps (:mod:`engine.stages.service.swaps`): a volunteer's own requests and the
shifts they may ask for on "My shifts", the accepted requests awaiting staff on the roster. Reads only;
the forms are in :mod:`engine.web.volunteer.swap_pages`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.http.deps import Access
from engine.stages.design.models import Post, Shift
from engine.stages.recruitment.models import Application
from engine.stages.service import swaps
from engine.stages.service.models import SwapRequest
from engine.store.base import utcnow
from engine.store.models import WorkflowInstance


def describe(session: Session, access: Access, rows: list[SwapRequest], me: int | None) -> list[dict[str, Any]]:
    """Requests as the pages show them: state (and its title from the workflow), both people's names
    and shifts, and the reader's part."""
    if not rows:
        return []
    states = {i: inst.state for i, inst in swaps.instances(session, access.programme.id, [r.id for r in rows]).items()}
    seats, names = swaps.seats_and_names(session, rows)
    return [{"id": r.id, "state": states.get(r.id), "state_title": swaps.state_title(access.programme, states.get(r.id)),
             "note": r.note,
             "proposer": names.get(r.proposer_id), "counterparty": names.get(r.counterparty_id),
             "mine": seats[r.assignment_id], "theirs": seats[r.other_assignment_id],
             "role": "proposer" if me == r.proposer_id else "counterparty" if me == r.counterparty_id else None}
            for r in rows]


def for_volunteer(session: Session, access: Access, volunteer_id: int) -> dict[str, Any]:
    """What "My shifts" shows of swaps: the reader's requests (newest first) and the shifts they may ask for."""
    rows = list(session.scalars(select(SwapRequest).where(
        SwapRequest.programme_id == access.programme.id,
        or_(SwapRequest.proposer_id == volunteer_id, SwapRequest.counterparty_id == volunteer_id))
        .order_by(SwapRequest.id.desc()).limit(50)))
    agreed = select(Application.post_id).where(
        Application.programme_id == access.programme.id, Application.volunteer_id == volunteer_id)
    targets = session.execute(select(Shift, Post.name).join(Post, Post.id == Shift.post_id).where(
        Shift.programme_id == access.programme.id, Shift.post_id.in_(agreed), Shift.cancelled_at.is_(None),
        Shift.starts_at > utcnow()).order_by(Shift.starts_at).limit(200)).all()
    return {"swap_requests": describe(session, access, rows, volunteer_id), "swap_targets": targets}


def awaiting_approval(session: Session, access: Access) -> list[dict[str, Any]]:
    """Accepted requests waiting for staff (the roster page)."""
    rows = list(session.scalars(select(SwapRequest).join(WorkflowInstance, swaps.on_instance()).where(
        SwapRequest.programme_id == access.programme.id, WorkflowInstance.state == "accepted")
        .order_by(SwapRequest.id).limit(100)))
    return describe(session, access, rows, None)
