"""The coordinator's queues: what waits for someone with the reader's roles, counted in a few
set-based queries (no query per item).

Workflow queues are derived from the workflow definitions, not listed by hand: an entity
instance waits for the reader when its state has a transition one of their roles may fire.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.http.deps import Access
from engine.stages.records.models import ServiceRecord
from engine.stages.rewards.models import LedgerAppeal
from engine.stages.service.models import Checkin, HourReport, Incident
from engine.store.models import WorkflowInstance
from engine.web.kit.i18n import N_

# where each entity workflow's queue is worked on (path under /p/{id}/); others go to the instance list
QUEUE_PAGES = {"application": "applications", "redemption": "rewards/redemptions", "need": "needs"}


@dataclass
class Queue:
    key: str
    label: str  # a message id, or the workflow/state titles from the programme's YAML
    count: int
    href: str


def _workflow_queues(session: Session, access: Access) -> list[Queue]:
    prog = access.programme
    waiting: dict[tuple[str, str], str] = {}
    for wf in prog.workflows.values():
        if wf.definition.subject == "programme":
            continue
        for t in wf.definition.transitions.values():
            if access.has(*t.roles):
                for src in t.from_:
                    title = wf.definition.state(src).title or src
                    waiting[(wf.name, src)] = f"{wf.definition.title or wf.name} · {title}"
    if not waiting:
        return []
    rows = session.execute(select(WorkflowInstance.workflow, WorkflowInstance.state, func.count()).where(
        WorkflowInstance.programme_id == prog.id,
        WorkflowInstance.workflow.in_({w for w, _ in waiting})).group_by(WorkflowInstance.workflow,
                                                                          WorkflowInstance.state))
    out = []
    for workflow, state, n in rows:
        if (workflow, state) in waiting and n:
            page = QUEUE_PAGES.get(workflow, f"instances?workflow={workflow}")
            sep = "&" if "?" in page else "?"
            out.append(Queue(f"{workflow}:{state}", waiting[(workflow, state)], n,
                             f"/p/{prog.id}/{page}{sep}state={state}"))
    return sorted(out, key=lambda q: q.key)


def queues(session: Session, access: Access) -> list[Queue]:
    pid = access.programme.id
    base = f"/p/{pid}"
    def count(model: Any, *cond: Any) -> Any:
        return select(func.count()).select_from(model).where(model.programme_id == pid, *cond).scalar_subquery()

    hour_reports, unconfirmed, incidents, unverified, appeals = session.execute(select(  # one statement for all
        count(HourReport, HourReport.status == "pending"),
        count(Checkin, Checkin.auto_closed.is_(True), Checkin.confirmed_by.is_(None)),
        count(Incident, Incident.status == "open"),
        count(ServiceRecord, ServiceRecord.verified_at.is_(None)),
        count(LedgerAppeal, LedgerAppeal.status == "open"))).one()
    fixed = [Queue("hour_reports", N_("Hour reports to approve"), hour_reports, f"{base}/records#hour-reports"),
             Queue("unconfirmed", N_("Automatic check-outs to confirm"), unconfirmed, f"{base}/records#unconfirmed"),
             Queue("records", N_("Records to verify"), unverified, f"{base}/records"),
             Queue("incidents", N_("Open incidents"), incidents, f"{base}/incidents"),
             Queue("appeals", N_("Appeals to decide"), appeals, f"{base}/appeals")]
    if not access.has("admin", "coordinator"):  # only they decide appeals
        fixed = [q for q in fixed if q.key != "appeals"]
    return _workflow_queues(session, access) + fixed
