"""Firing transitions: the refusals a coordinator meets, and that nothing moves when refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from engine.core import VolunteerEngine
from engine.errors import Forbidden, GuardsFailed, InvalidInput, StaleVersion, WrongState
from engine.store.models import TransitionLog

PROGRAMMES = Path(__file__).parents[2] / "programmes"


@pytest.fixture
def prog(eng: VolunteerEngine):
    return eng.load(PROGRAMMES / "demo.yaml")


def _lifecycle_id(eng: VolunteerEngine, prog) -> int:
    with eng.session() as s:
        return eng.lifecycle(s, prog).id


def _state(eng: VolunteerEngine, prog) -> tuple[str, int]:
    with eng.session() as s:
        inst = eng.lifecycle(s, prog)
        return inst.state, inst.version


def _log(eng: VolunteerEngine, iid: int) -> list[TransitionLog]:
    with eng.session() as s:
        return list(s.scalars(select(TransitionLog).where(TransitionLog.instance_id == iid).order_by(TransitionLog.id)))


def test_wrong_state_names_what_is_available(eng: VolunteerEngine, prog) -> None:
    iid = _lifecycle_id(eng, prog)
    with pytest.raises(WrongState) as info:
        eng.fire(prog.id, iid, "close", actor="a", roles={"admin"})
    assert "from state 'needs'" in info.value.message and "start_design" in info.value.message
    assert _state(eng, prog) == ("needs", 1)


def test_unknown_trigger_lists_known_ones(eng: VolunteerEngine, prog) -> None:
    iid = _lifecycle_id(eng, prog)
    with pytest.raises(InvalidInput) as info:
        eng.fire(prog.id, iid, "teleport", actor="a", roles={"admin"})
    assert "no trigger 'teleport'" in info.value.message and "open_recruitment" in info.value.message


def test_role_that_may_not_fire(eng: VolunteerEngine, prog) -> None:
    iid = _lifecycle_id(eng, prog)
    with pytest.raises(Forbidden) as info:
        eng.fire(prog.id, iid, "start_design", actor="v", roles={"volunteer"})
    assert "allowed: admin, coordinator" in info.value.message
    assert _state(eng, prog) == ("needs", 1)
    assert [r.trigger for r in _log(eng, iid)] == ["__start__"]


def test_stale_version_is_a_conflict(eng: VolunteerEngine, prog) -> None:
    iid = _lifecycle_id(eng, prog)
    eng.fire(prog.id, iid, "start_design", actor="a", roles={"admin"}, expected_version=1)
    with pytest.raises(StaleVersion) as info:
        eng.fire(prog.id, iid, "open_recruitment", actor="b", roles={"admin"}, expected_version=1)
    assert "version 2, not 1" in info.value.message
    assert _state(eng, prog) == ("design", 2)


def test_guard_refusal_is_logged_with_reasons_and_moves_nothing(eng: VolunteerEngine, prog) -> None:
    iid = _lifecycle_id(eng, prog)
    for t in ("start_design", "open_recruitment", "start_training", "start_service", "finish_service",
              "grant_rewards"):
        eng.fire(prog.id, iid, t, actor="coord", roles={"coordinator"})
    with pytest.raises(GuardsFailed) as info:
        eng.fire(prog.id, iid, "close", actor="boss", roles={"admin"})
    assert info.value.reasons == ["请写明说明 / a note is required"]
    assert _state(eng, prog) == ("rewards", 7)
    last = _log(eng, iid)[-1]
    assert (last.outcome, last.trigger, last.to_state, last.reasons) == ("refused", "close", None, info.value.reasons)
    eng.fire(prog.id, iid, "close", actor="boss", roles={"admin"}, payload={"note": "年度总结已完成"})
    log = _log(eng, iid)
    assert [(r.from_state, r.to_state, r.outcome) for r in log[-2:]] == [
        ("rewards", None, "refused"), ("rewards", "closed", "done")]
    assert log[-1].payload == {"note": "年度总结已完成"} and log[-1].actor == "boss"


def test_a_raising_guard_refuses_and_names_its_plugin(eng: VolunteerEngine, tmp_path: Path) -> None:
    import vol_plan_demo

    from engine.testing import temp_engine

    class Broken:
        @staticmethod
        def _boom(ctx):
            raise RuntimeError("database of partner offline")

        from engine import hookimpl

        @hookimpl
        def volunteer_register_guards(self, register):
            register.add("broken.check", Broken._boom)

    with temp_engine(tmp_path / "x", plugins=[("demo", vol_plan_demo), ("broken-plugin", Broken())]) as e2:
        text = (PROGRAMMES / "demo.yaml").read_text(encoding="utf-8").replace(
            "start_design: {guards: []}", "start_design: {guards: [broken.check]}")
        p = e2.load(text, filename="demo.yaml")
        with e2.session() as s:
            iid = e2.lifecycle(s, p).id
        with pytest.raises(GuardsFailed) as info:
            e2.fire(p.id, iid, "start_design", actor="a", roles={"admin"})
        assert 'plugin "broken-plugin"' in info.value.reasons[0]
        assert "partner offline" in info.value.reasons[0]


def test_available_and_blocked_with_reasons(eng: VolunteerEngine) -> None:
    prog = eng.load(PROGRAMMES / "demo_full.yaml")
    with eng.session() as s:
        inst = eng.lifecycle(s, prog)
        statuses = eng.workflows.evaluate(s, prog, inst, actor="c", roles=frozenset({"coordinator"}))
    [t] = statuses
    assert t.trigger == "start_design" and not t.available
    assert t.reasons == ["已记录 0 条需求，至少需要 1 条 / 0 need(s) recorded, at least 1 required"]
