"""HTTP API of the community plan type: ``/api/v1/programmes/{programme_id}/community/…``.

Thin on purpose: every rule is in the service modules; these routes decide who may call what and
which volunteer a caller may reach (a volunteer: only themselves). A programme of another plan type
answers 404 here, so the routes exist only where the rules do. Three routers, one per file:
``people`` (standing, network, backbone, mentoring, stars), ``cases`` (appeals, dismissals),
``points`` (yearly reset, time bank).
"""

from plugins.community.routes import cases, people, points

routers = [people.router, cases.router, points.router]

__all__ = ["routers"]
