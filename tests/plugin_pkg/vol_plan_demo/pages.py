"""The demo plan type's own page, tab and dashboard panel (the ``volunteer_web_pages`` hook): how
many helpers are enrolled against the plan type's rule ``min_helpers``. A worked example for
docs/plugin-authors.md — a real plugin's pages look the same."""

from pathlib import Path

from fastapi import Request
from sqlalchemy import func, select

from engine.http.deps import SessionDep
from engine.stages.recruitment.models import Enrolment
from engine.web import NavEntry, PageAccess, Panel, WebPages, page_router
from engine.web.kit.render import render

TEMPLATES = Path(__file__).with_name("templates")
STAFF = ("admin", "coordinator")
router = page_router()  # CSRF on POST, engine errors drawn as pages, not in the OpenAPI document


def helpers(session, access) -> dict:
    """What the page and the panel show (a plugin's rules live in its services, not in page code)."""
    enrolled = session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.programme_id == access.programme.id)) or 0
    needed = access.programme.rules.min_helpers
    return {"enrolled": enrolled, "needed": needed, "missing": max(needed - enrolled, 0)}


@router.get("/p/{programme_id}/x/demo/helpers")
def helpers_page(request: Request, access: PageAccess, session: SessionDep):
    access.require(*STAFF, what="the helpers page")  # the same role check as an API route
    return render(request, "demo_helpers.html", helpers(session, access))


def web_pages() -> WebPages:
    return WebPages(plan_type="demo", router=router, template_dir=str(TEMPLATES),
                    nav=[NavEntry("demo-helpers", "帮手 Helpers", "x/demo/helpers", STAFF)],
                    panels=[Panel("demo-helpers", "帮手 Helpers", "demo_helpers_panel.html", helpers, roles=STAFF)])
