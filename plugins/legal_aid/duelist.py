"""A case's deadlines and the coordinator's list of what is due or overdue.

The legal deadlines come from :mod:`plugins.legal_aid.law.deadlines`: decide within 7 days of receipt and
assign within 3 days of deciding (《法律援助法》第四十三条第一款), the applicant's supplement
(第四十三条第二款, period a programme choice), and for counsel appointed on a notice, assign within 3 days
(第三十六条). The plan type adds the supervisor report (seed 000 篇5 定期汇报; the interval is the
programme's ``reporting.report_interval_days``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from engine.sdk import Programme as LoadedProgramme
from engine.sdk.tables import WorkflowInstance

from .law import Deadline, DeadlineStatus, case_deadlines, criminal_notice_deadlines, due_or_overdue
from .law.results import Decision
from .models import Case, WorkLogEntry
from .rules import PlanRules

__all__ = ["case_deadline_list", "due_list"]


def _law(case: Case, rules: PlanRules, today: dt.date) -> list[Deadline]:
    from .cases import precheck

    try:
        appointed = precheck(case, rules, today).decision is Decision.APPOINTED_COUNSEL
    except ValueError:
        appointed = False
    if appointed:
        return criminal_notice_deadlines(case.received_on, case.assigned_on, rules, today=today)
    return case_deadlines(case.received_on, case.decided_on, case.supplement_requested_on,
                          case.supplement_received_on, rules, aid_granted=case.aid_granted,
                          assigned_on=case.assigned_on, today=today)


def _view(d: Deadline) -> dict[str, Any]:
    return {"kind": d.kind.value, "name_zh": d.name.zh, "name_en": d.name.en, "due": d.due.isoformat(),
            "article": d.article, "party": d.party.value, "status": d.status.value,
            "completed_on": d.completed_on.isoformat() if d.completed_on else None,
            "note_zh": d.note.zh if d.note else None, "note_en": d.note.en if d.note else None}


def _report(case: Case, rules: PlanRules, last_report: dt.date | None, today: dt.date) -> dict[str, Any] | None:
    if case.accepted_on is None or case.closed_on is not None:
        return None
    start = max(d for d in (case.accepted_on, last_report) if d is not None)
    due = start + dt.timedelta(days=rules.reporting.report_interval_days)
    return {"kind": "supervisor_report", "name_zh": "向督导汇报案件进展", "name_en": "report progress to the supervisor",
            "due": due.isoformat(), "article": "项目设定 reporting.report_interval_days（000 篇5 定期汇报）",
            "party": "lawyer", "status": DeadlineStatus.OVERDUE.value if today > due else DeadlineStatus.PENDING.value,
            "completed_on": None, "note_zh": f"上次汇报 {last_report}" if last_report else "尚未汇报",
            "note_en": f"last report {last_report}" if last_report else "no report yet"}


def case_deadline_list(case: Case, rules: PlanRules, last_report: dt.date | None,
                       today: dt.date) -> list[dict[str, Any]]:
    """Every deadline of one case, legal ones first, as shown on the case."""
    out = [_view(d) for d in _law(case, rules, today)]
    rep = _report(case, rules, last_report, today)
    return out + ([rep] if rep else [])


def last_reports(session: Session, case_ids: list[int]) -> dict[int, dt.date]:
    rows = session.execute(select(WorkLogEntry.case_id, func.max(WorkLogEntry.happened_on)).where(
        WorkLogEntry.case_id.in_(case_ids), WorkLogEntry.kind == "report").group_by(WorkLogEntry.case_id))
    return {cid: d for cid, d in rows}


def due_list(session: Session, programme: LoadedProgramme, rules: PlanRules, today: dt.date,
             within_days: int | None = None) -> list[dict[str, Any]]:
    """Open deadlines of open cases due by ``today + within_days`` or overdue, earliest first.

    Shows case number, type and state only — no names — so coordinators may see it (masked level).
    """
    within = rules.reporting.due_soon_days if within_days is None else within_days
    horizon = today + dt.timedelta(days=within)
    rows = session.execute(select(Case, WorkflowInstance.state).join(
        WorkflowInstance, (WorkflowInstance.programme_id == Case.programme_id)
        & (WorkflowInstance.workflow == "case") & (WorkflowInstance.subject_type == "case")
        & (WorkflowInstance.subject_id == cast(Case.id, String)))
        .where(Case.programme_id == programme.id, Case.closed_on.is_(None))).all()
    reports = last_reports(session, [c.id for c, _ in rows])
    out: list[dict[str, Any]] = []
    for case, state in rows:
        found = [_view(d) for d in due_or_overdue(_law(case, rules, today), today, within)]
        rep = _report(case, rules, reports.get(case.id), today)
        if rep is not None and (rep["status"] == DeadlineStatus.OVERDUE.value
                                or dt.date.fromisoformat(rep["due"]) <= horizon):
            found.append(rep)
        out.extend({"case_id": case.id, "case_number": case.number, "case_type": case.case_type, "state": state,
                    **d} for d in found)
    return sorted(out, key=lambda r: (r["due"], r["case_number"], r["kind"]))
