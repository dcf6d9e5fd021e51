"""The ``need`` workflow: open → planned only once a project answers the need (stages.need_has_project)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from engine.core import VolunteerEngine
from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.stages.needs.service import fire_need, link_project, need_instance, ranked_need, unlink_project
from engine.store.models import TransitionLog

STAFF = frozenset({"coordinator"})


def test_plan_refused_until_a_project_answers(eng: VolunteerEngine, demo: Any, add_need: Callable[..., int],
                                              add_project: Callable[[str], int]) -> None:
    need = add_need()
    with eng.session() as s:
        result = fire_need(s, demo, eng.host, need, "plan", actor="coord1", roles=STAFF)
        assert not result.ok
        assert result.reasons == ["该需求尚无对应项目 / no project answers this need yet"]
    with eng.session() as s:
        assert need_instance(s, demo, need).state == "open"
        refused = s.query(TransitionLog).filter_by(trigger="plan", outcome="refused").count()
        assert refused == 1  # the refusal is logged
    project = add_project("情暖夕阳送餐")
    with eng.session() as s:
        link_project(s, demo, need, project, actor="coord1")
        link_project(s, demo, need, project, actor="coord1")  # idempotent
    with eng.session() as s:
        result = fire_need(s, demo, eng.host, need, "plan", actor="coord1", roles=STAFF)
        assert result.ok and result.instance.state == "planned"
    with eng.session() as s:
        r = ranked_need(s, demo, eng.host, need)
        assert (r.state, r.state_title) == ("planned", "已立项 Planned")
        assert r.projects == [(project, "情暖夕阳送餐")]


def test_planned_need_keeps_a_project(eng: VolunteerEngine, demo: Any, add_need: Callable[..., int],
                                      add_project: Callable[[str], int]) -> None:
    need = add_need()
    a, b = add_project("A"), add_project("B")
    with eng.session() as s:
        link_project(s, demo, need, a, actor="coord1")
        link_project(s, demo, need, b, actor="coord1")
        assert fire_need(s, demo, eng.host, need, "plan", actor="coord1", roles=STAFF).ok
    with eng.session() as s:
        unlink_project(s, demo, need, a, actor="coord1")
    with eng.session() as s, pytest.raises(Conflict, match=r"至少保留|at least one project"):
        unlink_project(s, demo, need, b, actor="coord1")
    with eng.session() as s, pytest.raises(NotFound):
        unlink_project(s, demo, need, a, actor="coord1")


def test_roles_and_unknown_things(eng: VolunteerEngine, demo: Any, add_need: Callable[..., int]) -> None:
    need = add_need()
    with eng.session() as s, pytest.raises(Forbidden):
        fire_need(s, demo, eng.host, need, "drop", actor="leader1", roles=frozenset({"team_leader"}))
    with eng.session() as s, pytest.raises(InvalidInput) as err:
        link_project(s, demo, need, 999, actor="coord1")
    assert err.value.field == "project_id"
    with eng.session() as s, pytest.raises(NotFound):
        fire_need(s, demo, eng.host, 999, "drop", actor="coord1", roles=STAFF)
