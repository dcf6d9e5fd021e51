"""The programme navigation: which tabs a reader gets, by their roles (the same role names the
API checks), plus the tabs plan types add through ``volunteer_web_pages``."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from engine.http.deps import Access
from engine.web.extension import NavEntry, WebPages
from engine.web.kit.i18n import N_
from engine.web.kit.render import gettext

STAFF = ("admin", "coordinator", "supervisor", "team_leader")
MANAGERS = ("admin", "coordinator")
VOLUNTEER = ("volunteer",)

# Message ids (translated when drawn). Order is the order on screen.
ENGINE_NAV = [
    NavEntry("dashboard", N_("Overview"), "", STAFF),
    NavEntry("home", N_("My page"), "me", VOLUNTEER),
    NavEntry("opportunities", N_("Opportunities"), "opportunities", VOLUNTEER),
    NavEntry("shifts", N_("My shifts"), "me/shifts", VOLUNTEER),
    NavEntry("checkin", N_("Check in"), "checkin", VOLUNTEER),
    NavEntry("rewards", N_("Rewards"), "rewards", VOLUNTEER),
    NavEntry("my-certificates", N_("My certificates"), "me/certificates", VOLUNTEER),
    NavEntry("needs", N_("Needs"), "needs", MANAGERS),
    NavEntry("design", N_("Projects"), "design", MANAGERS),
    NavEntry("applications", N_("Applications"), "applications", STAFF),
    NavEntry("roster", N_("Roster"), "roster", STAFF),
    NavEntry("live", N_("Live board"), "live", ("admin", "coordinator", "team_leader")),
    NavEntry("incidents", N_("Incidents"), "incidents", STAFF),
    NavEntry("records", N_("Records"), "records", STAFF),
    NavEntry("certificates", N_("Certificates"), "certificates", STAFF),
    NavEntry("appeals", N_("Appeals"), "appeals", MANAGERS),
    NavEntry("import", N_("Import"), "import", MANAGERS),
    NavEntry("reports", N_("Reports"), "reports", STAFF),
]


def extensions(request: Request) -> list[WebPages]:
    found: list[WebPages] = getattr(request.app.state, "web_pages", [])
    return found


def nav_for(request: Request, access: Access) -> list[dict[str, Any]]:
    base = f"/p/{access.programme.id}"
    entries = [(e, True) for e in ENGINE_NAV]
    for ext in extensions(request):
        if ext.plan_type in (None, access.programme.plan_type_id):
            entries += [(e, False) for e in ext.nav]
    out = []
    path = request.url.path
    for entry, ours in entries:
        if not access.has(*entry.roles):
            continue
        href = f"{base}/{entry.path}" if entry.path else base
        current = path == href or (entry.path != "" and path.startswith(href + "/"))
        out.append({"key": entry.key, "label": gettext(request, entry.label) if ours else entry.label,
                    "href": href, "current": current})
    return out
