"""A deemed withdrawal (视为撤回申请, 《法律援助法》第四十三条第二款) takes effect on its own through the
scheduled path once the supplement request has gone unanswered for ``supplement.response_days`` (15 by
default), and is logged; an answered request, or one still inside its period, is left alone."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from la_helpers import GOOD_APP, PID, World, days, today

from engine.testing import frozen_clock, tick

ZONE = ZoneInfo("Asia/Shanghai")


def app(**changes: Any) -> dict[str, Any]:
    return {**GOOD_APP, **changes}


def requested(w: World, on_days_ago: int) -> dict[str, Any]:
    case = w.new_case(application=app(documents=["identity_proof"]), received_on=days(-on_days_ago - 5))
    w.ok("intake1", case, "precheck")
    r = w.as_("intake1").post(w.url(f"/cases/{case['id']}/supplement-request"), json={"on": days(-on_days_ago)})
    assert r.status_code == 200, r.text
    return case


def at_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), ZONE)


def state(w: World, case: dict[str, Any]) -> str:
    body = w.case(case["id"]).json()
    assert "state" in body, body
    return body["state"]


def test_unanswered_request_withdraws_the_case_when_the_period_runs_out(world: World) -> None:
    w = world
    case = requested(w, 20)
    asked = today() - dt.timedelta(days=20)
    with frozen_clock(at_noon(asked + dt.timedelta(days=15))):  # the 15th day: still in time
        tick(w.eng, programme_ids=[PID], deliver=False)
    assert state(w, case) == "prechecked"  # (HTTP outside the frozen block: logins expire with time)
    with frozen_clock(at_noon(asked + dt.timedelta(days=15))) as clock:
        clock.advance(dt.timedelta(days=1))  # the 16th day: the period has run out
        report = tick(w.eng, programme_ids=[PID], deliver=False)
    assert state(w, case) == "withdrawn"
    assert any(r.result == {"deemed_withdrawn": [case["id"]]} for r in report.runs), report.runs
    log = w.as_("super1").get(f"/programmes/{PID}/instances/{case['instance_id']}/log").json()
    last = log[-1]
    assert (last["actor"], last["trigger"], last["to"], last["outcome"]) == ("system", "deemed_withdrawn",
                                                                              "withdrawn", "done")
    body = w.case(case["id"]).json()
    assert "视为撤回申请" in body["decline_reason"] and "第四十三条第二款" in body["decline_reason"]


def test_answered_or_running_requests_are_left_alone(world: World) -> None:
    w = world
    answered = requested(w, 20)
    r = w.as_("intake1").post(w.url(f"/cases/{answered['id']}/supplement-received"),
                              json={"documents": ["hardship_proof", "matter_evidence"], "on": days(-10)})
    assert r.status_code == 200, r.text
    running = requested(w, 5)
    tick(w.eng, programme_ids=[PID], deliver=False)
    assert state(w, answered) == state(w, running) == "prechecked"


def test_people_may_not_fire_the_system_transition(world: World) -> None:
    w = world
    case = requested(w, 20)
    r = w.fire("super1", case, "deemed_withdrawn")
    assert r.status_code == 403, r.text


def test_nobody_can_be_granted_the_system_role(world: World) -> None:
    import pytest

    from engine.errors import InvalidInput

    w = world
    with w.eng.session() as s:
        user = w.eng.auth.create_user(s, "sneaky", "correct-horse-42")
        with pytest.raises(InvalidInput, match="reserved"):
            w.eng.auth.grant(s, user, PID, "system", known_roles={"system", "admin"})
