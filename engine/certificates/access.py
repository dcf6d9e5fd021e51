"""Who a certificate or transfer is for: the caller themselves, or — for staff — a named volunteer.
(Below the route modules, so the records stage's routes and ours share it without importing each other.)"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from engine.auth.access import Access
from engine.errors import Forbidden
from engine.stages.recruitment.models import Volunteer

STAFF = ("admin", "coordinator", "supervisor", "team_leader")
WRITERS = ("admin", "coordinator")
T = TypeVar("T")


def own_volunteer_id(session: Session, access: Access) -> int | None:
    return session.scalar(select(Volunteer.id).where(Volunteer.user_id == access.user.id))


def whose(session: Session, access: Access, volunteer_id: int | None, what: str) -> tuple[int, bool]:
    """(volunteer id, acting for themselves): writers may name anyone who joined this programme
    (404 for anyone else, as for an unused id); anybody else only themselves."""
    own = own_volunteer_id(session, access)
    if volunteer_id is None or volunteer_id == own:
        if own is None:
            raise Forbidden(f"你没有志愿者档案 / you have no volunteer profile, so no {what}")
        return own, True
    if not access.has(*WRITERS):
        raise Forbidden(f"只能为本人办理 / you may only do this for yourself ({what})")
    from engine.stages.recruitment.visibility import visible_volunteer

    visible_volunteer(session, access.programme.id, volunteer_id)
    return volunteer_id, False


def committed(session: Session, reply: T) -> T:
    """Commit before replying (see engine.stages.records.routes.committed)."""
    session.commit()
    return reply


def bundle_response(doc: dict[str, Any], name: str) -> Response:
    return Response(json.dumps(doc, ensure_ascii=False, indent=1), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}.signed.json"'})
