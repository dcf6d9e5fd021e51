"""The legal-aid report section: the measurable results of seed 000 篇5 (可衡量的专业成果).

服务量 (consultations, documents, cases), 满意度 (client satisfaction), 案件胜诉率/调解成功率, 普法覆盖
(talks, audience), 志愿者稳定率 (retention), each against the plan's one-year targets (``rules.targets``).
All figures come from grouped SQL; nothing loops over rows.

Rates (documented choices): success = (won + mediated) / (won + mediated + lost); win = won / (won + lost);
mediation = mediated / (won + mediated + lost). Withdrawn and referred cases are counted but not rated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import case, func, select, union, union_all
from sqlalchemy.orm import Session

from engine import ReportSection
from engine.sdk import Programme as LoadedProgramme

from .cases import rules_of
from .models import Case as CaseRow
from .models import CaseMember, Consultation, LegalDocument, Talk, WorkLogEntry
from .models import LegalVolunteerProfile as Profile
from .qualifications import today_in

__all__ = ["legal_aid_section"]

RESULTS = ("won", "mediated", "lost", "withdrawn", "referred")


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 3) if den else None


def _cases(session: Session, pid: str) -> tuple[list[list[Any]], dict[str, int]]:
    rows = session.execute(select(CaseRow.case_type, CaseRow.result, func.count()).where(
        CaseRow.programme_id == pid).group_by(CaseRow.case_type, CaseRow.result)).all()
    table: dict[str, dict[str, int]] = {}
    totals = dict.fromkeys((*RESULTS, "open", "all"), 0)
    for ctype, result, n in rows:
        key = result if result in RESULTS else "open"
        table.setdefault(ctype, dict.fromkeys((*RESULTS, "open"), 0))[key] += n
        totals[key] += n
        totals["all"] += n
    out = [[t, sum(v.values()), *(v[r] for r in RESULTS), v["open"]] for t, v in sorted(table.items())]
    return out, totals


def _satisfaction(session: Session, pid: str) -> tuple[float | None, float | None, int]:
    """Ratings 1-5 from closed cases (client feedback) and from consultations, taken together."""
    scores = union_all(
        select(CaseRow.client_satisfaction.label("s")).where(
            CaseRow.programme_id == pid, CaseRow.client_satisfaction.is_not(None)),
        select(Consultation.satisfaction.label("s")).where(
            Consultation.programme_id == pid, Consultation.satisfaction.is_not(None)),
    ).subquery()
    n, avg, good = session.execute(select(func.count(), func.avg(scores.c.s),
                                          func.sum(case((scores.c.s >= 4, 1), else_=0)))).one()
    return (round(float(avg), 2) if avg is not None else None), _rate(int(good or 0), int(n)), int(n)


def _retention(session: Session, pid: str, since: dt.date) -> tuple[int, int]:
    active = union(
        select(CaseMember.profile_id.label("p")).where(CaseMember.programme_id == pid, CaseMember.assigned_on >= since),
        select(Consultation.profile_id).where(Consultation.programme_id == pid, Consultation.consulted_on >= since),
        select(LegalDocument.drafter_profile_id).where(LegalDocument.programme_id == pid,
                                                       LegalDocument.created_at >= dt.datetime.combine(since, dt.time(), dt.UTC)),
        select(Talk.speaker_profile_id).where(Talk.programme_id == pid, Talk.held_on >= since),
        select(WorkLogEntry.profile_id).where(WorkLogEntry.programme_id == pid, WorkLogEntry.happened_on >= since),
    ).subquery()
    registered = session.scalar(select(func.count()).select_from(Profile).where(Profile.programme_id == pid)) or 0
    retained = session.scalar(select(func.count()).select_from(Profile).where(
        Profile.programme_id == pid, Profile.id.in_(select(active.c.p)))) or 0
    return registered, retained


def legal_aid_section(programme: LoadedProgramme, session: Session) -> ReportSection:
    """Build the section (read-only)."""
    pid, rules = programme.id, rules_of(programme)
    targets = rules.targets
    by_channel = dict(session.execute(select(Consultation.channel, func.count()).where(
        Consultation.programme_id == pid).group_by(Consultation.channel)).all())
    docs, docs_sent, docs_reviewed = session.execute(select(
        func.count(), func.count(LegalDocument.sent_on), func.count(LegalDocument.reviewed_on)).where(
        LegalDocument.programme_id == pid)).one()
    rows, totals = _cases(session, pid)
    decided = totals["won"] + totals["mediated"] + totals["lost"]
    talks, audience = session.execute(select(func.count(), func.coalesce(func.sum(Talk.headcount), 0)).where(
        Talk.programme_id == pid)).one()
    kinds = dict(session.execute(select(Profile.kind, func.count()).where(Profile.programme_id == pid)
                                 .group_by(Profile.kind)).all())
    avg, share_good, rated = _satisfaction(session, pid)
    since = today_in(programme) - dt.timedelta(days=rules.retention_window_days)
    registered, retained = _retention(session, pid, since)
    figures: dict[str, Any] = {
        "咨询人次 consultations": sum(by_channel.values()),
        "咨询渠道 consultations by channel": by_channel,
        "代书文书 documents drafted": docs, "已发出 documents sent": docs_sent, "经审核 documents reviewed": docs_reviewed,
        "案件 cases": totals["all"], "在办 open": totals["open"],
        "胜诉 won": totals["won"], "调解 mediated": totals["mediated"], "败诉 lost": totals["lost"],
        "成功率 success rate (won+mediated)/decided": _rate(totals["won"] + totals["mediated"], decided),
        "胜诉率 win rate won/(won+lost)": _rate(totals["won"], totals["won"] + totals["lost"]),
        "调解成功率 mediation rate": _rate(totals["mediated"], decided),
        "满意度均分 satisfaction (1-5)": avg, "满意率 share rating 4-5": share_good, "评价数 ratings": rated,
        "普法讲座 talks": talks, "受众人次 audience": int(audience),
        "律师 lawyers": kinds.get("lawyer", 0), "法学教师 law teachers": kinds.get("law_teacher", 0),
        "法学学生 law students": kinds.get("law_student", 0),
        "志愿者稳定率 retention": _rate(retained, registered),
        "服务点 service points": len(rules.service_points),
    }
    notes = [
        f"目标 targets（000 篇5 短期目标）: 律师 {kinds.get('lawyer', 0)}/{targets.lawyers}，学生 "
        f"{kinds.get('law_student', 0)}/{targets.students}，服务点 {len(rules.service_points)}/{targets.service_points}，"
        f"讲座 {talks}/{targets.talks}，受众 {int(audience)}/{targets.talk_audience}，"
        f"成功代理 {totals['won'] + totals['mediated']}/{targets.cases}",
        f"稳定率 = 近 {rules.retention_window_days} 日有服务记录的志愿者 / 已登记志愿者 ({retained}/{registered}) / "
        "retention = volunteers who served within the window / registered",
        "成功率 = (胜诉+调解)/(胜诉+调解+败诉)；撤回、转介不计入 / success = (won+mediated)/(won+mediated+lost)",
    ]
    return ReportSection(title="法律援助 Legal aid", figures=figures,
                         columns=["案件类型 case type", "合计 total", *RESULTS, "在办 open"], rows=rows, notes=notes,
                         source="legal_aid")
