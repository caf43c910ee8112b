"""A new time proposed after the schedule check found the requested one full:
refused on the field, with the nearest free times, when it is full as well.
The process still checks again after it (a slot can fill meanwhile)."""
from __future__ import annotations

from datetime import datetime, timedelta

from engine.calendar.dates import long_datetime
from engine.requests.form_data import meeting_start
from engine.services.schedule import SEARCH_WORKING_DAYS, alternatives, free_host

START = "start_at"
DECLINE = "decline"  # the schedule-full form's "end the request": nothing to check
DEFAULT_MINUTES = 60


def full_proposal_problem(kernel, session, instance, form, data: dict, lang: str = "id") -> str | None:
    """Why the proposed ``start_at`` cannot be taken: no host is free then. None
    when the request was not found full, the form proposes no time, the request
    is being ended, or a host is free."""
    if ((instance.facts or {}).get("schedule") or {}).get("status") != "full":
        return None
    if START not in form.schema.get("properties", {}) or data.get("action") == DECLINE:
        return None
    start = meeting_start(data)
    if start is None:
        return None
    duration = timedelta(minutes=int(data.get("duration_minutes") or DEFAULT_MINUTES))
    participants = int(data.get("participants") or 1)
    port = kernel.ports(session).schedule
    buffer = port.buffer()
    hosts, bookings = port.hosts_and_bookings(start - timedelta(days=1),
                                              start + timedelta(days=SEARCH_WORKING_DAYS * 3))
    if free_host(hosts, bookings, start, start + duration, participants, buffer, instance.id) is not None:
        return None
    offered = alternatives(hosts, bookings, start, duration, participants, buffer, instance.id,
                           calendar=port.calendar(), now=kernel.clock.now())
    return _words([long_datetime(datetime.fromisoformat(x), lang) for x in offered], lang)


def _words(free: list[str], lang: str) -> str:
    if lang == "en":
        return ("That time is fully booked as well." +
                (f" The nearest free times: {'; '.join(free)}." if free else " No free time was found nearby."))
    return ("Waktu ini juga sudah penuh." +
            (f" Waktu terdekat yang masih kosong: {'; '.join(free)}." if free else
             " Tidak ada waktu kosong di dekatnya."))
