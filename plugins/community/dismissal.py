"""劝退 Dismissal (seed 003 附件4 第五条), with evidence and a reasoned decision.

"志愿者出现下列情形之一的，本站可以对其劝退，行为加重者，报上级志愿服务组织备案":

(一) 无正当理由多次不服从社区志愿服务工作安排 — ``repeated_refusal``
(二) 严重违反社区志愿服务站管理规定 — ``serious_breach``
(三) 造成服务对象损失且其行为给社会、服务对象造成严重不良影响 — ``harm_to_beneficiaries``
(四) 利用志愿者的名义从事营利性活动或非法活动 — ``profiteering``

A case is proposed on one ground, gathers evidence (append-only), is reviewed once there is some,
and is decided by an admin with a written note. For ground (一) the refusals must be shown: no-shows
on rostered shifts plus evidence of kind ``refusal`` must reach ``rules.dismissal.min_refusals``
("多次" is not quantified in the document; 3 by default). A dismissed volunteer is no longer eligible
for posts in this programme (``volunteer_check_eligibility``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from engine.errors import Conflict, InvalidInput, NotFound
from engine.sdk import Fired, PlanContext
from engine.sdk.tables import Assignment, WorkflowInstance
from plugins.community.models import Dismissal, DismissalEvidence

WORKFLOW = "dismissal"
GROUNDS: dict[str, tuple[str, str]] = {
    "repeated_refusal": ("（一）无正当理由多次不服从社区志愿服务工作安排", "repeatedly refused assignments without good reason"),
    "serious_breach": ("（二）严重违反社区志愿服务站管理规定", "seriously breached the station's rules"),
    "harm_to_beneficiaries": ("（三）造成服务对象损失且其行为给社会、服务对象造成严重不良影响",
                              "caused beneficiaries loss with serious harm to them or to society"),
    "profiteering": ("（四）利用志愿者的名义从事营利性活动或非法活动", "used the volunteer name for profit or illegal activity"),
}
EVIDENCE_KINDS = ("refusal", "document", "testimony", "record", "other")
OPEN_STATES = ("proposed", "under_review")
DISMISSED_STATES = ("dismissed", "reported")


def state_of(session: Session, programme_id: str, dismissal_id: int) -> WorkflowInstance | None:
    return session.scalars(select(WorkflowInstance).where(
        WorkflowInstance.programme_id == programme_id, WorkflowInstance.workflow == WORKFLOW,
        WorkflowInstance.subject_type == "dismissal", WorkflowInstance.subject_id == str(dismissal_id))).one_or_none()


def get_case(session: Session, programme: Any, dismissal_id: int) -> Dismissal:
    row = session.get(Dismissal, dismissal_id)
    if row is None or row.programme_id != programme.id:
        raise NotFound(f"没有劝退案 {dismissal_id} / no dismissal case {dismissal_id}", dismissal=dismissal_id)
    return row


def _cases_in(session: Session, programme_id: str, volunteer_id: int, states: tuple[str, ...]) -> list[int]:
    return list(session.scalars(select(Dismissal.id).join(WorkflowInstance, (
        WorkflowInstance.programme_id == Dismissal.programme_id) & (WorkflowInstance.workflow == WORKFLOW)
        & (WorkflowInstance.subject_type == "dismissal")
        & (WorkflowInstance.subject_id == cast(Dismissal.id, String))).where(
        Dismissal.programme_id == programme_id, Dismissal.volunteer_id == volunteer_id,
        WorkflowInstance.state.in_(states))))


def propose(ctx: PlanContext, *, volunteer_id: int, ground: str, description: str) -> Dismissal:
    """``ctx.actor`` proposes a case on one ground; starts the ``dismissal`` workflow."""
    session, programme, actor = ctx.session, ctx.programme, ctx.actor
    if ground not in GROUNDS:
        raise InvalidInput(f"未知的劝退情形 {ground!r} / unknown ground {ground!r}; one of {', '.join(GROUNDS)} "
                           "(seed 003 附件4 第五条)", field="ground")
    if not description.strip():
        raise InvalidInput("请写明事实 / describe what happened", field="description")
    vol = ctx.volunteer(volunteer_id)
    if _cases_in(session, programme.id, volunteer_id, OPEN_STATES):
        raise Conflict(f"{vol.name} 已有未决的劝退案 / {vol.name} already has an open dismissal case", field="volunteer_id")
    row = Dismissal(programme_id=programme.id, volunteer_id=volunteer_id, ground=ground, description=description.strip(),
                    proposed_by=actor)
    session.add(row)
    session.flush()
    ctx.start(WORKFLOW, "dismissal", row.id)
    return row


def add_evidence(session: Session, programme: Any, dismissal_id: int, *, kind: str, description: str,
                 actor: str, ref: str | None = None) -> DismissalEvidence:
    case = get_case(session, programme, dismissal_id)
    if kind not in EVIDENCE_KINDS:
        raise InvalidInput(f"未知的证据类型 {kind!r} / unknown evidence kind; one of {', '.join(EVIDENCE_KINDS)}",
                           field="kind")
    inst = state_of(session, programme.id, case.id)
    if inst is None or inst.state not in OPEN_STATES:
        raise Conflict(f"劝退案 {case.id} 已决定，不能再补充证据 / case {case.id} is decided; evidence is closed")
    row = DismissalEvidence(dismissal_id=case.id, kind=kind, description=description.strip(), ref=ref, added_by=actor)
    session.add(row)
    session.flush()
    return row


def evidence(session: Session, dismissal_id: int) -> list[DismissalEvidence]:
    return list(session.scalars(select(DismissalEvidence).where(DismissalEvidence.dismissal_id == dismissal_id)
                                .order_by(DismissalEvidence.id)))


def refusals(session: Session, programme_id: str, case: Dismissal) -> int:
    """No-shows on rostered shifts plus evidence of kind ``refusal`` (ground (一))."""
    no_shows = session.scalar(select(func.count()).select_from(Assignment).where(
        Assignment.programme_id == programme_id, Assignment.volunteer_id == case.volunteer_id,
        Assignment.status == "no_show")) or 0
    shown = session.scalar(select(func.count()).select_from(DismissalEvidence).where(
        DismissalEvidence.dismissal_id == case.id, DismissalEvidence.kind == "refusal")) or 0
    return int(no_shows) + int(shown)


def fire(ctx: PlanContext, dismissal_id: int, trigger: str, *, payload: dict[str, Any] | None = None) -> Fired:
    """Fire ``trigger`` on the case's workflow as ``ctx.actor`` with ``ctx.roles``."""
    get_case(ctx.session, ctx.programme, dismissal_id)
    inst = ctx.find_instance(WORKFLOW, "dismissal", dismissal_id)
    if inst is None:
        raise NotFound(f"劝退案 {dismissal_id} 没有工作流实例 / dismissal {dismissal_id} has no workflow instance")
    return ctx.fire(inst, trigger, payload=payload)


def is_dismissed(session: Session, programme_id: str, volunteer_id: int) -> bool:
    return bool(_cases_in(session, programme_id, volunteer_id, DISMISSED_STATES))
