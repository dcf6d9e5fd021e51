"""Stages govern (docs/stages.md): each kind of action opens at a stage and closes at a later one,
refusals name the stage and what opens it (409 over HTTP), leaving for 结项 lists what is pending by
name, and a closed programme reopens only by an admin's logged transition with a reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from svc_helpers import SERVICE_YAML, T0, Site, minutes
from tests_support import make_users

from engine.errors import ConfigError, Forbidden
from engine.stages.needs.schemas import NeedIn
from engine.stages.needs.service import create_need
from engine.stages.records import service as records
from engine.stages.rewards import ledger
from engine.stages.rewards import service as rewards
from engine.stages.service import burst, checkin, incidents, roster
from engine.store.models import TransitionLog
from engine.testing import advance_to, frozen_clock
from engine.workflow.stagegate import StageClosed

NEED = NeedIn(title="独居老人送餐", beneficiary_group="空巢老人", category="生活照料", source="home_visit",
              frequency=5, urgency=3, people_affected=200)
STAFF = frozenset({"coordinator"})


def _fire(eng: Any, prog: Any, trigger: str, *, roles: frozenset[str] = frozenset({"admin"}),
          payload: dict[str, Any] | None = None) -> Any:
    if trigger == "close":  # the demo plan type asks for a note as well
        payload = {"note": "结项 done", **(payload or {})}
    with eng.session() as s:
        inst = eng.lifecycle(s, prog)
        return eng.workflows.fire(s, prog, inst, trigger, actor="admin1", roles=roles, payload=payload)


def _rostered(eng: Any, prog: Any, site: Site, s: Any, start: dt.datetime = T0, user_id: int | None = None) -> Any:
    post = site.post(s, site.project(s))
    sh = site.shift(s, post, start)
    v = site.ready(s, post, user_id=user_id)
    return roster.assign(s, prog, eng.host, sh.id, v.id, actor="coord1", now=start - dt.timedelta(days=1)), sh, v


def test_a_new_programme_refuses_design_over_http_naming_stage_and_trigger(eng: Any, api: Any) -> None:
    prog = eng.load(SERVICE_YAML.format(id="fresh", org="新站"), filename="fresh.yaml")
    make_users(eng, prog.id)
    coord = api.as_("coord1")
    r = coord.post("/programmes/fresh/projects", json={"name": "情暖夕阳"})
    assert r.status_code == 409
    detail = r.json()["detail"]
    assert detail["stage"] == "needs" and detail["action"] == "design"
    assert "采集需求" in detail["message"] and "设计项目" in detail["message"]  # Chinese …
    assert "it opens at stage 'design' (fire start_design)" in detail["message"]  # … and English
    assert coord.get("/programmes/fresh/projects").json() == []  # nothing half-written
    # needs are open: record one, start design by the real trigger, and the project goes in
    assert coord.post("/programmes/fresh/needs", json=NEED.model_dump()).status_code == 201
    advance_to(eng, prog.id, "design")
    assert coord.post("/programmes/fresh/projects", json={"name": "情暖夕阳"}).status_code == 201


def test_going_back_to_recruitment_keeps_service_open(eng: Any, prog: Any, site: Site) -> None:
    with eng.session() as s:
        a, _, _ = _rostered(eng, prog, site, s)
    assert _fire(eng, prog, "reopen_recruitment", roles=STAFF).ok
    with eng.session() as s:
        assert eng.lifecycle(s, prog).state == "recruitment"
        _, created = checkin.check_in(s, prog, a.id, actor="coord1", now=T0)  # service stays open
        assert created


def test_records_stage_closes_checkin_but_not_verification(eng: Any, prog: Any, site: Site) -> None:
    make_users(eng, prog.id)
    with eng.session() as s:
        user = eng.auth.user(s, "vol1")
        a, _, _ = _rostered(eng, prog, site, s, user_id=user.id)
        other, sh2, _ = _rostered(eng, prog, site, s, start=T0 + dt.timedelta(days=1))
        token = eng.auth.issue_token(s, user)
        checkin.check_in(s, prog, a.id, actor="coord1", now=T0)
        out, _ = checkin.check_out(s, prog, eng.host, a.id, actor="coord1", now=T0 + minutes(60))
        record_id = out.record_id
    assert _fire(eng, prog, "finish_service", roles=STAFF).ok
    with eng.session() as s:
        with pytest.raises(StageClosed, match="closes from stage 'records'"):
            checkin.check_in(s, prog, other.id, actor="coord1", now=T0 + dt.timedelta(days=1))
        with pytest.raises(StageClosed, match="签到"):
            incidents.report(s, prog, category="medical", description="扭伤", actor="coord1")
    # the burst path (one statement) refuses in the same words
    with pytest.raises(StageClosed, match="closes from stage 'records'"):
        burst.check_in(eng, prog.id, token, sh2.checkin_code, now=T0 + dt.timedelta(days=1))
    with eng.session() as s:
        assert records.verify_records(s, prog, eng.host, [record_id], actor="coord1")  # records stay open


def _pending_world(eng: Any, prog: Any, site: Site) -> dict[str, Any]:
    """A programme in 激励嘉许 with one of each thing that should stop it closing."""
    with eng.session() as s:
        done, _, v = _rostered(eng, prog, site, s)
        checkin.check_in(s, prog, done.id, actor="coord1", now=T0)
        out, _ = checkin.check_out(s, prog, eng.host, done.id, actor="coord1", now=T0 + minutes(60))
        records.verify_records(s, prog, eng.host, [out.record_id], actor="coord1")
    assert _fire(eng, prog, "finish_service", roles=STAFF).ok
    assert _fire(eng, prog, "grant_rewards", roles=STAFF).ok
    with eng.session() as s:
        # still allowed in 激励嘉许: a redemption requested, a record entered and not yet verified
        ledger.append(s, programme_id=prog.id, volunteer_id=v.id, unit="points", amount=Decimal(100), kind="bonus",
                      reason="test", actor="admin1")
        item = rewards.create_item(s, prog, code="voucher", title="超市代金券", cost=Decimal(50), actor="admin1")
        r = rewards.redeem(s, prog, eng.host, v.id, item.id, actor="vol1")
        rec = records.enter_record(s, prog, eng.host, volunteer_id=v.id, started_at=T0 + dt.timedelta(days=2),
                                   ended_at=T0 + dt.timedelta(days=2, hours=1), category="routine", actor="coord1",
                                   verify=False)
    return {"redemption": r.id, "record": rec.id, "volunteer": v}


def test_close_lists_every_pending_thing_by_name(eng: Any, prog: Any, site: Site) -> None:
    with frozen_clock("2026-06-01T12:00:00+08:00"):
        _close_refused(eng, prog, site)


def _close_refused(eng: Any, prog: Any, site: Site) -> None:
    with eng.session() as s:  # an open incident and a future rostered shift, from service time
        inc = incidents.report(s, prog, category="medical", description="扭伤", actor="coord1")
        post = site.post(s, site.project(s), "夜间巡逻")
        far = site.shift(s, post, dt.datetime(2026, 7, 20, 9, tzinfo=T0.tzinfo))
        roster.assign(s, prog, eng.host, far.id, site.ready(s, post, "李四").id, actor="coord1",
                      now=dt.datetime(2026, 6, 1, tzinfo=T0.tzinfo))
    w = _pending_world(eng, prog, site)
    result = _fire(eng, prog, "close")
    assert not result.ok
    text = "\n".join(result.reasons)
    assert len(result.reasons) == 4, text
    assert f"#{w['redemption']} 张三「超市代金券」(requested)" in text
    assert "夜间巡逻 2026-07-20 09:00 李四" in text  # programme local time
    assert f"#{w['record']} 张三" in text and "not verified" in text
    assert f"#{inc.id} medical" in text and "not resolved" in text
    with eng.session() as s:  # refused and logged, the stage unchanged
        assert eng.lifecycle(s, prog).state == "rewards"


def test_a_programme_may_relax_the_close_guards(eng: Any) -> None:
    text = SERVICE_YAML.format(id="relaxed", org="宽松站") + (
        "workflows:\n  lifecycle:\n    transitions:\n      close: {guards: [stages.no_open_incidents, demo.has_note]}\n")
    prog = eng.load(text, filename="relaxed.yaml")
    site = Site(eng, prog)
    from tests_support import bring_to

    bring_to(eng, prog.id, "service")
    _pending_world(eng, prog, site)
    assert _fire(eng, prog, "close").ok


def test_closed_is_read_only_and_reopens_only_by_an_admin_with_a_reason(eng: Any, prog: Any, site: Site) -> None:
    with eng.session() as s:
        _, _, v = _rostered(eng, prog, site, s, start=T0 - dt.timedelta(days=200))
    for trigger in ("finish_service", "grant_rewards", "close"):
        result = _fire(eng, prog, trigger)
        assert result.ok, (trigger, result.reasons)
    with eng.session() as s:
        with pytest.raises(StageClosed, match="结项"):
            create_need(s, prog, eng.host, NEED, actor="coord1")
        with pytest.raises(StageClosed, match="reopen"):
            records.enter_record(s, prog, eng.host, volunteer_id=v.id, started_at=T0, ended_at=T0 + minutes(30),
                                 category="routine", actor="coord1")
    with pytest.raises(Forbidden):
        _fire(eng, prog, "reopen", roles=STAFF)
    refused = _fire(eng, prog, "reopen")
    assert not refused.ok and "reason" in refused.reasons[0]
    assert _fire(eng, prog, "reopen", payload={"reason": "补录一条漏记的服务 a missed record"}).ok
    with eng.session() as s:
        assert eng.lifecycle(s, prog).state == "records"
        rec = records.enter_record(s, prog, eng.host, volunteer_id=v.id, started_at=T0, ended_at=T0 + minutes(30),
                                   category="routine", actor="coord1")
        assert rec.id
        log = s.query(TransitionLog).filter_by(trigger="reopen", outcome="done").one()
        assert (log.actor, log.payload["reason"]) == ("admin1", "补录一条漏记的服务 a missed record")


def test_windows_are_yaml_and_a_wrong_stage_is_named_at_its_line(eng: Any) -> None:
    text = SERVICE_YAML.format(id="early", org="早站") + "stages:\n  actions:\n    design: {from: needs}\n"
    prog = eng.load(text, filename="early.yaml")
    from engine.stages.design.schemas import ProjectIn
    from engine.stages.design.service import create_project

    with eng.session() as s:
        assert create_project(s, prog, ProjectIn(name="早设计"), actor="coord1").id
    bad = SERVICE_YAML.format(id="bad", org="错站") + "stages:\n  actions:\n    design: {from: desing}\n"
    with pytest.raises(ConfigError) as err:
        eng.parse(bad, "bad.yaml")
    (problem,) = err.value.problems
    assert (problem.line, problem.path) == (16, "stages.actions.design.from")
    assert "'desing'" in problem.message and "不是" in problem.message and "needs, design" in problem.expected
