"""The engine's clock, injectable, and the bridge that makes SpiffWorkflow's
timers read it.

SpiffWorkflow's timer module calls ``datetime.now(timezone.utc)`` on its own
module-level name and offers no hook. We replace that name once with a
``datetime`` subclass whose ``now()`` asks the clock that is active in the
current context, so each engine's injected clock also drives its timers.
"""
from __future__ import annotations

import contextlib
import contextvars
from datetime import datetime, timedelta, timezone

from SpiffWorkflow.bpmn.specs.event_definitions import timer as _spiff_timer

UTC = timezone.utc


class SystemClock:
    """Real time, in UTC."""

    def now(self) -> datetime:
        """Return the current aware UTC time."""
        return datetime.now(UTC)


class FakeClock:
    """A clock for tests and benchmarks that moves only when told."""

    def __init__(self, start: datetime | None = None):
        self._now = start or datetime(2026, 1, 5, 1, 0, tzinfo=UTC)

    def now(self) -> datetime:
        """Return the fake current time."""
        return self._now

    def advance(self, **delta) -> datetime:
        """Move the clock forward by ``timedelta(**delta)``."""
        self._now += timedelta(**delta)
        return self._now

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (aware)."""
        self._now = when


_active: contextvars.ContextVar = contextvars.ContextVar("vicon_clock", default=None)


class _ClockedDatetime(datetime):
    @classmethod
    def now(cls, tz=None):
        clock = _active.get()
        if clock is None:
            return datetime.now(tz)
        value = clock.now()
        return value.astimezone(tz) if tz is not None else value.replace(tzinfo=None)


_spiff_timer.datetime = _ClockedDatetime


@contextlib.contextmanager
def active_clock(clock):
    """Make SpiffWorkflow's timers read ``clock`` inside the block."""
    token = _active.set(clock)
    try:
        yield clock
    finally:
        _active.reset(token)
