"""Accounts, tokens and per-programme roles.

Passwords are hashed with Argon2id (:mod:`engine.auth.passwords`, which also holds the policy).
API tokens are 256-bit random strings; only their SHA-256 is stored, so a leaked database
does not leak usable tokens. A token stops working when it expires, when its holder logs out,
when the password changes (every token of the account is revoked) and while the account is
disabled; a revoked role stops working on the next request (roles are read per request).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from engine.auth.passwords import DUMMY_HASH, check_password, hash_password, verify_password
from engine.auth.throttle import LoginThrottle
from engine.errors import InvalidInput, NotFound, Unauthorized
from engine.store.base import utcnow
from engine.store.models import ApiToken, ProgrammeRow, RoleGrant, User

__all__ = ["AuthService", "hash_password", "verify_password"]
WRONG = "用户名或密码错误 / wrong username or password"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class AuthService:
    def __init__(self, token_ttl_hours: int = 12, *, password_min_length: int = 10,
                 throttle: LoginThrottle | None = None) -> None:
        self.token_ttl = dt.timedelta(hours=token_ttl_hours)
        self.password_min_length = password_min_length
        self.throttle = throttle or LoginThrottle()

    def check_password(self, password: str, *, username: str = "", field: str = "password") -> None:
        check_password(password, username=username, min_length=self.password_min_length, field=field)

    def create_user(self, session: Session, username: str, password: str, *, display_name: str | None = None,
                    superuser: bool = False) -> User:
        username = username.strip()
        if not username:
            raise InvalidInput("用户名不能为空 / username must not be empty", field="username")
        self.check_password(password, username=username)
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
        """The account, if the password is right and the account active. An unknown name costs the
        same hash as a known one (no telling from the time which accounts exist)."""
        user = session.scalars(select(User).where(User.username == username)).first()
        ok = verify_password(user.password_hash if user is not None else DUMMY_HASH, password)
        if user is None or not user.active or not ok:
            raise Unauthorized(WRONG)
        return user

    def set_password(self, session: Session, user: User, password: str) -> None:
        """Change the password and revoke every token of the account (log out everywhere)."""
        self.check_password(password, username=user.username)
        user.password_hash = hash_password(password)
        self.revoke_all(session, user)

    def set_active(self, session: Session, user: User, active: bool) -> None:
        """Disable (or enable again) an account; disabling also revokes its tokens."""
        user.active = active
        if not active:
            self.revoke_all(session, user)

    def revoke_all(self, session: Session, user: User) -> int:
        result = session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
                                 .values(revoked=True).execution_options(synchronize_session=False))
        return int(getattr(result, "rowcount", 0) or 0)

    def issue_token(self, session: Session, user: User) -> str:
        token = secrets.token_urlsafe(32)
        session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token), expires_at=utcnow() + self.token_ttl))
        session.flush()
        return token

    def user_for_token(self, session: Session, token: str) -> User:
        found = session.execute(select(ApiToken.revoked, ApiToken.expires_at, User)  # one statement per request
                                .join(User, User.id == ApiToken.user_id)
                                .where(ApiToken.token_hash == _token_hash(token))).first()
        if found is None or found.revoked or found.expires_at < utcnow():
            raise Unauthorized("令牌无效或已过期 / invalid or expired token; log in again")
        user: User = found.User
        if not user.active:
            raise Unauthorized("账号已停用 / account disabled")
        return user

    def revoke(self, session: Session, token: str) -> None:
        row = session.scalars(select(ApiToken).where(ApiToken.token_hash == _token_hash(token))).first()
        if row is not None:
            row.revoked = True

    def grant(self, session: Session, user: User, programme_id: str, role: str, *, known_roles: set[str]) -> None:
        if role == "system":
            raise InvalidInput("角色 system 专供定时任务使用，不能授予 / the role 'system' is reserved for scheduled "
                               "work and cannot be granted", field="role")
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

    def revoke_role(self, session: Session, user: User, programme_id: str, role: str) -> bool:
        """Take a role away; True if the person held it. Effective on their next request."""
        result = session.execute(delete(RoleGrant).where(
            RoleGrant.user_id == user.id, RoleGrant.programme_id == programme_id, RoleGrant.role == role))
        return bool(getattr(result, "rowcount", 0))

    def roles(self, session: Session, user: User, programme_id: str) -> frozenset[str]:
        rows = session.scalars(select(RoleGrant.role).where(
            RoleGrant.user_id == user.id, RoleGrant.programme_id == programme_id))
        return frozenset(rows)

    def programmes_of(self, session: Session, user: User) -> set[str]:
        return set(session.scalars(select(RoleGrant.programme_id).where(RoleGrant.user_id == user.id)))
