"""Incidents: grade (突发事件应对法 第三条), colour (第六十三条) and responder level kept apart;
unacknowledged incidents escalate on the scheduled path after the configured minutes (5/10/15)."""

from __future__ import annotations

import pytest
from event_helpers import in_service
from sqlalchemy import select

from engine.errors import Conflict, InvalidInput
from engine.stages.service.models import Incident, IncidentEvent
from engine.testing import frozen_clock, tick

AT = "2010-05-01T09:00:00+08:00"


def level(eng, iid: int) -> str:  # type: ignore[no-untyped-def]
    with eng.session() as s:
        return s.get(Incident, iid).level


def test_unacknowledged_incident_climbs_to_hq(eng, prog) -> None:  # type: ignore[no-untyped-def]
    from engine.sdk.incidents import report_incident

    in_service(eng, prog)
    with frozen_clock(AT) as clock:
        with eng.session() as s:
            ctx = eng.host.context(s, eng.programme(prog.id, s), actor="vol1", roles=("volunteer",))
            inc = report_incident(ctx, "lost_person", "儿童走失 / a lost child at gate 3", gov_grade="general",
                                  warning_colour="blue")
            s.commit()
        assert (inc.level, inc.gov_grade, inc.warning_colour) == ("ordinary", "general", "blue")
        clock.advance(minutes=4, seconds=59)
        tick(eng, programme_ids=[prog.id], deliver=False)
        assert level(eng, inc.id) == "ordinary"                      # 4:59 — still within 5 minutes
        clock.advance(seconds=1)
        tick(eng, programme_ids=[prog.id], deliver=False)
        assert level(eng, inc.id) == "team_leader"                   # exactly 5 minutes
        clock.advance(minutes=10 + 15)                                # a missed slot: both windows ran out
        report = tick(eng, programme_ids=[prog.id], deliver=False)
        assert level(eng, inc.id) == "hq"
        assert any(r.result == {"escalated": [inc.id]} for r in report.runs)
        clock.advance(hours=5)
        tick(eng, programme_ids=[prog.id], deliver=False)
        assert level(eng, inc.id) == "hq"                             # the top: nowhere further
        with eng.session() as s:
            evs = s.scalars(select(IncidentEvent).where(IncidentEvent.incident_id == inc.id)
                            .order_by(IncidentEvent.id)).all()
            steps = [(e.from_level, e.to_level, e.at.isoformat()) for e in evs if e.kind == "escalated"]
        assert [st[:2] for st in steps] == [("ordinary", "team_leader"), ("team_leader", "group_head"),
                                            ("group_head", "hq")]
        assert [st[2][11:16] for st in steps] == ["01:05", "01:15", "01:30"]  # UTC: 09:05, 09:15, 09:30 local


def test_acknowledged_incident_stays(eng, prog) -> None:  # type: ignore[no-untyped-def]
    from engine.sdk.incidents import acknowledge_incident, report_incident

    in_service(eng, prog)
    with frozen_clock(AT) as clock:
        with eng.session() as s:
            ctx = eng.host.context(s, eng.programme(prog.id, s), actor="leader1", roles=("team_leader",))
            inc = report_incident(ctx, "medical", "中暑 / heatstroke", gov_grade="general")
            clock.advance(minutes=3)
            ctx = eng.host.context(s, eng.programme(prog.id, s), actor="leader1", roles=("team_leader",))
            acked = acknowledge_incident(ctx, inc.id)
            assert acked.acknowledged_by == "leader1"
            with pytest.raises(Conflict, match="already acknowledged"):
                acknowledge_incident(ctx, inc.id)
            s.commit()
        clock.advance(hours=2)
        tick(eng, programme_ids=[prog.id], deliver=False)
        assert level(eng, inc.id) == "ordinary"


def test_grade_and_colour_are_checked(eng, prog) -> None:  # type: ignore[no-untyped-def]
    from engine.sdk.incidents import report_incident

    in_service(eng, prog)
    with eng.session() as s:
        ctx = eng.host.context(s, eng.programme(prog.id, s), actor="vol1", roles=("volunteer",))
        with pytest.raises(InvalidInput, match="第三条"):
            report_incident(ctx, "fire", "x", gov_grade="huge")
        with pytest.raises(InvalidInput, match="第六十三条"):
            report_incident(ctx, "fire", "x", warning_colour="purple")
