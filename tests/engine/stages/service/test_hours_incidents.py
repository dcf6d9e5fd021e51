"""Off-schedule hour reports count only once approved; incidents climb the escalation path in order."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from svc_helpers import T0, minutes

from engine.errors import Conflict, InvalidInput
from engine.stages.records import service as records
from engine.stages.records.models import ServiceRecord
from engine.stages.service import hours, incidents

LATER = T0 + dt.timedelta(days=2)


def test_hours_count_only_after_approval(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        post = site.post(s, site.project(s), category="professional")
        v = site.volunteer(s)
        rep = hours.report_hours(s, prog, v, started_at=T0, ended_at=T0 + minutes(150), content="协助走失老人返家",
                                 post_id=post.id, actor="vol1", now=LATER)
        assert rep.status == "pending"
        assert records.volunteer_totals(s, prog, v.id)["minutes"] == 0
        assert s.scalar(select(func.count()).select_from(ServiceRecord)) == 0
        done = hours.approve(s, prog, eng.host, rep.id, actor="coord1")
        rec = s.get(ServiceRecord, done.record_id)
        assert (rec.captured, rec.minutes, rec.category, rec.verified_by, rec.project_id) == (
            "self_reported", 150, "professional", "coord1", post.project_id)
        totals = records.volunteer_totals(s, prog, v.id)
        # self_reported is not in this programme's level_hours_from: counted, but not for the level
        assert (totals["minutes"], totals["level_minutes"], totals["records"]) == (150, 0, 1)
        with pytest.raises(Conflict, match="already decided"):
            hours.approve(s, prog, eng.host, rep.id, actor="coord1")
        assert s.scalar(select(func.count()).select_from(ServiceRecord)) == 1


def test_rejected_report_never_counts(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        v = site.volunteer(s)
        rep = hours.report_hours(s, prog, v, started_at=T0, ended_at=T0 + minutes(60), content="整理物资",
                                 actor="vol1", now=LATER)
        done = hours.reject(s, prog, rep.id, actor="coord1", note="无人证明 / nobody can confirm it")
        assert (done.status, done.record_id, done.decision_note) == ("rejected", None, "无人证明 / nobody can confirm it")
        with pytest.raises(Conflict):
            hours.approve(s, prog, eng.host, rep.id, actor="coord1")
        assert records.volunteer_totals(s, prog, v.id)["minutes"] == 0


def test_report_refused_when_future_or_overlapping(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        v = site.volunteer(s)
        with pytest.raises(InvalidInput, match="future"):
            hours.report_hours(s, prog, v, started_at=T0, ended_at=T0 + minutes(60), content="x" * 3, actor="vol1",
                               now=T0 + minutes(30))
        first = hours.report_hours(s, prog, v, started_at=T0, ended_at=T0 + minutes(60), content="巡查", actor="vol1",
                                   now=LATER)
        hours.approve(s, prog, eng.host, first.id, actor="coord1")
        with pytest.raises(Conflict, match="overlaps service record"):
            hours.report_hours(s, prog, v, started_at=T0 + minutes(30), ended_at=T0 + minutes(90), content="巡查",
                               actor="vol1", now=LATER)


def test_escalation_path_in_order_then_refused_past_the_top(eng: Any, prog: Any) -> None:
    """Seed 000 篇3 分级响应: ordinary → team_leader → group_head → hq, one level at a time."""
    with eng.session() as s:
        inc = incidents.report(s, prog, category="lost_person", description="儿童走失，穿红色上衣", actor="vol1")
        assert inc.level == "ordinary"
        seen = [inc.level]
        for who in ("leader1", "coord1", "coord1"):
            seen.append(incidents.escalate(s, prog, inc.id, actor=who).level)
        assert seen == ["ordinary", "team_leader", "group_head", "hq"]
        with pytest.raises(Conflict, match="already at the top level 'hq'"):
            incidents.escalate(s, prog, inc.id, actor="coord1")
        done = incidents.resolve(s, prog, inc.id, actor="coord1", note="已送至寻人点，家长领回")
        assert done.status == "resolved" and done.resolved_at is not None
        history = [(e.kind, e.from_level, e.to_level, e.actor) for e in incidents.events(s, inc.id)]
        assert history == [
            ("reported", None, "ordinary", "vol1"),
            ("escalated", "ordinary", "team_leader", "leader1"),
            ("escalated", "team_leader", "group_head", "coord1"),
            ("escalated", "group_head", "hq", "coord1"),
            ("resolved", "hq", "hq", "coord1"),
        ]
        with pytest.raises(Conflict, match="resolved"):
            incidents.escalate(s, prog, inc.id, actor="coord1")


def test_escalate_to_a_named_level_up_only(eng: Any, prog: Any) -> None:
    with eng.session() as s:
        fire = incidents.report(s, prog, category="fire", description="展区冒烟", actor="leader1")
        assert incidents.escalate(s, prog, fire.id, actor="leader1", to_level="hq", note="启动火灾预案").level == "hq"
        med = incidents.report(s, prog, category="medical", description="观众中暑", level="group_head", actor="coord1")
        with pytest.raises(InvalidInput, match="goes up only"):
            incidents.escalate(s, prog, med.id, actor="coord1", to_level="team_leader")
        with pytest.raises(InvalidInput, match="unknown level"):
            incidents.escalate(s, prog, med.id, actor="coord1", to_level="mayor")
        with pytest.raises(InvalidInput, match="unknown category"):
            incidents.report(s, prog, category="alien", description="?", actor="coord1")


def test_open_incidents_by_level(eng: Any, prog: Any) -> None:
    with eng.session() as s:
        a = incidents.report(s, prog, category="dispute", description="排队纠纷", actor="vol1")
        b = incidents.report(s, prog, category="weather", description="暴雨预警", level="hq", actor="coord1")
        c = incidents.report(s, prog, category="other", description="设备故障", actor="vol1")
        incidents.resolve(s, prog, c.id, actor="leader1", note="已修复")
        grouped = incidents.open_by_level(s, prog)
        assert list(grouped) == ["hq", "group_head", "team_leader", "ordinary"]
        assert {k: [i.id for i in v] for k, v in grouped.items()} == {
            "hq": [b.id], "group_head": [], "team_leader": [], "ordinary": [a.id]}
