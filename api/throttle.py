"""Failed sign-ins, counted per username and client address.

The counts live in the process's memory: they reset when the server restarts and
are not shared between server processes (one waitress process serves vicon).
"""
from __future__ import annotations

import threading
from collections import defaultdict, deque
from datetime import timedelta

from flask import current_app, request

from api.context import engine

LIMIT = 5
WINDOW = timedelta(minutes=15)
EXTENSION = "vicon.throttle"


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


def _throttle() -> LoginThrottle:
    return current_app.extensions.setdefault(EXTENSION, LoginThrottle())


def _key(username: str) -> tuple[str, str]:
    return (username.strip().lower(), request.remote_addr or "")


def sign_in(username: str, password: str):
    """The actor for valid credentials, None for wrong ones; raises TooManyAttempts
    while this username and address are blocked."""
    now = engine().clock.now()
    key = _key(username)
    throttle = _throttle()
    if throttle.blocked(key, now):
        raise TooManyAttempts()
    actor = engine().authenticate(username, password)
    if actor is None:
        throttle.failed(key, now)
    else:
        throttle.reset(key)
    return actor


class TooManyAttempts(Exception):
    """Too many failed sign-ins for this username from this address."""
