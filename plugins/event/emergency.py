"""应急预案 Emergency plans as checklists (seed 000 篇3 风险评估与应急响应: 具体应急预案).

``rules.emergency_plans`` maps an incident category (``medical``, ``lost_person``, ``fire``,
``weather``, ``dispute``, ``other``) to a plan ``{title, steps}``, the steps in order. The defaults are the
seed's four example plans; a programme's entries replace them key by key, ``category: null`` drops
one. When an incident is reported, its plan's steps are copied onto it (a later change of the file
does not rewrite an incident's checklist); whoever reported it and the responders tick steps off,
each tick keeping who and when. An incident of a category without a plan has no checklist.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from engine.errors import Conflict, NotFound
from engine.sdk.incidents import CATEGORIES
from engine.sdk.tables import Incident

from .models_day import IncidentStep


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=200)
    steps: list[Annotated[str, Field(min_length=1, max_length=500)]] = Field(min_length=1, max_length=30)


SEED = "seed 000 篇3 具体应急预案(示例)"
DEFAULT_PLANS: dict[str, dict[str, Any]] = {
    "medical": {"title": "医疗急救预案 Medical emergency", "steps": [
        "发现伤病员 Find the casualty",
        "立即呼叫医疗点/急救中心 Call the medical point or the emergency centre at once",
        "志愿者进行初步急救（如止血、包扎）First aid by a trained volunteer (stop bleeding, bandage)",
        "协助医护人员转运 Help the medical staff move the casualty",
        "通知总指挥部 Tell HQ"]},
    "lost_person": {"title": "人员走失预案 Lost person", "steps": [
        "发现走失人员/接到报告 Find the lost person, or take the report",
        "记录特征 Write down what they look like",
        "广播寻人 Broadcast a search",
        "通知安保部门协助寻找 Ask security to help search",
        "陪同等待/送至指定寻人点 Stay with them, or take them to the meeting point",
        "通知总指挥部 Tell HQ"]},
    "fire": {"title": "火灾预案 Fire", "steps": [
        "发现火情 Spot the fire",
        "立即呼叫消防 Call the fire service at once",
        "协助疏散 Help evacuate",
        "使用灭火器进行初期灭火（如具备条件）Fight the fire early with an extinguisher, if it is safe",
        "通知总指挥部 Tell HQ"]},
    "weather": {"title": "恶劣天气预案 Severe weather", "steps": [
        "关注天气预报 Watch the forecast",
        "发布预警信息 Issue the warning",
        "启动防范措施（如搭建防雨棚、准备雨具）Put protection in place (rain shelters, rain gear)",
        "如天气恶化，启动暂停/取消活动预案，组织人员疏散 If it worsens: pause or cancel, and evacuate"]},
}


def default_plans() -> dict[str, Plan | None]:
    return {k: Plan(**v) for k, v in DEFAULT_PLANS.items()}


def over_defaults(value: Any) -> Any:
    """A programme's plans replace the default ones key by key (``null`` drops one); categories checked."""
    if not isinstance(value, dict):
        return value
    unknown = sorted(map(str, set(value) - set(CATEGORIES)))
    if unknown:
        raise ValueError(f"应急预案的事件类别 {', '.join(unknown)} 不存在 / emergency_plans: {', '.join(unknown)} is not an "
                         f"incident category; one of: {', '.join(CATEGORIES)}")
    return {**DEFAULT_PLANS, **value}


def _incident(ctx: Any, incident_id: int) -> Any:
    row = ctx.session.get(Incident, incident_id)
    if row is None or row.programme_id != ctx.programme.id:
        raise NotFound(f"没有事件 {incident_id} / programme {ctx.programme.id!r} has no incident {incident_id}")
    return row


def open_checklist(ctx: Any, incident_id: int, incident: Any = None) -> list[IncidentStep]:
    """The incident's steps, copied from its category's plan the first time (idempotent)."""
    incident = incident if incident is not None else _incident(ctx, incident_id)
    rows = list(ctx.session.scalars(select(IncidentStep).where(IncidentStep.incident_id == incident.id)
                                    .order_by(IncidentStep.step)))
    plan = ctx.rules.emergency_plans.get(incident.category)
    if rows or plan is None:
        return rows
    rows = [IncidentStep(programme_id=ctx.programme.id, incident_id=incident.id, step=i, text=text,
                         plan=plan.title) for i, text in enumerate(plan.steps, start=1)]
    ctx.session.add_all(rows)
    ctx.session.flush()
    return rows


def tick(ctx: Any, incident_id: int, step: int, note: str | None) -> list[IncidentStep]:
    """Mark one step done (by ``ctx.actor`` at ``ctx.now``); refused once done, or on a resolved incident."""
    incident = _incident(ctx, incident_id)
    rows = open_checklist(ctx, incident_id, incident)
    row = next((r for r in rows if r.step == step), None)
    if row is None:
        raise NotFound(f"事件 {incident_id} 的预案没有第 {step} 步 / incident {incident_id}'s checklist has no step {step}")
    if incident.status == "resolved":
        raise Conflict(f"事件 {incident_id} 已处置完毕 / incident {incident_id} is resolved; its checklist is closed")
    if row.done_at is not None:
        when = row.done_at.astimezone(ctx.zone).strftime("%H:%M")
        raise Conflict(f"第 {step} 步已由 {row.done_by} 于 {when} 完成 / step {step} was done by {row.done_by} at {when}")
    row.done_at, row.done_by, row.note = ctx.now, ctx.actor, note
    ctx.session.flush()
    return rows


def view(ctx: Any, incident_id: int, rows: list[IncidentStep]) -> dict[str, Any]:
    return {"incident_id": incident_id, "plan": rows[0].plan if rows else None,
            "done": sum(1 for r in rows if r.done_at), "total": len(rows),
            "steps": [{"step": r.step, "text": r.text, "done_by": r.done_by, "note": r.note,
                       "done_at": r.done_at.astimezone(ctx.zone).isoformat() if r.done_at else None} for r in rows]}
