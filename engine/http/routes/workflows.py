"""Workflow instances: state, what can be fired now, what is blocked and why; fire; the log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select

from engine.errors import Forbidden, GuardsFailed
from engine.http.deps import Access, AccessDep, EngineDep, SessionDep
from engine.inputs import Id, Int, Limit, Offset
from engine.store.models import TransitionLog, WorkflowInstance
from engine.views import InstanceView, view_of

router = APIRouter(tags=["workflows"])


def instance_view(engine: Any, session: Any, access: Access, inst: WorkflowInstance) -> dict[str, Any]:
    wf = access.programme.workflow(inst.workflow)
    statuses = engine.workflows.evaluate(session, access.programme, inst, actor=access.actor, roles=access.roles)
    state = wf.definition.state(inst.state)
    return {
        "id": inst.id, "workflow": inst.workflow, "subject_type": inst.subject_type, "subject_id": inst.subject_id,
        "state": inst.state, "state_title": state.title, "final": state.final, "version": inst.version,
        "definition_version": inst.definition_version,
        "available": [{"trigger": t.trigger, "title": t.title, "to": t.to} for t in statuses if t.available],
        "blocked": [{"trigger": t.trigger, "title": t.title, "to": t.to, "reasons": t.reasons,
                     "roles": t.roles, "allowed_for_you": t.allowed_for_you}
                    for t in statuses if not t.available],
    }


@router.get("/programmes/{programme_id}/instances")
def list_instances(access: AccessDep, session: SessionDep, engine: EngineDep, workflow: str | None = None,
                   state: str | None = None, limit: Limit = 100, offset: Offset = 0) -> list[dict[str, Any]]:
    """Instances of this programme's workflows (filter by workflow and state). A plan type may keep
    its confidential instances out of the list (``volunteer_instance_filter``); a page may then hold
    fewer than ``limit`` rows."""
    access.require("admin", "coordinator", "supervisor", "team_leader", what="listing workflow instances")
    q = select(WorkflowInstance).where(WorkflowInstance.programme_id == access.programme.id)
    if workflow:
        q = q.where(WorkflowInstance.workflow == workflow)
    if state:
        q = q.where(WorkflowInstance.state == state)
    rows = list(session.scalars(q.order_by(WorkflowInstance.id).limit(min(limit, 1000)).offset(offset)))
    rows = _filtered(engine, session, access, rows)
    return [{"id": i.id, "workflow": i.workflow, "subject_type": i.subject_type, "subject_id": i.subject_id,
             "state": i.state, "version": i.version} for i in rows]


@router.get("/programmes/{programme_id}/lifecycle")
def lifecycle(access: AccessDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """The programme's lifecycle instance: current stage, available and blocked triggers with reasons."""
    return instance_view(engine, session, access, engine.lifecycle(session, access.programme))


@router.get("/programmes/{programme_id}/instances/{instance_id}")
def show_instance(instance_id: Id, access: AccessDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    inst = engine.workflows.get(session, access.programme, instance_id)
    _check_can_see(engine, session, access, inst, "instance")
    return instance_view(engine, session, access, inst)


class FireIn(BaseModel):
    trigger: str = Field(min_length=1, max_length=63)
    expected_version: Int | None = Field(default=None, description="optimistic lock: the version you saw")
    payload: dict[str, Any] = Field(default_factory=dict)


@router.post("/programmes/{programme_id}/instances/{instance_id}/fire")
def fire(instance_id: Id, body: FireIn, access: AccessDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """Fire a trigger. 403: your roles may not; 409: wrong state or stale version; 422: guards refuse
    (their reasons are listed and the refusal is logged)."""
    inst = engine.workflows.get(session, access.programme, instance_id)
    _check_can_see(engine, session, access, inst, "instance_fire")
    result = engine.workflows.fire(session, access.programme, inst, body.trigger, actor=access.actor,
                                   roles=access.roles, expected_version=body.expected_version, payload=body.payload)
    if not result.ok:
        session.commit()  # keep the refusal in the log
        raise GuardsFailed(body.trigger, result.reasons)
    return instance_view(engine, session, access, result.instance)


@router.get("/programmes/{programme_id}/instances/{instance_id}/log")
def instance_log(instance_id: Id, access: AccessDep, engine: EngineDep, session: SessionDep) -> list[dict[str, Any]]:
    """The transition log of one instance, oldest first."""
    inst = engine.workflows.get(session, access.programme, instance_id)
    _check_can_see(engine, session, access, inst, "instance_log")
    return [log_view(r) for r in engine.workflows.history(session, instance_id)]


def log_view(r: TransitionLog) -> dict[str, Any]:
    return {"id": r.id, "at": r.at.isoformat(), "actor": r.actor, "roles": r.roles, "trigger": r.trigger,
            "from": r.from_state, "to": r.to_state, "outcome": r.outcome, "reasons": r.reasons, "payload": r.payload}


def _check_can_see(engine: Any, session: Any, access: Access, inst: WorkflowInstance, what: str) -> None:
    """Programme-level workflows are visible to every member; entity workflows to staff roles and to
    the roles that may fire one of the workflow's transitions (a plan type's dispatcher sees the
    tasks it moves), unless the plan type decides (``volunteer_instance_access``: legal-aid cases
    are confidential). The plan type is told of the look, refused or not (``volunteer_instance_read``);
    a refused look is committed before the 403 so that its log row stays."""
    if inst.subject_type == "programme":
        return
    verdict = engine.host.call("volunteer_instance_access", plan_type=access.programme.plan_type_id, firstresult=True,
                               programme=access.programme, instance=inst, user=access.user, roles=access.roles,
                               session=session)
    allowed = verdict is True or (verdict is None and access.has(*_readers(access, inst)))
    _told(engine, session, access, [inst], what, allowed)
    if allowed:
        return
    session.commit()  # keep the refused look in the plan type's read log
    if verdict is False:
        raise Forbidden(f"无权查看 / you may not see {inst.workflow} {inst.subject_id} of programme {access.programme.id!r}")
    access.require(*_readers(access, inst), what=f"the {inst.workflow} instance")


STAFF = ("admin", "coordinator", "supervisor", "team_leader")


def _readers(access: Access, inst: WorkflowInstance) -> tuple[str, ...]:
    """Staff, and the roles that move this workflow (never the self-service ``volunteer`` role)."""
    workflow = access.programme.config.workflows.get(inst.workflow)
    movers = {r for t in (workflow.transitions.values() if workflow else ()) if t for r in (t.roles or ())}
    return STAFF + tuple(sorted(movers - {"volunteer", "system", *STAFF}))


def _told(engine: Any, session: Any, access: Access, rows: list[WorkflowInstance], what: str, allowed: bool) -> None:
    shown = [view_of(InstanceView, r) for r in rows if r.subject_type != "programme"]
    if shown:
        engine.host.call("volunteer_instance_read", plan_type=access.programme.plan_type_id,
                         programme=access.programme, instances=shown, user=access.user, roles=access.roles,
                         session=session, what=what, allowed=allowed)


def _filtered(engine: Any, session: Any, access: Access, rows: list[WorkflowInstance]) -> list[WorkflowInstance]:
    """The page without the instances a plan type keeps from this reader; the rest reported as read."""
    views = [view_of(InstanceView, r) for r in rows if r.subject_type != "programme"]
    if views:
        hidden: set[int] = set()
        for ids in engine.host.call("volunteer_instance_filter", plan_type=access.programme.plan_type_id,
                                    programme=access.programme, instances=views, user=access.user,
                                    roles=access.roles, session=session) or []:
            hidden.update(int(i) for i in ids)
        rows = [r for r in rows if r.id not in hidden]
    _told(engine, session, access, rows, "instance_list", True)
    return rows
