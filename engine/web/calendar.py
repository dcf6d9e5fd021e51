"""iCal feeds: each volunteer's shifts in a programme as an RFC 5545 calendar (``icalendar``), at an
unguessable URL that needs no login (calendar apps cannot log in), and that its owner can revoke
(a new link replaces the old one at once)."""

from __future__ import annotations

import hashlib
import secrets

from fastapi import Request
from icalendar import Calendar, Event
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from starlette.responses import Response

from engine.errors import NotFound
from engine.http.deps import Access, EngineDep, SessionDep
from engine.stages.design.models import Post, Project, Shift
from engine.stages.recruitment.models import Volunteer
from engine.stages.service.models import Assignment
from engine.store.base import utcnow
from engine.store.models import ProgrammeRow
from engine.web.kit.forms import FormDep
from engine.web.kit.render import render
from engine.web.kit.routing import PageAccess, page_router
from engine.web.models import CalendarFeed

router = page_router()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def has_feed(session: Session, access: Access) -> bool:
    """Whether the reader has a live feed link here (the link itself is shown only when made)."""
    return session.scalar(select(CalendarFeed.id).where(
        CalendarFeed.user_id == access.user.id, CalendarFeed.programme_id == access.programme.id,
        CalendarFeed.revoked_at.is_(None))) is not None


def new_feed(session: Session, access: Access) -> str:
    """Revoke the reader's live links here and make a new one; returns the token (shown once)."""
    revoke_feeds(session, access)
    token = secrets.token_urlsafe(32)
    session.add(CalendarFeed(user_id=access.user.id, programme_id=access.programme.id, token_hash=_hash(token)))
    session.flush()
    return token


def revoke_feeds(session: Session, access: Access) -> None:
    session.execute(update(CalendarFeed).where(
        CalendarFeed.user_id == access.user.id, CalendarFeed.programme_id == access.programme.id,
        CalendarFeed.revoked_at.is_(None)).values(revoked_at=utcnow()))


@router.post("/p/{programme_id}/me/calendar")
def manage_feed(request: Request, access: PageAccess, session: SessionDep, form: FormDep) -> Response:
    if form.get("action") == "revoke":
        revoke_feeds(session, access)
        session.commit()
        return render(request, "volunteer/calendar.html", {"url": None, "revoked": True})
    token = new_feed(session, access)
    session.commit()
    url = str(request.url_for("calendar_feed", token=token))
    return render(request, "volunteer/calendar.html", {"url": url, "revoked": False})


@router.get("/ical/{token}.ics", name="calendar_feed")
def calendar_feed(request: Request, token: str, engine: EngineDep, session: SessionDep) -> Response:
    """The feed. An unknown or revoked token is a plain 404 (it says nothing about whether it existed)."""
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token[:100]),
                                                     CalendarFeed.revoked_at.is_(None)))
    if feed is None:
        raise NotFound("没有这个日历 / no such calendar")
    programme = session.get(ProgrammeRow, feed.programme_id)
    cal = Calendar()
    cal.add("prodid", "-//Volunteer Engine//volunteer-engine//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", programme.name if programme else feed.programme_id)
    rows = session.execute(
        select(Assignment, Shift, Post.name, Project.name).join(Shift, Shift.id == Assignment.shift_id)
        .join(Post, Post.id == Shift.post_id).join(Project, Project.id == Post.project_id)
        .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
        .where(Assignment.programme_id == feed.programme_id, Volunteer.user_id == feed.user_id)
        .order_by(Shift.starts_at).limit(2000))
    base = str(request.base_url).rstrip("/")
    for a, shift, post_name, project_name in rows:
        ev = Event()
        ev.add("uid", f"assignment-{a.id}@{request.url.hostname or 'volunteer-engine'}")
        ev.add("dtstamp", a.created_at)
        ev.add("dtstart", shift.starts_at)
        ev.add("dtend", shift.ends_at)
        ev.add("summary", f"{post_name} · {project_name}")
        if shift.place:
            ev.add("location", shift.place)
        ev.add("url", f"{base}/p/{feed.programme_id}/checkin")
        cancelled = a.status != "assigned" or shift.cancelled_at is not None
        ev.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        cal.add_component(ev)
    return Response(cal.to_ical(), media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, max-age=300"})


