"""Host accounts as the meeting provider sees them, read and written in short
transactions of their own (the worker calls out between them, never inside).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from engine.services.meeting import HostRef
from engine.services.schedule import Booking as BookingView
from engine.services.schedule import Host, host_is_free
from engine.storage.models import Booking, ExternalBooking, HostAccount, Instance, Meeting

# (not "expired": its meeting may be running now, and Zoom refuses to delete a started one)
ENDED_WITHOUT_MEETING = ("withdrawn", "rejected", "schedule_full")


def _ref(row: HostAccount) -> HostRef:
    return HostRef(row.id, row.email or row.id, row.name)


class SqlHostDirectory:
    """Which host accounts may take a meeting, and their meetings made elsewhere."""

    def __init__(self, db, buffer_minutes: int):
        self.db = db
        self.buffer = timedelta(minutes=buffer_minutes)

    def all(self) -> list[HostRef]:
        """Every active host account."""
        with self.db.reading() as session:
            rows = session.scalars(select(HostAccount).where(HostAccount.active.is_(True))
                                   .order_by(HostAccount.id))
            return [_ref(r) for r in rows]

    def candidates(self, instance_id, host_id, start: datetime, duration_minutes: int,
                   participants: int) -> list[HostRef]:
        """The booked host first, then every other active host free at that time."""
        end = start + timedelta(minutes=duration_minutes)
        with self.db.reading() as session:
            rows = list(session.scalars(select(HostAccount).where(HostAccount.active.is_(True))
                                        .order_by(HostAccount.max_participants, HostAccount.id)))
            bookings = _bookings(session, start - self.buffer, end + self.buffer)
        first = [r for r in rows if r.id == host_id]
        others = [r for r in rows if r.id != host_id and host_is_free(
            Host(r.id, r.name, r.capacity, r.max_participants), bookings, start, end, participants,
            self.buffer, instance_id)]
        return [_ref(r) for r in first + others]

    def store_busy_times(self, host_id: str, busy, now: datetime) -> int:
        """Replace the host's copied meetings with ``busy``, leaving out the ones
        our requests made (they are bookings already); return how many were kept."""
        with self.db.transaction() as session:
            ours = {_digits(m) for m in session.scalars(select(Meeting.meeting_id))}
            keep = [b for b in busy if b.marker is None and _digits(b.external_id) not in ours]
            session.execute(delete(ExternalBooking).where(ExternalBooking.host_id == host_id))
            session.add_all(ExternalBooking(host_id=host_id, external_id=b.external_id, topic=b.topic[:300],
                                            start=b.start, end=b.end, synced_at=now) for b in keep)
            return len(keep)


    def orphans(self, busy) -> list:
        """The meetings in ``busy`` that carry the marker of a request that ended
        with no meeting (withdrawn, rejected, schedule full)."""
        marked = {b.marker.removeprefix("vicon:"): b for b in busy if b.marker}
        if not marked:
            return []
        with self.db.reading() as session:
            ended = session.scalars(select(Instance).where(Instance.id.in_(list(marked)),
                                                           Instance.status == "completed",
                                                           Instance.outcome.in_(ENDED_WITHOUT_MEETING)))
            return [marked[i.id] for i in ended]


def _bookings(session, lo, hi) -> list[BookingView]:
    rows = session.scalars(select(Booking).where(Booking.start < hi, Booking.end > lo))
    external = session.scalars(select(ExternalBooking).where(ExternalBooking.start < hi, ExternalBooking.end > lo))
    return [BookingView(r.host_id, r.start, r.end, r.instance_id) for r in rows] + \
        [BookingView(r.host_id, r.start, r.end, None) for r in external]


def _digits(value) -> str:
    return "".join(ch for ch in str(value) if ch.isdigit()) or str(value)
