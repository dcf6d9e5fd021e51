"""Login throttling: failed logins counted per (account, client address), with the `limits` library.

Why this key: thousands of phones at one venue share one public address at shift start (WAVE2.md),
so an address is never blocked as such — only the pair. One person mistyping their password cannot
lock out their colleagues behind the same NAT, and one address guessing at one account is slowed
to ``VOLUNTEER_LOGIN_THROTTLE`` failures per window (moving window, 10 per 15 minutes by default).
Past that the login answers 429 with ``Retry-After`` before any password is hashed; a success
clears the count. Counts live in memory by default (one process); several processes or machines
share them through ``VOLUNTEER_RATE_LIMIT_STORAGE_URL`` (e.g. ``redis://host:6379``, which needs the
``redis`` package; see the `limits` documentation for the other storages).
"""

from __future__ import annotations

import math
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from engine.errors import VolunteerEngineError


class TooManyAttempts(VolunteerEngineError):
    """HTTP 429: wait ``retry_after`` seconds (sent as the ``Retry-After`` header)."""

    http_status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"登录失败次数过多，请 {retry_after} 秒后再试 / too many failed logins for this account from "
                         f"your address: try again in {retry_after} seconds", retry_after=retry_after)
        self.retry_after = retry_after


class LoginThrottle:
    def __init__(self, rule: str = "10/15 minutes", storage_url: str = "memory://") -> None:
        self.item = parse(rule)
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_url))

    @staticmethod
    def _key(account: str, address: str) -> tuple[str, str]:
        return account.strip().casefold(), address or "-"

    def check(self, account: str, address: str) -> None:
        """Raise :class:`TooManyAttempts` if this pair has used up its failures."""
        key = self._key(account, address)
        if self.limiter.test(self.item, *key):
            return
        reset = self.limiter.get_window_stats(self.item, *key).reset_time
        raise TooManyAttempts(max(1, math.ceil(reset - time.time())))

    def failed(self, account: str, address: str) -> None:
        self.limiter.hit(self.item, *self._key(account, address))

    def succeeded(self, account: str, address: str) -> None:
        self.limiter.clear(self.item, *self._key(account, address))
