"""``schedule/check`` (SOP step 4): is some host account free for the request?

A host is free when it has fewer overlapping bookings than its concurrency
over ``[start - buffer, end + buffer]`` and its participant limit covers the
request. The first free host is booked for the instance at once (inside the
command's transaction), so two requests cannot both take the last slot.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

WITA = timezone(timedelta(hours=8), "WITA")
ALTERNATIVE_STEP = timedelta(minutes=30)
OFFICE_START, OFFICE_END = 7, 17  # hours, WITA: where alternative slots are proposed
MAX_ALTERNATIVES = 3
SEARCH_DAYS = 5


@dataclass(frozen=True)
class Host:
    """A Zoom host account we own."""

    id: str
    name: str
    capacity: int
    max_participants: int


@dataclass(frozen=True)
class Booking:
    """A time window taken on a host account."""

    host_id: str
    start: datetime
    end: datetime
    instance_id: str | None


def free_host(hosts, bookings, start, end, participants, buffer, exclude_instance=None):
    """The first host free over ``[start - buffer, end + buffer]``, or None."""
    lo, hi = start - buffer, end + buffer
    for host in sorted(hosts, key=lambda h: (h.max_participants, h.id)):
        if host.max_participants < participants:
            continue
        busy = sum(1 for b in bookings if b.host_id == host.id and b.instance_id != exclude_instance
                   and b.start < hi and b.end > lo)
        if busy < host.capacity:
            return host
    return None


def alternatives(hosts, bookings, start, duration, participants, buffer, exclude_instance=None):
    """Up to three free slots after ``start``: same day first, then the next days."""
    found, slot = [], start + ALTERNATIVE_STEP
    limit = start + timedelta(days=SEARCH_DAYS)
    while slot < limit and len(found) < MAX_ALTERNATIVES:
        local = slot.astimezone(WITA)
        in_office = OFFICE_START <= local.hour and (local + duration).hour <= OFFICE_END \
            and (local + duration).date() == local.date() and local.weekday() < 5
        if in_office and free_host(hosts, bookings, slot, slot + duration, participants, buffer,
                                   exclude_instance):
            found.append(slot.astimezone(WITA).isoformat())
        slot += ALTERNATIVE_STEP
    return found


def check_schedule(ctx, start_at: str, duration_minutes: int, participants: int) -> dict:
    """Operator ``schedule/check``: book a free host or report the schedule full."""
    port = ctx.ports.schedule
    start = datetime.fromisoformat(start_at)
    duration = timedelta(minutes=int(duration_minutes))
    hosts, bookings = port.hosts(), port.bookings_around(start - timedelta(days=1),
                                                         start + timedelta(days=SEARCH_DAYS + 1))
    buffer = port.buffer()
    host = free_host(hosts, bookings, start, start + duration, int(participants), buffer, ctx.instance_id)
    if host is None:
        return {"status": "full", "checked_at": ctx.now.isoformat(),
                "alternatives": alternatives(hosts, bookings, start, duration, int(participants),
                                             buffer, ctx.instance_id)}
    port.book(ctx.instance_id, host.id, start, start + duration)
    return {"status": "free", "host_id": host.id, "host_name": host.name,
            "checked_at": ctx.now.isoformat()}
