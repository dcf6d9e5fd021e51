"""Accounts, tokens and per-programme roles.

Passwords are hashed with Argon2id (argon2-cffi's defaults follow RFC 9106's recommendations).
API tokens are 256-bit random strings; only their SHA-256 is stored, so a leaked database
does not leak usable tokens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.errors import InvalidInput, NotFound, Unauthorized
from engine.store.base import utcnow
from engine.store.models import ApiToken, ProgrammeRow, RoleGrant, User


def _make_hasher() -> PasswordHasher:
    """Argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile). The test suite sets
    ``VOLUNTEER_FAST_PASSWORD_HASH=1`` for a cheap Argon2id profile: still the same algorithm and
    code path, but thousands of test logins do not spend minutes hashing. Never set it in production."""
    import os

    if os.environ.get("VOLUNTEER_FAST_PASSWORD_HASH") == "1":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


_hasher = _make_hasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class AuthService:
    def __init__(self, token_ttl_hours: int = 12) -> None:
        self.token_ttl = dt.timedelta(hours=token_ttl_hours)

    def create_user(self, session: Session, username: str, password: str, *, display_name: str | None = None,
                    superuser: bool = False) -> User:
        username = username.strip()
        if not username:
            raise InvalidInput("用户名不能为空 / username must not be empty", field="username")
        if len(password) < 8:
            raise InvalidInput("密码至少 8 位 / password must have at least 8 characters", field="password")
        if session.scalars(select(User).where(User.username == username)).first() is not None:
            raise InvalidInput(f"用户名已存在 / username {username!r} is taken", field="username")
        user = User(username=username, display_name=display_name or username,
                    password_hash=hash_password(password), is_superuser=superuser)
        session.add(user)
        session.flush()
        return user

    def user(self, session: Session, username: str) -> User:
        user = session.scalars(select(User).where(User.username == username)).first()
        if user is None:
            raise NotFound(f"没有用户 / no user {username!r}", username=username)
        return user

    def authenticate(self, session: Session, username: str, password: str) -> User:
        user = session.scalars(select(User).where(User.username == username)).first()
        if user is None or not user.active or not verify_password(user.password_hash, password):
            raise Unauthorized("用户名或密码错误 / wrong username or password")
        return user

    def issue_token(self, session: Session, user: User) -> str:
        token = secrets.token_urlsafe(32)
        session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token), expires_at=utcnow() + self.token_ttl))
        session.flush()
        return token

    def user_for_token(self, session: Session, token: str) -> User:
        row = session.scalars(select(ApiToken).where(ApiToken.token_hash == _token_hash(token))).first()
        if row is None or row.revoked or row.expires_at < utcnow():
            raise Unauthorized("令牌无效或已过期 / invalid or expired token; log in again")
        user = session.get(User, row.user_id)
        if user is None or not user.active:
            raise Unauthorized("账号已停用 / account disabled")
        return user

    def revoke(self, session: Session, token: str) -> None:
        row = session.scalars(select(ApiToken).where(ApiToken.token_hash == _token_hash(token))).first()
        if row is not None:
            row.revoked = True

    def grant(self, session: Session, user: User, programme_id: str, role: str, *, known_roles: set[str]) -> None:
        if role not in known_roles:
            raise InvalidInput(f"项目 {programme_id} 没有角色 {role!r} / programme {programme_id!r} has no role {role!r}; "
                               f"roles: {', '.join(sorted(known_roles))}", field="role")
        if session.get(ProgrammeRow, programme_id) is None:
            raise NotFound(f"没有项目 / no programme {programme_id!r}")
        exists = session.scalars(select(RoleGrant).where(
            RoleGrant.user_id == user.id, RoleGrant.programme_id == programme_id, RoleGrant.role == role)).first()
        if exists is None:
            session.add(RoleGrant(user_id=user.id, programme_id=programme_id, role=role))
            session.flush()

    def revoke_role(self, session: Session, user: User, programme_id: str, role: str) -> None:
        session.execute(delete(RoleGrant).where(
            RoleGrant.user_id == user.id, RoleGrant.programme_id == programme_id, RoleGrant.role == role))

    def roles(self, session: Session, user: User, programme_id: str) -> frozenset[str]:
        rows = session.scalars(select(RoleGrant.role).where(
            RoleGrant.user_id == user.id, RoleGrant.programme_id == programme_id))
        return frozenset(rows)

    def programmes_of(self, session: Session, user: User) -> set[str]:
        return set(session.scalars(select(RoleGrant.programme_id).where(RoleGrant.user_id == user.id)))
