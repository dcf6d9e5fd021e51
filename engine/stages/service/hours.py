"""自报时长 Hours a volunteer served off-schedule (outside any rostered shift).

Why a report and not a record: the volunteer's word alone is not a record (志愿服务条例 第十九条:
如实记录). A report counts for nothing until a coordinator approves it; approval writes the record
(captured=self_reported, verified by the approver) in the same transaction, exactly once (a
conditional ``UPDATE … WHERE status = 'pending'``). A report that overlaps a record the volunteer
already has is refused, so one hour is never counted twice.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.errors import Conflict, InvalidInput, NotFound
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.stages.design.models import Post, Project
from engine.stages.period import check_in_period
from engine.stages.records.models import ServiceRecord
from engine.stages.records.service import MAX_RECORD_MINUTES, record_for_service, whole_minutes
from engine.stages.recruitment.models import Volunteer
from engine.stages.service.models import HourReport
from engine.store.base import utcnow
from engine.workflow import stagegate as gate


def _overlapping_record(session: Session, programme: LoadedProgramme, volunteer_id: int, start: dt.datetime,
                        end: dt.datetime) -> int | None:
    """A record in force of this volunteer overlapping [start, end), if any."""
    reversed_ids = select(ServiceRecord.reverses_id).where(ServiceRecord.reverses_id.is_not(None))
    return session.scalar(select(ServiceRecord.id).where(
        ServiceRecord.programme_id == programme.id, ServiceRecord.volunteer_id == volunteer_id,
        ServiceRecord.reverses_id.is_(None), ServiceRecord.id.not_in(reversed_ids),
        ServiceRecord.started_at < end, ServiceRecord.ended_at > start).limit(1))


def report_hours(session: Session, programme: LoadedProgramme, volunteer: Volunteer, *, started_at: dt.datetime,
                 ended_at: dt.datetime, content: str, actor: str, project_id: int | None = None,
                 post_id: int | None = None, now: dt.datetime | None = None) -> HourReport:
    gate.require_open(session, programme, "service")
    now = now or utcnow()
    check_in_period(programme, started_at, "started_at")
    check_in_period(programme, ended_at, "ended_at")
    if ended_at <= started_at:
        raise InvalidInput("结束时间须晚于开始时间 / ended_at must be after started_at", field="ended_at")
    if ended_at > now:
        raise InvalidInput("只能申报已完成的服务 / only service already done can be reported (ended_at is in the future)",
                           field="ended_at")
    minutes = whole_minutes(started_at, ended_at)
    if not 1 <= minutes <= MAX_RECORD_MINUTES:
        raise InvalidInput(f"时长须在 1 到 {MAX_RECORD_MINUTES} 分钟之间，实际 {minutes} / the span must be 1 to "
                           f"{MAX_RECORD_MINUTES} minutes, is {minutes}", field="ended_at")
    if post_id is not None:
        post = session.get(Post, post_id)
        if post is None or post.programme_id != programme.id:
            raise NotFound(f"没有岗位 {post_id} / programme {programme.id!r} has no post {post_id}", field="post_id")
        project_id = post.project_id
    if project_id is not None:
        project = session.get(Project, project_id)
        if project is None or project.programme_id != programme.id:
            raise NotFound(f"没有项目 {project_id} / programme {programme.id!r} has no project {project_id}",
                           field="project_id")
    clash = _overlapping_record(session, programme, volunteer.id, started_at, ended_at)
    if clash is not None:
        raise Conflict(f"该时段已有服务记录 {clash} / the time overlaps service record {clash} already on file",
                       record=clash)
    rep = HourReport(programme_id=programme.id, volunteer_id=volunteer.id, project_id=project_id, post_id=post_id,
                     started_at=started_at, ended_at=ended_at, content=content, status="pending")
    session.add(rep)
    session.flush()
    return rep


def get_report(session: Session, programme: LoadedProgramme, report_id: int) -> HourReport:
    rep = session.get(HourReport, report_id)
    if rep is None or rep.programme_id != programme.id:
        raise NotFound(f"没有时长申报 {report_id} / programme {programme.id!r} has no hour report {report_id}",
                       report=report_id)
    return rep


def _decide(session: Session, rep: HourReport, status: str, actor: str, note: str | None) -> None:
    won = session.execute(update(HourReport).where(HourReport.id == rep.id, HourReport.status == "pending").values(
        status=status, decided_by=actor, decided_at=utcnow(), decision_note=note)
        .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    session.refresh(rep)
    if not won:
        raise Conflict(f"时长申报 {rep.id} 已处理（{rep.status}）/ hour report {rep.id} was already decided: {rep.status}",
                       report=rep.id)


def approve(session: Session, programme: LoadedProgramme, host: PluginHost, report_id: int, *, actor: str,
            category: str | None = None, note: str | None = None) -> HourReport:
    """Approve a pending report: it becomes a verified record (and so counts) now, once."""
    gate.require_open(session, programme, "records")
    rep = get_report(session, programme, report_id)
    if rep.status == "pending":
        clash = _overlapping_record(session, programme, rep.volunteer_id, rep.started_at, rep.ended_at)
        if clash is not None:
            raise Conflict(f"该时段已有服务记录 {clash}，请驳回 / the time now overlaps service record {clash}; reject it",
                           record=clash)
    _decide(session, rep, "approved", actor, note)
    post = session.get(Post, rep.post_id) if rep.post_id is not None else None
    rec = record_for_service(session, programme, host, volunteer_id=rep.volunteer_id, shift=None, post=post,
                             project_id=rep.project_id, started_at=rep.started_at, ended_at=rep.ended_at,
                             captured="self_reported", actor=actor, content=rep.content, category=category,
                             verified=True)
    rep.record_id = rec.id
    session.flush()
    return rep


def reject(session: Session, programme: LoadedProgramme, report_id: int, *, actor: str, note: str) -> HourReport:
    gate.require_open(session, programme, "records")
    rep = get_report(session, programme, report_id)
    _decide(session, rep, "rejected", actor, note)
    return rep


def list_reports(session: Session, programme: LoadedProgramme, *, volunteer_id: int | None = None,
                 status: str | None = None, limit: int = 100, offset: int = 0) -> list[HourReport]:
    q = select(HourReport).where(HourReport.programme_id == programme.id)
    if volunteer_id is not None:
        q = q.where(HourReport.volunteer_id == volunteer_id)
    if status is not None:
        q = q.where(HourReport.status == status)
    return list(session.scalars(q.order_by(HourReport.id).limit(min(limit, 1000)).offset(offset)))
