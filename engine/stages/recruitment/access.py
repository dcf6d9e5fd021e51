"""Who sees what in the recruitment and training routes.

Staff (admin, coordinator) register and decide; team leaders and supervisors read (team leaders
also interview); a volunteer reaches only their own record — the ``Volunteer`` whose ``user_id``
is their login. ID number and phone are shown in full only to roles with ``sees_personal_data``
and to the volunteer themself (志愿服务条例 第二十条).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from engine.auth.access import Access
from engine.errors import Forbidden, NotFound
from engine.stages.recruitment.models import Volunteer
from engine.stages.recruitment.service import own_volunteer

STAFF = ("admin", "coordinator")
READERS = ("admin", "coordinator", "supervisor", "team_leader")


def is_reader(access: Access) -> bool:
    return access.has(*READERS)


def my_volunteer(session: Session, access: Access) -> Volunteer:
    """The caller's own registry record, or 404 saying how to register."""
    vol = own_volunteer(session, access.user.id)
    if vol is None:
        raise NotFound("你尚未登记为志愿者 / you are not registered as a volunteer: "
                       f"POST /api/v1/programmes/{access.programme.id}/volunteers/me")
    return vol


def reveal(access: Access, vol: Volunteer) -> bool:
    return access.sees_personal_data() or vol.user_id == access.user.id


def require_self_or_reader(access: Access, vol: Volunteer, what: str) -> None:
    if vol.user_id == access.user.id or is_reader(access):
        return
    raise Forbidden(f"只能查看自己的{what} / you may see only your own {what}", required_roles=list(READERS))
