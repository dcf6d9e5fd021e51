"""A programme's first page. Staff get the dashboard: the lifecycle drawn with the current stage,
what blocks the next step in the guards' own words (the workflow service's ``evaluate``), the
queues with counts, and the plan type's panels. A volunteer is sent to their own page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from starlette.responses import Response

from engine.http.deps import Access, EngineDep, SessionDep
from engine.http.routes import workflows as workflow_routes
from engine.web.kit.forms import FormState, attempt
from engine.web.kit.render import gettext, redirect, render
from engine.web.kit.routing import PageAccess, page_router
from engine.web.nav import STAFF, extensions
from engine.web.staff.queues import queues

router = page_router()


def lifecycle_context(engine: Any, session: Any, access: Access) -> dict[str, Any]:
    prog = access.programme
    inst = engine.lifecycle(session, prog)
    wf = prog.workflow("lifecycle")
    statuses = engine.workflows.evaluate(session, prog, inst, actor=access.actor, roles=access.roles)
    names = list(wf.definition.states)
    at = names.index(inst.state) if inst.state in names else -1
    states = [{"name": n, "title": wf.definition.state(n).title or n, "current": i == at, "done": i < at}
              for i, n in enumerate(names)]
    log = engine.workflows.history(session, inst.id, last=8)[::-1]
    return {"instance": inst, "states": states, "statuses": statuses, "log": log,
            "stage": wf.definition.state(inst.state).title or inst.state}


def panels(request: Request, session: Any, access: Access) -> list[dict[str, Any]]:
    out = []
    for ext in extensions(request):
        if ext.plan_type not in (None, access.programme.plan_type_id):
            continue
        for panel in ext.panels:
            if access.has(*panel.roles):
                out.append({"title": panel.title, "template": panel.template, "ctx": panel.context(session, access)})
    return out


@router.get("/p/{programme_id}")
def programme_home(request: Request, access: PageAccess, engine: EngineDep, session: SessionDep) -> Response:
    if not access.has(*STAFF):
        return redirect(request, f"/p/{access.programme.id}/me")
    ctx = lifecycle_context(engine, session, access)
    ctx.update(queues=queues(session, access), panels=panels(request, session, access), form=FormState(),
               roles=sorted(access.roles))
    return render(request, "staff/dashboard.html", ctx)


@router.post("/p/{programme_id}/fire")
def fire(request: Request, access: PageAccess, engine: EngineDep, session: SessionDep,
         trigger: Annotated[str, Form(min_length=1, max_length=63)], version: Annotated[int, Form(ge=1)],
         note: Annotated[str, Form(max_length=1000)] = "") -> Response:
    """Fire a lifecycle trigger through the API's own endpoint function (same checks, same log)."""
    inst = engine.lifecycle(session, access.programme)
    body = workflow_routes.FireIn(trigger=trigger, expected_version=version, payload={"note": note} if note else {})
    state = FormState()
    done = attempt(session, state, lambda: workflow_routes.fire(inst.id, body, access, engine, session))
    if done is None:
        ctx = lifecycle_context(engine, session, access)
        ctx.update(queues=queues(session, access), panels=panels(request, session, access), form=state,
                   roles=sorted(access.roles))
        return render(request, "staff/dashboard.html", ctx, status=422)
    title = done.get("state_title") or done["state"]
    return redirect(request, f"/p/{access.programme.id}", gettext(request, "Moved on to: ") + title)
