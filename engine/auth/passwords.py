"""Password hashing and the password policy.

Hashing: Argon2id with argon2-cffi's defaults (RFC 9106's low-memory profile). One hash costs about
a fifth of a second of one core, which is the point — and also why a flood of logins could eat
the server: :mod:`engine.auth.login` lets only a few hashes run at once. The test suite sets
``VOLUNTEER_FAST_PASSWORD_HASH=1`` for a cheap Argon2id profile (same algorithm and code path);
never set it in production.

Policy (NIST SP 800-63B §5.1.1.2): at least ``VOLUNTEER_PASSWORD_MIN_LENGTH`` characters (10 by
default), at most 1,024, not one of the common passwords in ``common-passwords.txt`` (compared
without case), and not the account's own name. No composition rules: length and a block list are
what helps.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from engine.errors import InvalidInput

MAX_LENGTH = 1024
COMMON = Path(__file__).with_name("common-passwords.txt")


def _make_hasher() -> PasswordHasher:
    if os.environ.get("VOLUNTEER_FAST_PASSWORD_HASH") == "1":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


_hasher = _make_hasher()
#: Verified against when the account does not exist, so that an unknown name takes as long to
#: refuse as a wrong password (no telling from the time which accounts exist).
DUMMY_HASH = _hasher.hash("no such account: the timing stays the same")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def check_password(password: str, *, username: str = "", min_length: int = 10, field: str = "password") -> None:
    """Raise :class:`InvalidInput` (bilingual, naming ``field``) if the policy refuses ``password``."""
    if len(password) < min_length:
        raise InvalidInput(f"密码至少 {min_length} 个字符 / the password must have at least {min_length} characters",
                           field=field)
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"密码最多 {MAX_LENGTH} 个字符 / the password may have at most {MAX_LENGTH} characters",
                           field=field)
    folded = password.casefold()
    if folded in common_passwords():
        raise InvalidInput("这是常见密码，很容易被猜中，请换一个 / this is a common password that is easily guessed: "
                           "choose another", field=field)
    if username and folded == username.strip().casefold():
        raise InvalidInput("密码不能与用户名相同 / the password must not be the username", field=field)
