"""Failed sign-ins: the sign-in limit (per username and address, per username,
per address and overall) is kept in the database by the engine, so every server
process shares it; the client's address is the one ``VICON_TRUSTED_PROXIES``
names (``api.app`` applies it). ``LoginThrottle`` is a small in-memory counter
for other misses (unknown tracking tokens)."""
from __future__ import annotations

import threading
from collections import defaultdict, deque
from datetime import timedelta

from flask import request

from api.context import engine

LIMIT = 5
WINDOW = timedelta(minutes=15)


class LoginThrottle:
    """At most ``limit`` failed sign-ins per key within ``window``."""

    def __init__(self, limit: int = LIMIT, window: timedelta = WINDOW):
        self.limit, self.window = limit, window
        self._failures: dict = defaultdict(deque)
        self._lock = threading.Lock()

    def blocked(self, key, now) -> bool:
        """True while ``key`` has used up its attempts."""
        with self._lock:
            return len(self._recent(key, now)) >= self.limit

    def failed(self, key, now) -> None:
        """Count one failed sign-in of ``key``."""
        with self._lock:
            self._recent(key, now).append(now)

    def reset(self, key) -> None:
        """Forget ``key``'s failures (after a successful sign-in)."""
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key, now) -> deque:
        times = self._failures[key]
        while times and now - times[0] >= self.window:
            times.popleft()
        return times


def sign_in(username: str, password: str):
    """The actor for valid credentials, None for wrong ones; raises TooManyAttempts
    while this username or address is blocked."""
    limit, address = engine().sign_in_limit, request.remote_addr or ""
    if limit.blocked(username, address):
        raise TooManyAttempts()
    actor = engine().authenticate(username, password)
    if actor is None:
        limit.failed(username, address)
    else:
        limit.succeeded(username, address)
    return actor


class TooManyAttempts(Exception):
    """Too many failed sign-ins for this username from this address."""
