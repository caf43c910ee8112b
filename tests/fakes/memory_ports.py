"""Ports kept in memory: for the in-memory engine, its tests and benchmarks.

The database-backed ports offer the same methods.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from engine.calendar.working import WorkingCalendar
from engine.services.meeting import ManualProvider
from engine.services.schedule import Booking, Host
from tests.fakes.memory_letters import memory_office


class MemorySchedule:
    """Host accounts and bookings in lists."""

    def __init__(self, hosts=None, buffer_minutes: int = 30):
        self._hosts = list(hosts or [Host("host-1", "Zoom Diskominfo 1", 1, 300),
                                     Host("host-2", "Zoom Diskominfo 2", 1, 300)])
        self.bookings: list[Booking] = []
        self._buffer = timedelta(minutes=buffer_minutes)

    def hosts(self):
        """All host accounts."""
        return list(self._hosts)

    def buffer(self) -> timedelta:
        """The gap kept free around each meeting."""
        return self._buffer

    def bookings_around(self, lo: datetime, hi: datetime):
        """Bookings that touch ``[lo, hi]``."""
        return [b for b in self.bookings if b.start < hi and b.end > lo]

    def hosts_and_bookings(self, lo: datetime, hi: datetime):
        """``hosts()`` and ``bookings_around(lo, hi)``."""
        return self.hosts(), self.bookings_around(lo, hi)

    def book(self, instance_id, host_id, start, end) -> None:
        """Book ``host_id`` for the instance, replacing its earlier booking."""
        self.bookings = [b for b in self.bookings if b.instance_id != instance_id or instance_id is None]
        self.bookings.append(Booking(host_id, start, end, instance_id))

    def calendar(self) -> WorkingCalendar:
        """The default office calendar (no closed days)."""
        return WorkingCalendar()


class MemoryEscalations:
    """Escalations in a list."""

    def __init__(self):
        self.records = []

    def record(self, instance_id, step, standard, at, notify_role="manager") -> list:
        """Remember one escalation."""
        self.records.append((instance_id, step, standard, at, notify_role))
        return [notify_role]


class MemoryOutbox:
    """Documents by name in a dict."""

    def __init__(self):
        self.documents: dict[str, str] = {}

    def write(self, kind: str, key: str, content: str) -> str:
        """Store ``content``; the same key overwrites the same document."""
        name = f"{kind}-{key.replace(':', '-')}.txt"
        self.documents[name] = content
        return name


@dataclass
class MemoryPorts:
    """Everything operators reach, in memory."""

    schedule: MemorySchedule = field(default_factory=MemorySchedule)
    escalations: MemoryEscalations = field(default_factory=MemoryEscalations)
    outbox: MemoryOutbox = field(default_factory=MemoryOutbox)
    meeting_provider: object = field(default_factory=ManualProvider)
    letters: object = field(default_factory=memory_office)
