"""``schedule/check`` (SOP step 4): is some host account free for the request?

A host is free when it has fewer overlapping bookings than its concurrency
over ``[start - buffer, end + buffer]`` and its participant limit covers the
request. Bookings are our own requests' and, when a provider such as Zoom is
configured, the hosts' meetings made elsewhere (copied by the worker's
busy-time sync: this check runs inside the command's transaction and never
calls out). The first free host is booked for the instance at once, so two
requests cannot both take the last slot. When none is free, up to three
alternative slots are proposed: the same day first (nearest to the asked
time), then the next working days of the office calendar.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from engine.calendar.dates import WITA
from engine.calendar.working import WorkingCalendar

ALTERNATIVE_STEP = timedelta(minutes=30)
MAX_ALTERNATIVES = 3
SEARCH_WORKING_DAYS = 10


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


def host_is_free(host, bookings, start, end, participants, buffer, exclude_instance=None) -> bool:
    """True when ``host`` can take a meeting of ``participants`` over ``[start, end]``."""
    if host.max_participants < participants:
        return False
    lo, hi = start - buffer, end + buffer
    busy = sum(1 for b in bookings if b.host_id == host.id and (b.instance_id is None or
                                                                  b.instance_id != exclude_instance)
               and b.start < hi and b.end > lo)
    return busy < host.capacity


def free_host(hosts, bookings, start, end, participants, buffer, exclude_instance=None):
    """The first free host (the smallest that fits), or None."""
    for host in sorted(hosts, key=lambda h: (h.max_participants, h.id)):
        if host_is_free(host, bookings, start, end, participants, buffer, exclude_instance):
            return host
    return None


def _day_slots(calendar: WorkingCalendar, day, duration: timedelta) -> list[datetime]:
    """Starts on ``day``, every 30 minutes, inside an office period, ending by closing."""
    periods = calendar.periods(day)
    if not periods:
        return []
    closing, slots = periods[-1][1], []
    for opening, end in periods:
        slot = opening
        while slot < end and slot + duration <= closing:
            slots.append(slot)
            slot += ALTERNATIVE_STEP
    return slots


def alternatives(hosts, bookings, start, duration, participants, buffer, exclude_instance=None, *,
                 calendar: WorkingCalendar | None = None, now: datetime | None = None) -> list[str]:
    """Up to three free slots: the same day (nearest to ``start``), then the next
    working days; in time order, as ISO date-times in WITA."""
    calendar = calendar or WorkingCalendar()
    earliest = now or start

    def free(slot):
        return slot > earliest and slot != start and free_host(
            hosts, bookings, slot, slot + duration, participants, buffer, exclude_instance) is not None

    day = start.astimezone(WITA).date()
    same_day = sorted(_day_slots(calendar, day, duration), key=lambda s: abs(s - start))
    found = [s for s in same_day if free(s)][:MAX_ALTERNATIVES]
    for _ in range(SEARCH_WORKING_DAYS):
        if len(found) >= MAX_ALTERNATIVES:
            break
        day = calendar.next_working_day(day)
        for slot in _day_slots(calendar, day, duration):
            if len(found) < MAX_ALTERNATIVES and free(slot):
                found.append(slot)
    return [s.astimezone(WITA).isoformat() for s in sorted(found)]


def check_schedule(ctx, start_at: str, duration_minutes: int, participants: int) -> dict:
    """Operator ``schedule/check``: book a free host or report the schedule full."""
    port = ctx.ports.schedule
    start = datetime.fromisoformat(start_at)
    duration = timedelta(minutes=int(duration_minutes))
    calendar = port.calendar() if hasattr(port, "calendar") else WorkingCalendar()
    hosts, bookings = port.hosts_and_bookings(start - timedelta(days=1),
                                              start + timedelta(days=SEARCH_WORKING_DAYS * 3))
    buffer = port.buffer()
    host = free_host(hosts, bookings, start, start + duration, int(participants), buffer, ctx.instance_id)
    if host is None:
        return {"status": "full", "checked_at": ctx.now.isoformat(),
                "alternatives": alternatives(hosts, bookings, start, duration, int(participants), buffer,
                                             ctx.instance_id, calendar=calendar, now=ctx.now)}
    port.book(ctx.instance_id, host.id, start, start + duration)
    return {"status": "free", "host_id": host.id, "host_name": host.name,
            "checked_at": ctx.now.isoformat()}
