"""The calendar invitation (.ics) that goes with a response letter.

Start and end are in Asia/Makassar (WITA) with the zone's definition included;
the UID is the request's, so a later letter for the same request (a
rescheduled meeting) updates the same calendar entry, its SEQUENCE higher.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from engine.calendar.dates import WITA_ZONE_ID
from engine.letters.indonesian import group_meeting_id


def invitation(*, uid: str, sequence: int, start: datetime, minutes: int, summary: str,
               meeting: dict, organizer: str, attendees: list[str], stamp: datetime,
               organizer_name: str) -> bytes:
    """An iCalendar REQUEST for the meeting: link as LOCATION, ID and passcode in DESCRIPTION."""
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    zone = ZoneInfo(WITA_ZONE_ID)  # the named zone: the invitation's TZID refers to it
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", (start + timedelta(minutes=minutes)).astimezone(zone))
    event.add("summary", summary)
    event.add("location", meeting.get("join_url") or "")
    event.add("description", "\n".join([
        f"ID Rapat: {group_meeting_id(meeting.get('meeting_id'))}",
        f"Kode Akses: {meeting.get('passcode') or '-'}",
        f"Tautan: {meeting.get('join_url') or '-'}"]))
    event.add("url", meeting.get("join_url") or "")
    host = vCalAddress(f"mailto:{organizer}")
    host.params["cn"] = vText(organizer_name)
    event.add("organizer", host)
    for address in attendees:
        attendee = vCalAddress(f"mailto:{address}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=False)
    calendar = Calendar()
    calendar.add("prodid", "-//vicon//Layanan Zoom Meeting//ID")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    calendar.add_component(_wita_zone())
    calendar.add_component(event)
    return calendar.to_ical()


@cache
def _wita_zone() -> Timezone:
    """WITA's VTIMEZONE, built once: deriving it from the zone database costs
    tens of milliseconds, and it is the same in every invitation."""
    return Timezone.from_tzid(WITA_ZONE_ID)
