"""Find opportunities (posts with their coming shifts; filter by date, place, skill), apply, and
follow an application: its state, and what is missing in the guards' own words."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Form, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from engine.http.deps import Access, EngineDep, SessionDep
from engine.stages.design import service as design
from engine.stages.recruitment import application_routes
from engine.stages.recruitment import applications as apps
from engine.stages.recruitment.schemas import ApplicationIn, FireIn
from engine.stages.recruitment.service import programme_today
from engine.web.kit.forms import FormState, attempt
from engine.web.kit.render import gettext, redirect, render
from engine.web.kit.routing import PageAccess, _safe_next, page_router
from engine.web.volunteer.common import own_volunteer, posts_by_id

router = page_router()
Text = Annotated[str | None, Query(max_length=100)]


def opportunities(session: Session, access: Access, *, date_from: dt.date, date_to: dt.date | None,
                  place: str | None, skill: str | None) -> list[dict[str, Any]]:
    """Posts with open shifts in the window (two queries), filtered by place and skill."""
    posts = posts_by_id(session, access.programme.id)
    shifts = design.list_shifts(session, access.programme, date_from=date_from, date_to=date_to, limit=2000)
    by_post: dict[int, list[Any]] = {}
    for row in shifts:
        s = row.shift
        if place and place not in (s.place or "") and place not in (posts[s.post_id][1].place or ""):
            continue
        by_post.setdefault(s.post_id, []).append({"shift": s, "free": max(s.capacity - row.assigned, 0)})
    out = []
    for pid, rows in by_post.items():
        post, project = posts[pid]
        if skill and not any(skill.lower() in str(k).lower() for k in post.skills or []):
            continue
        out.append({"post": post, "project": project, "shifts": rows[:6], "more": max(len(rows) - 6, 0)})
    return sorted(out, key=lambda o: o["shifts"][0]["shift"].starts_at)


def _day(value: str | None, name: str, state: FormState) -> dt.date | None:
    """A date filter as typed (empty: none); a wrong one is said beside its field."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        state.add(name, f"日期格式应为 2026-05-01 / a date like 2026-05-01, not {value[:20]!r}")
        return None


@router.get("/p/{programme_id}/opportunities")
def list_opportunities(request: Request, access: PageAccess, session: SessionDep,
                       date_from: Annotated[str | None, Query(alias="from", max_length=20)] = None,
                       date_to: Annotated[str | None, Query(alias="to", max_length=20)] = None,
                       place: Text = None, skill: Text = None) -> Response:
    state = FormState()
    start = _day(date_from, "from", state) or programme_today(access.programme)
    end = _day(date_to, "to", state)
    found = opportunities(session, access, date_from=start, date_to=end, place=place, skill=skill)
    vol = own_volunteer(session, access)
    applied: dict[int, int] = {}
    if vol is not None:
        rows, _ = apps.list_applications(session, access.programme.id, volunteer_id=vol.id, limit=500)
        applied = {a.post_id: a.id for a, _state in rows}
    filters = {"from": start.isoformat(), "to": end.isoformat() if end else "", "place": place or "",
               "skill": skill or ""}
    return render(request, "volunteer/opportunities.html", {"found": found, "applied": applied, "filters": filters,
                                                            "volunteer": vol, "form": state},
                  status=200 if state.ok else 422)


@router.post("/p/{programme_id}/opportunities/{post_id}/apply")
def apply(request: Request, post_id: int, access: PageAccess, engine: EngineDep, session: SessionDep,
          note: Annotated[str, Form(max_length=2000)] = "") -> Response:
    state = FormState()
    body = ApplicationIn(post_id=post_id, note=note or None)
    reply = attempt(session, state, lambda: application_routes.apply(body, access, engine, session))
    if reply is None:
        post = posts_by_id(session, access.programme.id).get(post_id)
        return render(request, "volunteer/refused.html", {"form": state, "post": post[0] if post else None},
                      status=422)
    session.commit()
    notice = gettext(request, "Application sent.")
    for reminder in reply.get("reminders", []):
        notice += "\n" + str(reminder)
    return redirect(request, f"/p/{access.programme.id}/me/applications/{reply['id']}", notice)


def _application_page(request: Request, access: Access, engine: Any, session: Session, application_id: int,
                      form: FormState, status: int = 200) -> Response:
    view = application_routes.show_application(application_id, access, engine, session)
    post = posts_by_id(session, access.programme.id).get(view["post_id"])
    return render(request, "volunteer/application.html", {"app": view, "post": post, "form": form}, status=status)


@router.get("/p/{programme_id}/me/applications/{application_id}")
def show_application(request: Request, application_id: int, access: PageAccess, engine: EngineDep,
                     session: SessionDep) -> Response:
    return _application_page(request, access, engine, session, application_id, FormState())


@router.post("/p/{programme_id}/me/applications/{application_id}/fire")
def fire_application(request: Request, application_id: int, access: PageAccess, engine: EngineDep,
                     session: SessionDep, trigger: Annotated[str, Form(min_length=1, max_length=63)],
                     version: Annotated[int | None, Form(ge=1)] = None,
                     next: Annotated[str | None, Form(max_length=500)] = None) -> Response:
    """agree / withdraw (the volunteer's own) — or any trigger staff may fire, through the same endpoint.
    ``next``: the page to go back to (a list); by default the application's own page. Never taken
    from the Referer header, which the site's ``Referrer-Policy: no-referrer`` withholds."""
    state = FormState()
    body = FireIn(trigger=trigger, expected_version=version)
    done = attempt(session, state, lambda: application_routes.fire(application_id, body, access, engine, session))
    if done is None:
        return _application_page(request, access, engine, session, application_id, state, status=422)
    session.commit()
    own = f"/p/{access.programme.id}/"
    target = next if next and _safe_next(next) == next and next.startswith(own) else \
        f"/p/{access.programme.id}/me/applications/{application_id}"
    return redirect(request, target, gettext(request, "Done: ") + (done.get("state_title") or done["state"]))
