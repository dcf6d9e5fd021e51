"""What every community route shares: the 404 for other plan types, who a caller may reach, commits.

Thin on purpose: every rule is in the service modules; these routes decide who may call what and
which volunteer a caller may reach (a volunteer: only themselves). A programme of another plan
type answers 404 here, so the routes exist only where the rules do.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from fastapi import Depends
from pydantic import BaseModel, Field
from sqlalchemy import select

from engine.errors import GuardsFailed, InvalidInput, NotFound
from engine.sdk import PlanContext
from engine.sdk.http import Access, Caller, ProgrammeCtx
from engine.sdk.tables import Volunteer

PREFIX = "/programmes/{programme_id}/community"
TAGS: list[str | Enum] = ["community"]
MANAGERS = ("admin", "coordinator")
STAFF = ("admin", "coordinator", "supervisor", "team_leader", "grid_leader")
BOARD = ("review_board", "admin", "coordinator", "supervisor")


def community_access(access: Caller) -> Access:
    if access.programme.plan_type_id != "community":
        raise NotFound(f"项目 {access.programme.id} 不是社区志愿服务项目 / programme {access.programme.id!r} is of plan type "
                       f"{access.programme.plan_type_id!r}, not community")
    return access


CommunityDep = Annotated[Access, Depends(community_access)]


def community_ctx(access: CommunityDep, ctx: ProgrammeCtx) -> PlanContext:
    """The facade acting as the caller, for a community programme only (404 otherwise)."""
    return ctx


CommunityCtx = Annotated[PlanContext, Depends(community_ctx)]


def own_id(session: Any, access: Access) -> int | None:
    return session.scalar(select(Volunteer.id).where(Volunteer.user_id == access.user.id))


def reach(session: Any, access: Access, volunteer_id: int | None, *, staff: tuple[str, ...] = STAFF, what: str) -> int:
    """The volunteer this caller may act for: staff anyone, everyone else only themselves."""
    mine = own_id(session, access)
    if volunteer_id is None or volunteer_id == mine:
        if mine is None:
            raise InvalidInput(f"你的账号未关联志愿者，请指定 volunteer_id / your login is not linked to a volunteer ({what})",
                               field="volunteer_id")
        return mine
    access.require(*staff, what=f"{what} of another volunteer")
    return volunteer_id


def done(session: Any, value: Any) -> Any:
    """Commit before the answer is serialised, as the engine's rewards routes do: these routes hold
    balance-row locks until commit, and a commit left to the dependency's exit needs a worker thread
    that requests queued on the same lock may all be holding."""
    session.commit()
    return value


def fired(session: Any, result: Any, trigger: str) -> None:
    if not result.ok:
        session.commit()  # keep the refusal in the transition log
        raise GuardsFailed(trigger, result.reasons)


class FireIn(BaseModel):
    trigger: str = Field(min_length=1, max_length=63)
    payload: dict[str, Any] = Field(default_factory=dict)
