"""Request dependencies: the engine, a unit-of-work session, the caller, their roles in a programme.

Plan-type routers use these too, so every endpoint checks authentication and roles the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from engine.auth.access import Access as Access  # re-exported: routes take it from here
from engine.config.models import SLUG
from engine.core import VolunteerEngine
from engine.errors import Forbidden, Unauthorized
from engine.store.models import User

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_engine(request: Request) -> VolunteerEngine:
    engine: VolunteerEngine = request.app.state.engine
    return engine


EngineDep = Annotated[VolunteerEngine, Depends(get_engine)]


def get_session(engine: EngineDep) -> Iterator[Session]:
    with engine.session() as s:
        yield s


# scope="function": the commit runs when the endpoint returns, before the response is sent, so a
# client never sees 200 for a write that then fails to commit.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def current_user(engine: EngineDep, session: SessionDep, token: Annotated[str | None, Depends(oauth2)]) -> User:
    if not token:
        raise Unauthorized("需要登录 / authentication required: send 'Authorization: Bearer <token>' "
                           "(get one from POST /api/v1/auth/token)")
    return engine.auth.user_for_token(session, token)


CurrentUser = Annotated[User, Depends(current_user)]


def require_superuser(user: CurrentUser) -> User:
    if not user.is_superuser:
        raise Forbidden("仅系统管理员可执行 / only an operator (superuser) may do this")
    return user


#: A programme id as the YAML allows it (``engine.config.models.SLUG``); anything else is a 422 before any query.
ProgrammeId = Annotated[str, Path(pattern=SLUG, max_length=63, description="programme id")]



def access_for(engine: VolunteerEngine, session: Session, user: User, programme_id: str) -> Access:
    """The caller's :class:`Access` in a programme (a superuser is ``admin`` everywhere); 403 for a
    non-member. The API (bearer token) and the web pages (session cookie) both build it here."""
    programme = engine.programme(programme_id, session)
    roles = set(engine.auth.roles(session, user, programme_id))
    if user.is_superuser:
        roles.add("admin")
    if not roles:
        raise Forbidden(f"你不是项目 {programme_id} 的成员 / you have no role in programme {programme_id!r}")
    return Access(user, programme, frozenset(roles))


def programme_access(programme_id: ProgrammeId, engine: EngineDep, session: SessionDep, user: CurrentUser) -> Access:
    return access_for(engine, session, user, programme_id)


AccessDep = Annotated[Access, Depends(programme_access)]
