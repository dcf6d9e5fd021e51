"""The programme report: the engine's own sections plus every plan type's (``volunteer_report_sections``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ReportSection:
    """A titled part of a report: key figures and an optional table (columns + rows)."""

    title: str
    figures: dict[str, Any] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: str = "engine"

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "figures": self.figures, "columns": self.columns, "rows": self.rows,
                "notes": self.notes, "source": self.source}


def build_report(session: Any, programme: Any, host: Any) -> list[ReportSection]:
    """The programme report (year-end 总结): the engine's sections, then every plan type's.

    Figures are the quantitative indicators every plan in seed 000 evaluates by: needs, projects,
    volunteers, hours, people served, activities, satisfaction, points issued and redeemed.
    A plan type's section that fails is shown as failed (naming the plugin), not dropped silently.
    """
    sections = [*_engine_sections(session, programme)]
    for impl_sections in _plugin_sections(session, programme, host):
        sections.extend(impl_sections)
    return sections


def _plugin_sections(session: Any, programme: Any, host: Any) -> list[list[ReportSection]]:
    from engine.errors import PluginError

    try:
        answers = host.call("volunteer_report_sections", plan_type=programme.plan_type_id,
                            programme=programme, session=session)
    except PluginError as exc:
        return [[ReportSection(title="（插件报告失败）Plan-type section failed", notes=[exc.message],
                               source=str(exc.details.get("plugin", "?")))]]
    out: list[list[ReportSection]] = []
    for answer in answers:
        out.append([s for s in answer if isinstance(s, ReportSection)])
    return out


def _engine_sections(session: Any, programme: Any) -> list[ReportSection]:
    from sqlalchemy import case, distinct, func, select

    from engine.stages.design.models import Project, Shift
    from engine.stages.needs.models import Need
    from engine.stages.records.models import ServiceRecord
    from engine.stages.recruitment.models import Enrolment
    from engine.stages.rewards.models import LedgerEntry
    from engine.store.models import WorkflowInstance

    pid = programme.id
    stage = session.scalar(select(WorkflowInstance.state).where(
        WorkflowInstance.programme_id == pid, WorkflowInstance.workflow == "lifecycle"))
    wf = programme.workflows.get("lifecycle")
    stage_title = wf.definition.state(stage).title if (wf and stage in wf.definition.states) else stage
    overview = ReportSection(
        title="概况 Overview",
        figures={"项目 programme": programme.config.name, "组织 organisation": programme.config.organisation.name,
                 "周期 period": f"{programme.config.period.start} – {programme.config.period.end}",
                 "当前阶段 stage": stage_title or "—"})

    needs_n = session.scalar(select(func.count()).select_from(Need).where(Need.programme_id == pid)) or 0
    affected = session.scalar(select(func.coalesce(func.sum(Need.people_affected), 0)).where(Need.programme_id == pid))
    projects = session.scalar(select(func.count()).select_from(Project).where(Project.programme_id == pid)) or 0
    shifts = session.scalar(select(func.count()).select_from(Shift).where(Shift.programme_id == pid)) or 0
    needs = ReportSection(title="需求与项目 Needs and projects", figures={
        "需求 needs": needs_n, "涉及人数 people affected": int(affected or 0),
        "项目 projects": projects, "活动班次 shifts (activities)": shifts})

    enrolled = session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.programme_id == pid)) or 0
    rec = select(
        func.count(distinct(ServiceRecord.volunteer_id)),
        func.coalesce(func.sum(ServiceRecord.minutes), 0),
        func.coalesce(func.sum(case((ServiceRecord.verified_at.is_(None), ServiceRecord.minutes), else_=0)), 0),
        func.avg(ServiceRecord.rating),
    ).where(ServiceRecord.programme_id == pid)
    active, minutes, unverified, rating = session.execute(rec).one()
    people = ReportSection(title="志愿者与服务时长 Volunteers and hours", figures={
        "注册志愿者 enrolled volunteers": enrolled, "参与服务人数 volunteers who served": active or 0,
        "服务时长（小时）hours served": round((minutes or 0) / 60, 2),
        "待核实时长（小时）hours awaiting verification": round((unverified or 0) / 60, 2),
        "服务对象满意度（1–5）beneficiary rating": round(float(rating), 2) if rating is not None else "—"})
    by_cat = session.execute(select(ServiceRecord.category, func.sum(ServiceRecord.minutes), func.count())
                             .where(ServiceRecord.programme_id == pid).group_by(ServiceRecord.category)
                             .order_by(ServiceRecord.category)).all()
    people.columns = ["类别 category", "小时 hours", "记录 records"]
    people.rows = [[c, round((m or 0) / 60, 2), n] for c, m, n in by_cat]

    ledger = session.execute(select(
        LedgerEntry.unit,
        func.coalesce(func.sum(case((LedgerEntry.amount > 0, LedgerEntry.amount), else_=0)), 0),
        func.coalesce(func.sum(case((LedgerEntry.amount < 0, -LedgerEntry.amount), else_=0)), 0),
    ).where(LedgerEntry.programme_id == pid).group_by(LedgerEntry.unit).order_by(LedgerEntry.unit)).all()
    rewards = ReportSection(title="激励 Rewards", columns=["单位 unit", "发放 issued", "扣减 debited"],
                            rows=[[u, float(i), float(d)] for u, i, d in ledger])
    return [overview, needs, people, rewards]


def render_markdown(programme: Any, sections: list[ReportSection]) -> str:
    from jinja2 import Environment, PackageLoader

    env = Environment(loader=PackageLoader("engine", "templates"), autoescape=False, trim_blocks=True,
                      lstrip_blocks=True)
    return env.get_template("programme_report.md.j2").render(programme=programme, sections=sections)
