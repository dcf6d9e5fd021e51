"""HTTP routes of swaps between volunteers (:mod:`engine.stages.service.swaps`), under
/api/v1/programmes/{programme_id}/…: a volunteer proposes from their own seat; the two parties and
rostering staff (admin, coordinator, team leader) see a request; anyone of them fires its
workflow's triggers, whose roles and guards decide (accept/decline: the colleague asked;
approve/refuse: staff who are not a party; withdraw: the proposer or admin/coordinator). Nobody
else learns a request exists (404)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from engine.errors import Forbidden, GuardsFailed, NotFound
from engine.http.deps import Access, AccessDep, EngineDep, SessionDep
from engine.inputs import Id, Int
from engine.stages.records.routes import committed, own_volunteer_id
from engine.stages.service import swaps
from engine.stages.service.models import Assignment, SwapRequest
from engine.store.base import utcnow
from engine.store.models import WorkflowInstance
from engine.workflow.service import WorkflowService

router = APIRouter(prefix="/programmes/{programme_id}", tags=["service"])
STAFF = ("admin", "coordinator", "team_leader")


class SwapProposeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    shift_id: Id = Field(description="the colleague's shift")
    with_volunteer_id: Id = Field(description="the colleague's volunteer number")
    note: str | None = Field(default=None, max_length=500, description="e.g. 家中有事 / family matter")


class SwapFireIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    trigger: str = Field(min_length=1, max_length=63, description="accept, decline, approve, refuse, withdraw")
    expected_version: Int | None = None
    payload: dict[str, Any] = Field(default_factory=dict)


def _view(session: Session, row: SwapRequest, inst: WorkflowInstance | None) -> dict[str, Any]:
    shifts = dict(session.execute(select(Assignment.id, Assignment.shift_id).where(
        Assignment.id.in_([row.assignment_id, row.other_assignment_id]))).all())
    return {"id": row.id, "state": inst.state if inst else None, "version": inst.version if inst else None,
            "instance_id": inst.id if inst else None,
            "proposer_id": row.proposer_id, "assignment_id": row.assignment_id, "shift_id": shifts[row.assignment_id],
            "counterparty_id": row.counterparty_id, "other_assignment_id": row.other_assignment_id,
            "other_shift_id": shifts[row.other_assignment_id], "note": row.note,
            "proposed_at": row.created_at.isoformat(), "swapped_to": row.swapped_to,
            "swapped_to_other": row.swapped_to_other}


def _reachable(session: Session, access: Access, row: SwapRequest) -> None:
    if not access.has(*STAFF) and own_volunteer_id(session, access) not in (row.proposer_id, row.counterparty_id):
        raise NotFound(f"没有换班申请 {row.id} / no swap request {row.id}")


@router.post("/me/assignments/{assignment_id}/swap-requests", status_code=201)
def propose(assignment_id: Id, body: SwapProposeIn, access: AccessDep, engine: EngineDep,
            session: SessionDep) -> dict[str, Any]:
    """换班申请: ask a colleague on another shift to swap seats (they accept, staff approve)."""
    own = own_volunteer_id(session, access)
    if own is None:
        raise Forbidden("你还没有志愿者档案 / you have no volunteer profile here")
    row = swaps.propose(session, access.programme, engine.host, assignment_id, own, shift_id=body.shift_id,
                        with_volunteer_id=body.with_volunteer_id, note=(body.note or "").strip() or None,
                        actor=access.actor, now=utcnow())
    return committed(session, _view(session, row, swaps.instances(session, access.programme.id, [row.id]).get(row.id)))


@router.get("/swap-requests")
def list_requests(access: AccessDep, session: SessionDep,
                  state: str | None = Query(default=None, max_length=32)) -> list[dict[str, Any]]:
    """Staff see the programme's requests; a volunteer the ones they are a party to. Newest first."""
    q = select(SwapRequest).where(SwapRequest.programme_id == access.programme.id)
    if not access.has(*STAFF):
        own = own_volunteer_id(session, access)
        q = q.where(or_(SwapRequest.proposer_id == own, SwapRequest.counterparty_id == own))
    if state is not None:
        q = q.join(WorkflowInstance, (WorkflowInstance.programme_id == access.programme.id)
                   & (WorkflowInstance.workflow == swaps.WORKFLOW)
                   & (WorkflowInstance.subject_id == cast(SwapRequest.id, String))).where(WorkflowInstance.state == state)
    rows = list(session.scalars(q.order_by(SwapRequest.id.desc()).limit(500)))
    states = swaps.instances(session, access.programme.id, [r.id for r in rows])
    return [_view(session, r, states.get(r.id)) for r in rows]


@router.get("/swap-requests/{swap_id}")
def show(swap_id: Id, access: AccessDep, session: SessionDep) -> dict[str, Any]:
    row = swaps.get(session, access.programme, swap_id)
    _reachable(session, access, row)
    return _view(session, row, swaps.instances(session, access.programme.id, [row.id]).get(row.id))


@router.post("/swap-requests/{swap_id}/fire")
def fire(swap_id: Id, body: SwapFireIn, access: AccessDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """accept / decline (the colleague asked), approve / refuse (staff, not a party; approving swaps
    both seats with every rostering check), withdraw (the proposer, admin, coordinator)."""
    row = swaps.get(session, access.programme, swap_id)
    _reachable(session, access, row)
    inst = swaps.instances(session, access.programme.id, [row.id]).get(row.id)
    if inst is None:
        raise NotFound(f"换班申请 {swap_id} 没有工作流实例 / swap request {swap_id} has no workflow instance")
    result = WorkflowService(engine.host).fire(session, access.programme, inst, body.trigger, actor=access.actor,
                                               roles=access.roles, payload=body.payload,
                                               expected_version=body.expected_version)
    if not result.ok:
        session.commit()  # keep the refusal in the log
        raise GuardsFailed(body.trigger, result.reasons)
    swaps.announce(session, access.programme, engine.host, row, inst.state, own_volunteer_id(session, access))
    return committed(session, _view(session, row, inst))
