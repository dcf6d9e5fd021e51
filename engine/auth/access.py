"""The caller inside one programme: who they are and which roles they hold there.

Built per request by ``engine.http.deps.access_for`` (API and pages alike); the stages' access rules
take it, so they sit below the HTTP layer.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.errors import Forbidden
from engine.programme import LoadedProgramme
from engine.store.models import User


@dataclass
class Access:
    """The caller inside one programme: who they are and which roles they hold there."""

    user: User
    programme: LoadedProgramme
    roles: frozenset[str]

    @property
    def actor(self) -> str:
        return self.user.username

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    def require(self, *roles: str, what: str = "this") -> None:
        if not self.has(*roles):
            raise Forbidden(
                f"需要角色 {'/'.join(roles)} / {what} needs one of the roles: {', '.join(roles)}; "
                f"you have: {', '.join(sorted(self.roles)) or 'none'} in programme {self.programme.id!r}",
                required_roles=list(roles))

    def sees_personal_data(self) -> bool:
        cfg = self.programme.config.roles
        return any(cfg[r].sees_personal_data for r in self.roles if r in cfg)
