"""Applying reads the stage with the post and writes its three rows together (one statement on
PostgreSQL): the stage still decides first, and the rows are those of an insert and ``start``."""

from __future__ import annotations

from typing import Any

import pytest
from svc_helpers import Site

from engine.errors import NotFound
from engine.stages.recruitment import applications
from engine.stages.recruitment.models import Application, Volunteer
from engine.store.models import WorkflowInstance
from engine.workflow.stagegate import StageClosed

STAFF = frozenset({"coordinator"})


def _apply(eng: Any, prog: Any, vid: int, post_id: int) -> Any:
    with eng.session() as s:
        app, inst, _ = applications.apply(s, prog, eng.host, s.get(Volunteer, vid), post_id, actor="coord1")
        return app.id, inst.id


def test_the_application_its_instance_and_start_log_are_written_as_by_start(eng: Any, prog: Any, site: Site) -> None:
    with eng.session() as s:
        post = site.post(s, site.project(s))
        post_id, vid = post.id, site.volunteer(s, "甲").id
    with eng.session() as s:
        app, inst, _ = applications.apply(s, prog, eng.host, s.get(Volunteer, vid), post_id, actor="coord1")
        assert s.get(Application, app.id) is app and s.get(WorkflowInstance, inst.id) is inst  # loaded, in session
        app_id, inst_id, created = app.id, inst.id, inst.created_at
    wf = prog.workflow("application")
    with eng.session() as s:
        app, inst = s.get(Application, app_id), s.get(WorkflowInstance, inst_id)
        assert (app.post_id, app.volunteer_id, app.programme_id) == (post_id, vid, prog.id)
        assert (inst.programme_id, inst.workflow, inst.subject_type, inst.subject_id, inst.state, inst.version,
                inst.definition_version) == (prog.id, "application", "application", str(app_id), wf.definition.initial,
                                             1, wf.version)
        assert inst.created_at == inst.updated_at == created
        log = eng.workflows.history(s, inst_id)
        assert [(e.programme_id, e.workflow, e.trigger, e.from_state, e.to_state, e.outcome, e.actor, e.roles,
                 e.reasons, e.payload, e.definition_version, e.at) for e in log] == [
            (prog.id, "application", "__start__", "", wf.definition.initial, "done", "coord1", [], [], {}, wf.version,
             created)]
        assert applications.instance_of(s, prog, app).id == inst_id


def test_a_closed_stage_refuses_before_anything_else(eng: Any, prog: Any, site: Site) -> None:
    with eng.session() as s:
        post = site.post(s, site.project(s))
        post_id, vid = post.id, site.volunteer(s, "乙").id
    with pytest.raises(NotFound):  # recruitment is open in service: an unknown post is a 404
        _apply(eng, prog, vid, 999_999)
    with eng.session() as s:
        inst = eng.lifecycle(s, prog)
        assert eng.workflows.fire(s, prog, inst, "finish_service", actor="admin1", roles=STAFF).ok
    for post_ref in (post_id, 999_999):  # in records it is closed: the stage's refusal, not the post's
        with pytest.raises(StageClosed, match="closes from stage 'records'"):
            _apply(eng, prog, vid, post_ref)
