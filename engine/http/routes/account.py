"""Sessions and accounts: log out, change your password; operators reset passwords and disable
accounts. Every change takes effect on the next request (docs/security.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel, Field

from engine.auth.passwords import verify_password
from engine.errors import InvalidInput
from engine.http.deps import CurrentUser, EngineDep, SessionDep, require_superuser
from engine.http.login import client_address

router = APIRouter(tags=["auth"])
_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
Username = Annotated[str, Path(min_length=1, max_length=120)]


@router.post("/auth/logout")
def logout(user: CurrentUser, engine: EngineDep, session: SessionDep,
           token: Annotated[str | None, Depends(_bearer)]) -> dict[str, Any]:
    """Revoke the token this request carries (other sessions of the account stay)."""
    if token:
        engine.auth.revoke(session, token)
    return {"username": user.username, "logged_out": True}


class PasswordChangeIn(BaseModel):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024, description="at least 10 characters, not a common password")


@router.post("/me/password")
def change_password(body: PasswordChangeIn, request: Request, user: CurrentUser, engine: EngineDep,
                    session: SessionDep) -> dict[str, Any]:
    """Change your password; every token of your account is revoked (log in again everywhere).
    Wrong current passwords count towards the login throttle."""
    address = client_address(request)
    engine.auth.throttle.check(user.username, address)
    if not verify_password(user.password_hash, body.current_password):
        engine.auth.throttle.failed(user.username, address)
        raise InvalidInput("当前密码不对 / the current password is wrong", field="body.current_password")
    engine.auth.set_password(session, user, body.new_password)
    return {"username": user.username, "tokens_revoked": True}


class PasswordSetIn(BaseModel):
    password: str = Field(min_length=1, max_length=1024, description="at least 10 characters, not a common password")


@router.put("/users/{username}/password", dependencies=[Depends(require_superuser)])
def set_password(username: Username, body: PasswordSetIn, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """Set an account's password (operators); its tokens are revoked."""
    user = engine.auth.user(session, username)
    engine.auth.set_password(session, user, body.password)
    return {"username": user.username, "tokens_revoked": True}


class ActiveIn(BaseModel):
    active: bool = Field(description="false: disable the account (its tokens are revoked); true: enable it again")


@router.put("/users/{username}/active", dependencies=[Depends(require_superuser)])
def set_active(username: Username, body: ActiveIn, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """Disable or enable an account (operators); a disabled account is refused on its next request."""
    user = engine.auth.user(session, username)
    engine.auth.set_active(session, user, body.active)
    return {"username": user.username, "active": user.active}
