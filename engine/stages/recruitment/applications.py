"""Applications to posts and the 志愿服务协议书 (seed 000 篇3: 报名 → 筛选 → 面试 → 录用 → 签约).

An application's state lives in its ``application`` workflow instance (engine/config/defaults.yaml,
overridable per programme), so screening, offers and agreements follow the YAML's roles and
guards. Applying checks eligibility first and refuses with every reason; the ``agree``
transition's guard ``stages.agreement_recorded`` needs an :class:`Agreement` recorded here
(志愿服务条例 第十四条).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import String, bindparam, cast, exists, func, select
from sqlalchemy.orm import Session

from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.stages.design.models import Post
from engine.stages.recruitment.eligibility import ADULT_AGE, age_on, check_eligibility
from engine.stages.recruitment.models import Agreement, Application, Enrolment, Volunteer
from engine.stages.recruitment.service import programme_today
from engine.stages.service.roster_guards import PostView
from engine.stages.training.checks import missing_courses
from engine.store.base import utcnow
from engine.store.models import WorkflowInstance
from engine.workflow import stagegate as gate
from engine.workflow.service import FireResult, WorkflowService

WORKFLOW = "application"
SIGNABLE = ("offered", "agreed", "active")


class NotEligible(InvalidInput):
    """Applying was refused: ``reasons`` lists every rule the applicant does not meet."""

    def __init__(self, post_name: str, reasons: list[str]) -> None:
        super().__init__(f"不符合岗位「{post_name}」的报名条件 / not eligible for post {post_name!r}: "
                         + "; ".join(reasons), field="post_id", reasons=reasons)
        self.reasons = reasons


#: What applying needs to know, in one statement: the post (in this programme), whether the person is
#: enrolled here, an earlier application of theirs to the post, and the stage of the programme's lifecycle
#: (when it is not plainly open, :func:`stagegate.require_open` decides, as before anything else).
_KNOWN = (
    exists().where(Enrolment.programme_id == bindparam("pid"), Enrolment.volunteer_id == bindparam("vid")),
    select(Application.id).where(Application.post_id == bindparam("post"), Application.volunteer_id == bindparam("vid"))
    .scalar_subquery(),
    gate.STAGE,
)
_WHERE = (Post.id == bindparam("post"), Post.programme_id == bindparam("pid"))
_FACTS = select(Post, *_KNOWN).where(*_WHERE)
#: The same with the post's columns the checks read instead of the ORM entity (about 0.08 ms less a
#: call on PostgreSQL), when no plan type's ``volunteer_check_eligibility`` is handed the post.
_POST_COLUMNS = (Post.id, Post.programme_id, Post.project_id, Post.name, Post.category, Post.min_age, Post.max_age,
                 Post.skills, Post.languages, Post.qualifications, Post.required_courses)
_FACTS_CORE = select(*_POST_COLUMNS, *_KNOWN).where(*_WHERE)


def _facts(session: Session, programme: LoadedProgramme, host: PluginHost, post_id: int, volunteer_id: int) -> Any:
    """(post, enrolled, earlier application id, stage), or None when the programme has no such post."""
    params = {"pid": programme.id, "post": post_id, "vid": volunteer_id, "lifecycle": programme.config.stages.lifecycle}
    if host.implementers("volunteer_check_eligibility", plan_type=programme.plan_type_id):
        return session.execute(_FACTS, params).first()
    if session.autoflush:  # as the ORM query would
        session.flush()
    row = session.connection().execute(_FACTS_CORE, params).first()
    if row is None:
        return None
    n = len(_POST_COLUMNS)
    return PostView(*row[:n]), *row[n:]


def apply(session: Session, programme: LoadedProgramme, host: PluginHost, volunteer: Volunteer, post_id: int, *,
          note: str | None = None, actor: str, on: dt.date | None = None,
          eligible_on: dt.date | None = None) -> tuple[Application, WorkflowInstance, list[str]]:
    """Create the application and start its workflow instance.

    Returns the application, its instance and reminders (required courses not yet held: needed
    before assignment, not before applying). Refuses (422, every reason) when not eligible.
    ``eligible_on``: the day the post's conditions are reckoned on, kept with the application so
    its later guards reckon on it too (default: the day of each check).
    """
    today = eligible_on or on or programme_today(programme)
    facts = _facts(session, programme, host, post_id, volunteer.id)
    if facts is None or not gate.plainly_open(programme, "recruitment", facts[3]):
        gate.require_open(session, programme, "recruitment")
    if facts is None:
        raise NotFound(f"本项目没有岗位 {post_id} / programme {programme.id!r} has no post {post_id}", field="post_id")
    post, enrolled, earlier_id, _stage = facts
    if not enrolled:
        raise InvalidInput(f"{volunteer.name} 尚未在本项目登记 / volunteer {volunteer.id} is not enrolled in programme "
                           f"{programme.id!r}: register first", field="volunteer_id")
    if earlier_id is not None:
        earlier = session.get(Application, earlier_id)
        assert earlier is not None
        inst = instance_of(session, programme, earlier)
        raise Conflict(f"已报名该岗位（报名 {earlier.id}，状态 {inst.state}）/ already applied to post {post.name!r} "
                       f"(application {earlier.id}, state {inst.state})", application_id=earlier.id)
    reasons = check_eligibility(session, programme, host, volunteer, post, today)
    # --- added for youth (issue 13): a minor awaiting consent is held as pending, not refused
    from engine.stages.recruitment import consent

    held = (consent.held_notes(session, programme, volunteer, age_on(volunteer.birth_date, today))
            if consent.workflow_mode(programme) else [])
    reasons = [r for r in reasons if r not in held]
    if reasons:
        raise NotEligible(post.name, reasons)
    app, inst = WorkflowService(host).start_with_subject(session, programme, WORKFLOW, Application, {
        "programme_id": programme.id, "post_id": post.id, "volunteer_id": volunteer.id, "note": note,
        "eligible_on": eligible_on, "created_at": utcnow()}, WORKFLOW, actor=actor)
    reminders = missing_courses(session, programme.id, volunteer.id, list(post.required_courses or []), today)
    return app, inst, held + reminders


def get_application(session: Session, programme_id: str, application_id: int) -> Application:
    app = session.get(Application, application_id)
    if app is None or app.programme_id != programme_id:
        raise NotFound(f"本项目没有报名 {application_id} / programme {programme_id!r} has no application "
                       f"{application_id}", application_id=application_id)
    return app


def instance_of(session: Session, programme: LoadedProgramme, app: Application) -> WorkflowInstance:
    inst = session.scalars(select(WorkflowInstance).where(
        WorkflowInstance.programme_id == programme.id, WorkflowInstance.workflow == WORKFLOW,
        WorkflowInstance.subject_type == WORKFLOW, WorkflowInstance.subject_id == str(app.id))).one_or_none()
    if inst is None:
        raise NotFound(f"报名 {app.id} 没有流程实例 / application {app.id} has no workflow instance")
    return inst


def effective_roles(roles: frozenset[str], *, own: bool) -> frozenset[str]:
    """The volunteer role acts only on one's own application; staff roles act on any."""
    return roles if own else roles - {"volunteer"}


def fire(session: Session, programme: LoadedProgramme, host: PluginHost, app: Application, trigger: str, *,
         actor: str, roles: frozenset[str], own: bool, expected_version: int | None = None,
         payload: dict[str, Any] | None = None) -> FireResult:
    """Fire a trigger on the application's instance. Guard refusals come back as ``ok=False``
    (logged; the caller commits, then raises GuardsFailed); wrong roles raise Forbidden."""
    acting = effective_roles(roles, own=own)
    if not acting:
        raise Forbidden(f"只能处理自己的报名 / you may act only on your own application (application {app.id})")
    inst = instance_of(session, programme, app)
    return WorkflowService(host).fire(session, programme, inst, trigger, actor=actor, roles=acting,
                                      expected_version=expected_version, payload=payload)


def application_view(session: Session, programme: LoadedProgramme, host: PluginHost, app: Application, *,
                     actor: str, roles: frozenset[str], own: bool) -> dict[str, Any]:
    """The application with its state and what can be fired now, or why not (for this caller)."""
    inst = instance_of(session, programme, app)
    wf = programme.workflow(WORKFLOW)
    statuses = WorkflowService(host).evaluate(session, programme, inst, actor=actor,
                                              roles=effective_roles(roles, own=own))
    agreement = session.scalars(select(Agreement).where(Agreement.application_id == app.id)).first()
    return {
        **application_row(app, inst.state), "state_title": wf.definition.state(inst.state).title,
        "final": wf.definition.state(inst.state).final, "instance_id": inst.id, "version": inst.version,
        "agreement_id": agreement.id if agreement else None,
        "available": [{"trigger": t.trigger, "title": t.title, "to": t.to} for t in statuses if t.available],
        "blocked": [{"trigger": t.trigger, "title": t.title, "to": t.to, "reasons": t.reasons, "roles": t.roles,
                     "allowed_for_you": t.allowed_for_you} for t in statuses if not t.available],
    }


def application_row(app: Application, state: str) -> dict[str, Any]:
    return {"id": app.id, "post_id": app.post_id, "volunteer_id": app.volunteer_id, "state": state,
            "note": app.note, "created_at": app.created_at.isoformat()}


def list_applications(session: Session, programme_id: str, *, post_id: int | None = None, state: str | None = None,
                      volunteer_id: int | None = None, limit: int = 100,
                      offset: int = 0) -> tuple[list[tuple[Application, str]], int]:
    """Applications with their current state (one join, no per-row lookups)."""
    cond = [Application.programme_id == programme_id]
    if post_id is not None:
        cond.append(Application.post_id == post_id)
    if volunteer_id is not None:
        cond.append(Application.volunteer_id == volunteer_id)
    if state:
        cond.append(WorkflowInstance.state == state)
    base = (select(Application, WorkflowInstance.state)
            .join(WorkflowInstance, (WorkflowInstance.programme_id == Application.programme_id)
                  & (WorkflowInstance.workflow == WORKFLOW) & (WorkflowInstance.subject_type == WORKFLOW)
                  & (WorkflowInstance.subject_id == cast(Application.id, String(63))))
            .where(*cond))
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(base.order_by(Application.id).limit(limit).offset(offset)).all()
    return list(rows), total


def record_agreement(session: Session, programme: LoadedProgramme, app: Application, *, signed_on: dt.date,
                     title: str = "志愿服务协议书", guardian_name: str | None = None, actor: str,
                     on: dt.date | None = None) -> Agreement:
    """Record the signed agreement for an offered application (one per application).

    A minor's agreement names the guardian who signed it (003 附件4 第二条); the date may not lie
    in the future.
    """
    gate.require_open(session, programme, "recruitment")
    today = on or programme_today(programme)
    inst = instance_of(session, programme, app)
    if inst.state not in SIGNABLE:
        raise Conflict(f"报名处于「{inst.state}」，录用后才能签协议 / application {app.id} is {inst.state!r}: an "
                       f"agreement is signed after the offer", state=inst.state)
    if session.scalars(select(Agreement.id).where(Agreement.application_id == app.id)).first() is not None:
        raise Conflict(f"报名 {app.id} 已登记协议书 / an agreement is already recorded for application {app.id}")
    if signed_on > today:
        raise InvalidInput(f"签署日期 {signed_on} 晚于今天 {today} / signed_on {signed_on} is in the future",
                           field="signed_on")
    vol = session.get(Volunteer, app.volunteer_id)
    assert vol is not None
    if age_on(vol.birth_date, signed_on) < ADULT_AGE and not guardian_name:
        raise InvalidInput("未成年人的协议书须由监护人签署，请填写监护人姓名 / a minor's agreement is signed by the "
                           "guardian: give guardian_name (003 附件4 第二条)", field="guardian_name")
    row = Agreement(programme_id=programme.id, volunteer_id=vol.id, application_id=app.id, title=title,
                    signed_on=signed_on, guardian_name=guardian_name, recorded_by=actor)
    session.add(row)
    session.flush()
    return row
