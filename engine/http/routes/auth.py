"""Log in, see yourself; operators create accounts; programme admins grant and revoke roles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request, status
from pydantic import BaseModel, Field

from engine.http.deps import AccessDep, CurrentUser, EngineDep, SessionDep, require_superuser
from engine.http.login import log_in

router = APIRouter(tags=["auth"])
Username = Annotated[str, Field(min_length=1, max_length=120)]
RoleName = Annotated[str, Field(min_length=1, max_length=63)]


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"


@router.post("/auth/token", response_model=TokenOut)
async def login(request: Request, username: Annotated[str, Form(min_length=1, max_length=120)],
                password: Annotated[str, Form(min_length=1, max_length=1024)]) -> TokenOut:
    """Exchange username and password for a bearer token (OAuth2 password flow). 401: wrong
    username or password; 429 (with ``Retry-After``): too many failures for this account from
    your address."""
    return TokenOut(access_token=await log_in(request, username, password))


class UserIn(BaseModel):
    username: Username
    password: str = Field(min_length=1, max_length=1024, description="at least 10 characters, not a common password")
    display_name: str | None = Field(default=None, max_length=200)
    superuser: bool = False


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    is_superuser: bool


@router.post("/users", status_code=status.HTTP_201_CREATED, response_model=UserOut,
             dependencies=[Depends(require_superuser)])
def create_user(body: UserIn, engine: EngineDep, session: SessionDep) -> UserOut:
    """Create an account (operators only)."""
    u = engine.auth.create_user(session, body.username, body.password, display_name=body.display_name,
                                superuser=body.superuser)
    return UserOut(id=u.id, username=u.username, display_name=u.display_name, is_superuser=u.is_superuser)


@router.get("/me")
def me(user: CurrentUser, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """Who am I, and which roles do I hold in which programme."""
    from sqlalchemy import select

    from engine.store.models import RoleGrant

    grants: dict[str, list[str]] = {}
    for g in session.scalars(select(RoleGrant).where(RoleGrant.user_id == user.id)):
        grants.setdefault(g.programme_id, []).append(g.role)
    return {"username": user.username, "display_name": user.display_name, "is_superuser": user.is_superuser,
            "roles": {k: sorted(v) for k, v in grants.items()}}


class GrantIn(BaseModel):
    username: Username
    role: RoleName


@router.post("/programmes/{programme_id}/members", status_code=status.HTTP_201_CREATED)
def grant_role(body: GrantIn, access: AccessDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """Give a person a role in this programme (programme admins)."""
    access.require("admin", what="granting roles")
    user = engine.auth.user(session, body.username)
    engine.auth.grant(session, user, access.programme.id, body.role, known_roles=set(access.programme.config.roles))
    return {"username": user.username, "programme": access.programme.id, "role": body.role}


@router.delete("/programmes/{programme_id}/members/{username}/{role}")
def revoke_role(username: Annotated[str, Path(max_length=120)], role: Annotated[str, Path(max_length=63)],
                access: AccessDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """Take a role away (programme admins); it stops working on the person's next request."""
    access.require("admin", what="revoking roles")
    user = engine.auth.user(session, username)
    if not engine.auth.revoke_role(session, user, access.programme.id, role):
        from engine.errors import NotFound

        raise NotFound(f"{username} 在项目 {access.programme.id} 没有角色 {role} / {username!r} has no role {role!r} in "
                       f"programme {access.programme.id!r}")
    return {"username": user.username, "programme": access.programme.id, "revoked": role}
