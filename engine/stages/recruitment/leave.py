"""A volunteer leaves a programme (志愿者有权退出, 志愿服务条例 第十七条 spirit; their records stay).

What leaving does, in one transaction: every open application is withdrawn through its workflow
(the ``withdraw`` trigger, as the volunteer themself), every assignment on a shift that has not
started is cancelled, and the person's ``volunteer`` role here is removed. Service records, the
ledger and honours are kept: they are the person's history and the organisation's ledger.
Refused (nothing changes) while they are checked in on a shift, or when a workflow refuses.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.auth.service import AuthService
from engine.errors import Conflict, GuardsFailed, NotFound
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.stages.design.models import Shift
from engine.stages.recruitment import applications as apps
from engine.stages.recruitment.models import Application
from engine.stages.recruitment.service import own_volunteer
from engine.stages.service import roster
from engine.stages.service.models import Assignment, Checkin
from engine.store.base import utcnow
from engine.store.models import User, WorkflowInstance


def leave_programme(session: Session, programme: LoadedProgramme, host: PluginHost, user: User, *,
                    actor: str) -> dict[str, int]:
    """Returns how many applications were withdrawn and assignments cancelled."""
    vol = own_volunteer(session, user.id)
    if vol is None:
        raise NotFound("你尚未登记为志愿者 / you are not registered as a volunteer")
    open_ci = session.scalar(select(Checkin.id).join(Assignment, Assignment.id == Checkin.assignment_id).where(
        Assignment.programme_id == programme.id, Assignment.volunteer_id == vol.id,
        Checkin.checked_out_at.is_(None)))
    if open_ci is not None:
        raise Conflict("你正在服务中，请先签退 / you are checked in on a shift: check out first")
    wf = programme.workflow(apps.WORKFLOW).definition
    withdrawn = 0
    rows = session.execute(select(Application, WorkflowInstance.state).join(
        WorkflowInstance, (WorkflowInstance.programme_id == Application.programme_id)
        & (WorkflowInstance.workflow == apps.WORKFLOW) & (WorkflowInstance.subject_type == apps.WORKFLOW)
        & (WorkflowInstance.subject_id == Application.id.cast(WorkflowInstance.subject_id.type))).where(
        Application.programme_id == programme.id, Application.volunteer_id == vol.id))
    for app, state in list(rows):
        if wf.state(state).final:
            continue
        result = apps.fire(session, programme, host, app, "withdraw", actor=actor,
                           roles=frozenset({"volunteer"}), own=True)
        if not result.ok:
            raise GuardsFailed("withdraw", result.reasons)
        withdrawn += 1
    cancelled = 0
    future = session.scalars(select(Assignment.id).join(Shift, Shift.id == Assignment.shift_id).where(
        Assignment.programme_id == programme.id, Assignment.volunteer_id == vol.id,
        Assignment.status == "assigned", Shift.starts_at > utcnow()))
    for aid in list(future):
        roster.cancel(session, programme, aid, actor=actor)
        cancelled += 1
    AuthService().revoke_role(session, user, programme.id, "volunteer")
    session.flush()
    return {"withdrawn": withdrawn, "cancelled": cancelled}
