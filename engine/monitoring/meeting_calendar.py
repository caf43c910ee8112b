"""The meeting calendar per Zoom host account: the bookings the schedule
check (step 4) counts, ours and those copied from the provider."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from engine.calendar.dates import WITA
from engine.storage.models import Agency, Booking, ExternalBooking, HostAccount, Instance
from engine.monitoring.dashboard_views import CalendarEntry, MeetingCalendar

VIEWS = ("week", "month")


def period(view: str, day: date) -> tuple[date, date]:
    """First and last day (inclusive) of the week (Monday-Sunday) or month holding ``day``."""
    if view == "week":
        first = day - timedelta(days=day.weekday())
        return first, first + timedelta(days=6)
    first = day.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return first, nxt - timedelta(days=1)


def meeting_calendar(session, view: str, day: date, host_id: str | None) -> MeetingCalendar:
    """The bookings of one host account (or all) in the week or month of ``day``."""
    first, last = period(view, day)
    lo = datetime.combine(first, time(0), WITA)
    hi = datetime.combine(last + timedelta(days=1), time(0), WITA)
    hosts = tuple(session.execute(select(HostAccount.id, HostAccount.name).order_by(HostAccount.id)).all())
    if host_id not in {h[0] for h in hosts}:
        host_id = None
    ours = select(Booking.host_id, Booking.start, Booking.end, Booking.instance_id, Instance.topic, Agency.name) \
        .outerjoin(Instance, Instance.id == Booking.instance_id).outerjoin(Agency, Agency.id == Instance.agency_id) \
        .where(Booking.start < hi, Booking.end > lo)
    theirs = select(ExternalBooking.host_id, ExternalBooking.start, ExternalBooking.end, ExternalBooking.topic) \
        .where(ExternalBooking.start < hi, ExternalBooking.end > lo)
    if host_id:
        ours = ours.where(Booking.host_id == host_id)
        theirs = theirs.where(ExternalBooking.host_id == host_id)
    entries = [CalendarEntry(h, s, e, i, topic or "", agency or "", "booked")
               for h, s, e, i, topic, agency in session.execute(ours)]
    entries += [CalendarEntry(h, s, e, None, topic or "", "", "external") for h, s, e, topic in session.execute(theirs)]
    entries.sort(key=lambda x: (x.start, x.host_id))
    return MeetingCalendar(view, first, last, tuple((h, n) for h, n in hosts), host_id, tuple(entries))
