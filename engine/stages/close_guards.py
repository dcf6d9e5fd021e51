"""Guards on leaving for 结项 (close): nothing may be left half-done, and each pending thing is named.

Defaults in engine/config/defaults.yaml (``workflows.lifecycle.transitions.close.guards``); a
programme relaxes them by giving its own list. At most :data:`SHOWN` items are named per guard,
then "… and N more".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import String as SqlString
from sqlalchemy import cast, select

from engine.stages.design.models import Post, Shift
from engine.stages.records.models import ServiceRecord
from engine.stages.recruitment.models import Volunteer
from engine.stages.rewards.models import CatalogueItem, Redemption
from engine.stages.service.models import Assignment, Incident
from engine.store.models import WorkflowInstance
from engine.workflow.context import GuardContext

SHOWN = 5


def _named(items: Sequence[str], zh: str, en: str) -> Iterable[str]:
    if not items:
        return
    shown = "；".join(items[:SHOWN])
    more_zh = f" 等共 {len(items)} 项" if len(items) > SHOWN else ""
    more_en = f" and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
    yield f"{zh}{more_zh}: {shown}{more_en} / {en}"


def _local(ctx: GuardContext, at) -> str:  # type: ignore[no-untyped-def]
    return str(at.astimezone(ctx.programme.config.tz).strftime("%Y-%m-%d %H:%M"))


def no_pending_redemptions(ctx: GuardContext) -> Iterable[str]:
    """No redemption is still requested or approved but not yet fulfilled."""
    s, pid = ctx.session, ctx.programme.id
    rows = s.execute(select(Redemption.id, Volunteer.name, CatalogueItem.title, WorkflowInstance.state)
                     .join(Volunteer, Volunteer.id == Redemption.volunteer_id)
                     .join(CatalogueItem, CatalogueItem.id == Redemption.item_id)
                     .join(WorkflowInstance, (WorkflowInstance.programme_id == pid)
                           & (WorkflowInstance.workflow == "redemption")
                           & (WorkflowInstance.subject_id == cast(Redemption.id, SqlString)))
                     .where(Redemption.programme_id == pid, WorkflowInstance.state.in_(("requested", "approved")))
                     .order_by(Redemption.id)).all()
    items = [f"#{rid} {name}「{title}」({state})" for rid, name, title, state in rows]
    yield from _named(items, "有积分兑换尚未办结", f"{len(items)} redemption(s) still requested or approved")


def no_future_shifts(ctx: GuardContext) -> Iterable[str]:
    """Nobody is rostered on a shift that has not started yet (cancel the shift or the assignment).
    A shift under way is finish_service's business (nobody still checked in)."""
    s, pid = ctx.session, ctx.programme.id
    rows = s.execute(select(Shift.id, Post.name, Shift.starts_at, Volunteer.name)
                     .join(Assignment, Assignment.shift_id == Shift.id).join(Post, Post.id == Shift.post_id)
                     .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
                     .where(Shift.programme_id == pid, Shift.cancelled_at.is_(None), Assignment.status == "assigned",
                            Shift.starts_at > ctx.now)
                     .order_by(Shift.starts_at, Shift.id)).all()
    items = [f"{post} {_local(ctx, starts)} {name}" for _sid, post, starts, name in rows]
    yield from _named(items, "仍有志愿者排在尚未开始的班次上", f"{len(items)} volunteer(s) rostered on future shifts")


def no_unverified_records(ctx: GuardContext) -> Iterable[str]:
    """Every service record is verified (each unverified one named)."""
    s, pid = ctx.session, ctx.programme.id
    rows = s.execute(select(ServiceRecord.id, Volunteer.name, ServiceRecord.started_at, ServiceRecord.minutes)
                     .join(Volunteer, Volunteer.id == ServiceRecord.volunteer_id)
                     .where(ServiceRecord.programme_id == pid, ServiceRecord.verified_at.is_(None))
                     .order_by(ServiceRecord.id)).all()
    items = [f"#{rid} {name} {_local(ctx, at)} {minutes} min" for rid, name, at, minutes in rows]
    yield from _named(items, "有服务记录待核实", f"{len(items)} service record(s) not verified")


def no_open_incidents(ctx: GuardContext) -> Iterable[str]:
    """Every incident is resolved."""
    s, pid = ctx.session, ctx.programme.id
    rows = s.execute(select(Incident.id, Incident.category, Incident.level, Incident.created_at)
                     .where(Incident.programme_id == pid, Incident.status != "resolved").order_by(Incident.id)).all()
    items = [f"#{iid} {cat} ({level}, {_local(ctx, at)})" for iid, cat, level, at in rows]
    yield from _named(items, "有事件尚未处理完毕", f"{len(items)} incident(s) not resolved")


GUARDS = (no_pending_redemptions, no_future_shifts, no_unverified_records, no_open_incidents)
