"""Log in, see yourself; operators create accounts and grant per-programme roles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from engine.http.deps import AccessDep, CurrentUser, EngineDep, SessionDep, require_superuser

router = APIRouter(tags=["auth"])


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"


@router.post("/auth/token", response_model=TokenOut)
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], engine: EngineDep, session: SessionDep) -> TokenOut:
    """Exchange username and password for a bearer token (OAuth2 password flow)."""
    user = engine.auth.authenticate(session, form.username, form.password)
    return TokenOut(access_token=engine.auth.issue_token(session, user))


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=120)
    password: str = Field(min_length=8)
    display_name: str | None = None
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
    username: str
    role: str


@router.post("/programmes/{programme_id}/members", status_code=status.HTTP_201_CREATED)
def grant_role(body: GrantIn, access: AccessDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """Give a person a role in this programme (programme admins)."""
    access.require("admin", what="granting roles")
    user = engine.auth.user(session, body.username)
    engine.auth.grant(session, user, access.programme.id, body.role, known_roles=set(access.programme.config.roles))
    return {"username": user.username, "programme": access.programme.id, "role": body.role}
