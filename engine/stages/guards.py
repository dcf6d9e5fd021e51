"""The stages' guards and actions, named ``stages.*`` in workflow YAML.

Each guard answers with reasons a coordinator can act on, counting what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import exists, func, select

from engine.hookspecs import hookimpl
from engine.plugins import ActionRegistry, GuardRegistry, PluginHost
from engine.stages.design.models import Post, Project, Shift
from engine.stages.needs.models import Need, ProjectNeed
from engine.stages.records.models import ServiceRecord
from engine.stages.recruitment.eligibility import check_eligibility
from engine.stages.recruitment.models import Agreement, Application, Volunteer
from engine.stages.service.models import Assignment, Checkin, HourReport
from engine.stages.training.checks import missing_courses
from engine.store.models import WorkflowInstance
from engine.workflow.context import GuardContext


def needs_recorded(ctx: GuardContext) -> Iterable[str]:
    """At least one need has been recorded (采集需求)."""
    n = ctx.session.scalar(select(func.count()).select_from(Need).where(Need.programme_id == ctx.programme.id)) or 0
    minimum = int(ctx.params.get("min", 1))
    if n < minimum:
        yield f"已记录 {n} 条需求，至少需要 {minimum} 条 / {n} need(s) recorded, at least {minimum} required"


def projects_designed(ctx: GuardContext) -> Iterable[str]:
    """At least one project answers a need and has a post; every project has at least one post."""
    s, pid = ctx.session, ctx.programme.id
    posts = select(func.count(Post.id)).where(Post.project_id == Project.id).correlate(Project).scalar_subquery()
    rows = s.execute(select(Project.name, posts).where(Project.programme_id == pid).order_by(Project.id)).all()
    if not rows:
        yield "尚未设计任何项目 / no project designed yet"
        return
    no_posts = [name for name, n in rows if not n]
    if no_posts:
        yield f"{len(no_posts)} 个项目尚未设岗位: {'、'.join(no_posts)} / project(s) without posts: {', '.join(no_posts)}"
    linked = s.scalar(select(func.count()).select_from(ProjectNeed).join(Project, Project.id == ProjectNeed.project_id)
                      .where(Project.programme_id == pid)) or 0
    if linked == 0:
        yield "没有项目对应任何需求 / no project is linked to a need"


def _application_states(ctx: GuardContext, states: list[str]) -> int:
    return ctx.session.scalar(select(func.count()).select_from(WorkflowInstance).where(
        WorkflowInstance.programme_id == ctx.programme.id, WorkflowInstance.workflow == "application",
        WorkflowInstance.state.in_(states))) or 0


def volunteers_recruited(ctx: GuardContext) -> Iterable[str]:
    """At least ``min`` volunteers have signed their agreement (agreed or active)."""
    minimum = int(ctx.params.get("min", 1))
    n = _application_states(ctx, ["agreed", "active"])
    if n < minimum:
        yield f"已签协议的志愿者 {n} 名，至少需要 {minimum} 名 / {n} volunteer(s) with a signed agreement, {minimum} required"


def rostered_volunteers_trained(ctx: GuardContext) -> Iterable[str]:
    """Someone is rostered, and every rostered volunteer holds the courses their post requires."""
    s, pid = ctx.session, ctx.programme.id
    rows = s.execute(select(Assignment.volunteer_id, Post.required_courses, Shift.starts_at, Volunteer.name)
                     .join(Shift, Shift.id == Assignment.shift_id).join(Post, Post.id == Shift.post_id)
                     .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
                     .where(Assignment.programme_id == pid, Assignment.status == "assigned")).all()
    if not rows:
        yield "尚未排班 / nobody is rostered on a shift yet"
        return
    missing: dict[str, set[str]] = {}
    tz = ctx.programme.config.tz
    for vid, courses, starts_at, name in rows:
        # the course must be valid on the shift's local day, not its UTC day
        for reason in missing_courses(s, pid, vid, list(courses or []), starts_at.astimezone(tz).date()):
            missing.setdefault(reason.split("/")[0].strip(), set()).add(name)
    for what, names in sorted(missing.items()):
        yield f"{len(names)} 名已排班志愿者{what}: {'、'.join(sorted(names))}"


def no_open_checkins(ctx: GuardContext) -> Iterable[str]:
    """Nobody is still checked in, and every automatically closed check-in has been confirmed."""
    s, pid = ctx.session, ctx.programme.id
    open_n = s.scalar(select(func.count()).select_from(Checkin).where(
        Checkin.programme_id == pid, Checkin.checked_out_at.is_(None))) or 0
    if open_n:
        yield f"{open_n} 人尚未签退 / {open_n} volunteer(s) still checked in"
    unconfirmed = s.scalar(select(func.count()).select_from(Checkin).where(
        Checkin.programme_id == pid, Checkin.auto_closed.is_(True), Checkin.confirmed_by.is_(None))) or 0
    if unconfirmed:
        yield f"{unconfirmed} 条自动签退待协调员确认 / {unconfirmed} automatic check-out(s) await a coordinator"


def records_verified(ctx: GuardContext) -> Iterable[str]:
    """Every service record is verified and no off-schedule hour report is pending."""
    s, pid = ctx.session, ctx.programme.id
    unverified = s.scalar(select(func.count()).select_from(ServiceRecord).where(
        ServiceRecord.programme_id == pid, ServiceRecord.verified_at.is_(None))) or 0
    if unverified:
        yield f"{unverified} 条服务记录待核实 / {unverified} service record(s) not verified"
    pending = s.scalar(select(func.count()).select_from(HourReport).where(
        HourReport.programme_id == pid, HourReport.status == "pending")) or 0
    if pending:
        yield f"{pending} 条自报时长待审批 / {pending} self-reported hour report(s) pending"


def need_has_project(ctx: GuardContext) -> Iterable[str]:
    """The need is answered by at least one project."""
    if not ctx.session.scalar(select(exists().where(ProjectNeed.need_id == int(ctx.subject_id)))):
        yield "该需求尚无对应项目 / no project answers this need yet"


def applicant_eligible(ctx: GuardContext) -> Iterable[str]:
    """The applicant meets the post's requirements (engine checks and the plan type's)."""
    app = ctx.session.get(Application, int(ctx.subject_id))
    if app is None:
        yield f"报名 {ctx.subject_id} 不存在 / application {ctx.subject_id} not found"
        return
    vol = ctx.session.get(Volunteer, app.volunteer_id)
    post = ctx.session.get(Post, app.post_id)
    assert vol is not None and post is not None
    today = ctx.now.astimezone(ctx.programme.config.tz).date()  # the programme's day, not the server's
    yield from check_eligibility(ctx.session, ctx.programme, ctx.host or _no_host(), vol, post,
                                 app.eligible_on or today)


def agreement_recorded(ctx: GuardContext) -> Iterable[str]:
    """A signed 志愿服务协议书 is on record for this application."""
    if not ctx.programme.config.recruitment.require_agreement:
        return
    app_id = int(ctx.subject_id)
    if not ctx.session.scalar(select(exists().where(Agreement.application_id == app_id))):
        yield "尚未登记志愿服务协议书 / no signed volunteer agreement (志愿服务协议书) recorded"


def refund_redemption(ctx: GuardContext) -> None:
    """Action: return the held points of a cancelled redemption (a new ledger entry)."""
    from engine.stages.rewards.service import refund_redemption as refund

    refund(ctx.session, ctx.programme, int(ctx.subject_id), actor=ctx.actor)


def _no_host() -> PluginHost:
    from engine.plugins import default_host

    return default_host()


@hookimpl
def volunteer_register_guards(register: GuardRegistry) -> None:
    from engine.stages.close_guards import GUARDS
    from engine.stages.service import swaps

    for fn in (needs_recorded, projects_designed, volunteers_recruited, rostered_volunteers_trained,
               no_open_checkins, records_verified, need_has_project, applicant_eligible, agreement_recorded, *GUARDS,
               *swaps.GUARDS):
        register.add(f"stages.{fn.__name__}", fn)


@hookimpl
def volunteer_register_actions(register: ActionRegistry) -> None:
    from engine.stages.service.swaps import apply_swap

    register.add("stages.refund_redemption", refund_redemption)
    register.add("stages.apply_swap", apply_swap)
