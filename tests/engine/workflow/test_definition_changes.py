"""An admin edits a programme's YAML while instances run: stranded instances are named, not lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from engine.core import VolunteerEngine
from engine.errors import InvalidInput, StrandedInstances
from engine.store.models import TransitionLog, WorkflowInstance

PROGRAMMES = Path(__file__).parents[2] / "programmes"
BASE = (PROGRAMMES / "demo.yaml").read_text(encoding="utf-8")

# The admin renames stage "design" to "planning" (and the transitions around it); `null` removes.
RENAMED = BASE.replace(
    "      start_design: {guards: []}\n      open_recruitment: {guards: []}\n",
    "      start_design: {to: planning, guards: []}\n      open_recruitment: {from: planning, guards: []}\n",
) + """    states:
      design: null
      planning: {title: 规划 Planning}
"""


def _in_design(eng: VolunteerEngine):
    prog = eng.load(BASE, filename="demo.yaml")
    with eng.session() as s:
        iid = eng.lifecycle(s, prog).id
    eng.fire(prog.id, iid, "start_design", actor="a", roles={"admin"})
    return prog, iid


def test_reload_that_strands_instances_is_refused_and_changes_nothing(eng: VolunteerEngine) -> None:
    prog, iid = _in_design(eng)
    assert "planning" in RENAMED and "design: null" in RENAMED
    with pytest.raises(StrandedInstances) as info:
        eng.load(RENAMED, filename="demo.yaml")
    assert "state 'design'" in info.value.message and "migrate_states" in info.value.message
    with eng.session() as s:
        inst = s.get(WorkflowInstance, iid)
        assert (inst.state, inst.version) == ("design", 2)
        assert eng.programme(prog.id, s).config_hash == prog.config_hash


def test_mapping_the_stranded_state_migrates_and_logs(eng: VolunteerEngine) -> None:
    prog, iid = _in_design(eng)
    new = eng.load(RENAMED, filename="demo.yaml", migrate={"lifecycle": {"design": "planning"}}, actor="admin")
    with eng.session() as s:
        inst = s.get(WorkflowInstance, iid)
        assert (inst.state, inst.version) == ("planning", 3)
        assert inst.definition_version == new.workflow("lifecycle").version
        last = s.scalars(select(TransitionLog).where(TransitionLog.instance_id == iid).order_by(TransitionLog.id.desc())).first()
        assert (last.trigger, last.from_state, last.to_state, last.outcome) == ("__migrate__", "design", "planning", "migrated")
    r = eng.fire(prog.id, iid, "open_recruitment", actor="a", roles={"admin"})
    assert r.instance.state == "recruitment"


def test_migrate_states_in_yaml_works_too(eng: VolunteerEngine) -> None:
    _prog, iid = _in_design(eng)
    eng.load(RENAMED + "    migrate_states: {design: planning}\n", filename="demo.yaml")
    with eng.session() as s:
        assert s.get(WorkflowInstance, iid).state == "planning"


def test_plan_type_of_a_programme_cannot_change(eng: VolunteerEngine) -> None:
    eng.load(BASE, filename="demo.yaml")
    other = BASE.replace("plan_type: demo", "plan_type: demo2")
    from engine.errors import ConfigError

    with pytest.raises((InvalidInput, ConfigError)):
        eng.load(other, filename="demo.yaml")
