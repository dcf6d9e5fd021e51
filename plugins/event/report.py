"""The event's post-event report section (seed 000 篇3 总结评估): people by unit and funnel stage, posts
and shifts covered, rostered hours, incidents by grade and level, emergency-plan steps done, equipment
still out, satisfaction by respondent group. Grouped SQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from engine import ReportSection
from engine.sdk.tables import Assignment, Incident, Shift

from . import feedback
from .models import Candidate, EquipmentIssue
from .models_day import IncidentStep


def event_section(programme: Any, session: Any) -> ReportSection:
    pid = programme.id
    stages = dict(session.execute(select(Candidate.stage, func.count()).where(Candidate.programme_id == pid)
                                  .group_by(Candidate.stage)).all())
    units = dict(session.execute(select(Candidate.unit_code, func.count()).where(
        Candidate.programme_id == pid, Candidate.unit_code.is_not(None)).group_by(Candidate.unit_code)).all())
    shifts = session.execute(select(Shift.id, Shift.post_id, Shift.capacity, Shift.starts_at, Shift.ends_at).where(
        Shift.programme_id == pid, Shift.cancelled_at.is_(None))).all()
    filled = dict(session.execute(select(Assignment.shift_id, func.count()).where(
        Assignment.programme_id == pid, Assignment.status == "assigned").group_by(Assignment.shift_id)).all())
    covered = sum(1 for s in shifts if filled.get(s.id, 0) >= s.capacity)
    minutes = sum(filled.get(s.id, 0) * int((s.ends_at - s.starts_at).total_seconds()) // 60 for s in shifts)
    incidents = session.execute(select(Incident.gov_grade, Incident.level, Incident.status, func.count()).where(
        Incident.programme_id == pid).group_by(Incident.gov_grade, Incident.level, Incident.status)).all()
    steps_done, steps = session.execute(select(func.count(IncidentStep.done_at), func.count()).where(
        IncidentStep.programme_id == pid)).one()
    out = session.scalar(select(func.count()).select_from(EquipmentIssue).where(
        EquipmentIssue.programme_id == pid, EquipmentIssue.returned_at.is_(None))) or 0
    figures = {
        "报名人数 Candidates": sum(stages.values()), "签约 Agreed": stages.get("agreed", 0),
        "候补 Waitlisted": stages.get("waitlisted", 0),
        "班次满员 Shifts fully covered": f"{covered}/{len(shifts)}",
        "岗位数 Posts": len({s.post_id for s in shifts}),
        "排班时长（小时）Rostered hours": round(minutes / 60, 1),
        "事件 Incidents": sum(n for *_, n in incidents),
        "应急预案步骤完成 Emergency-plan steps done": f"{steps_done}/{steps}",
        "未归还装备 Equipment still out": out,
        "满意度（1–5）Satisfaction": feedback.figure(session, pid),
    }
    rows = [[code, units.get(code, 0), u.quota] for u in programme.rules.units for code in [u.code]]
    return ReportSection(title="大型活动 Event", figures=figures, columns=["unit", "registered", "quota"], rows=rows,
                         notes=[f"{g or '-'} / {lv} / {st}: {n}" for g, lv, st, n in incidents], source="event")
