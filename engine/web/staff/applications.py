"""Applications to screen, interview, offer, activate or reject (the application workflow's own
triggers, fired through the API's endpoint), and the signed agreement to record."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Form, Request
from sqlalchemy import select
from starlette.responses import Response

from engine.http.deps import Access, SessionDep
from engine.stages.recruitment import application_routes
from engine.stages.recruitment import applications as apps
from engine.stages.recruitment.access import READERS
from engine.stages.recruitment.models import Volunteer
from engine.stages.recruitment.schemas import AgreementIn
from engine.stages.recruitment.visibility import visible_here
from engine.web.kit.forms import FormState, attempt
from engine.web.kit.render import gettext, redirect, render
from engine.web.kit.routing import PageAccess, page_router
from engine.web.volunteer.common import posts_by_id

router = page_router()


def _page(request: Request, access: Access, session: Any, form: FormState, state: str | None,
          status: int = 200) -> Response:
    access.require(*READERS, what="applications")
    rows, total = apps.list_applications(session, access.programme.id, state=state or None, limit=300)
    names = dict(session.execute(select(Volunteer.id, Volunteer.name).where(
        Volunteer.id.in_({a.volunteer_id for a, _ in rows}), visible_here(access.programme.id))).all()) if rows else {}
    posts = posts_by_id(session, access.programme.id)
    wf = access.programme.workflow(apps.WORKFLOW).definition
    items = []
    for app, st in rows:
        triggers = [(t.trigger or name, t.title or name) for name, t in wf.transitions.items()
                    if st in t.from_ and access.has(*t.roles)]
        items.append({"app": app, "state": st, "state_title": wf.state(st).title or st, "triggers": triggers,
                      "name": names.get(app.volunteer_id, app.volunteer_id),
                      "post": posts[app.post_id][0].name if app.post_id in posts else app.post_id})
    states = [(n, (s.title if s else None) or n) for n, s in wf.states.items()]
    return render(request, "staff/applications.html", {"items": items, "total": total, "states": states,
                                                       "state": state or "", "form": form,
                                                       "today": dt.date.today().isoformat()}, status=status)


@router.get("/p/{programme_id}/applications")
def applications_page(request: Request, access: PageAccess, session: SessionDep, state: str | None = None) -> Response:
    return _page(request, access, session, FormState(), (state or "")[:63])


@router.post("/p/{programme_id}/applications/{application_id}/agreement")
def agreement(request: Request, application_id: int, access: PageAccess, session: SessionDep,
              signed_on: Annotated[dt.date, Form()]) -> Response:
    state = FormState()
    body = AgreementIn(application_id=application_id, signed_on=signed_on)
    done = attempt(session, state, lambda: application_routes.record_agreement(body, access, session))
    if done is None:
        return _page(request, access, session, state, None, status=422)
    session.commit()
    return redirect(request, f"/p/{access.programme.id}/applications", gettext(request, "Agreement recorded."))
