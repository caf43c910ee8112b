"""Step 4 over the host accounts: boundaries, buffer, capacity, participant
limits, alternative slots in working time, and the hosts' meetings at Zoom."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from engine import Worker
from engine.calendar.working import WITA, WorkingCalendar
from engine.services.meeting import BusyTime
from engine.services.schedule import Booking, Host, alternatives, free_host
from engine.storage.models import ExternalBooking, Meeting
from tests.conftest import future_request
from tests.engine.zoom_setup import (SeededDriver, make_zoom_engine, marker, seeded_db,  # noqa: F401
                                     to_meeting_step, zd, zoom)

BUFFER = timedelta(minutes=30)
ONE = [Host("h1", "Host 1", 1, 300)]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in December 2026, WITA (7 December is a Monday)."""
    return datetime(2026, 12, day, hour, minute, tzinfo=WITA)


def busy(start, end, host="h1", instance=None):
    return Booking(host, start, end, instance)


@pytest.mark.parametrize("start, buffer, free", [
    (at(9, 10, 0), BUFFER, True),    # starts exactly where the booking's buffer ends
    (at(9, 9, 59), BUFFER, False),   # one minute inside the buffer
    (at(9, 9, 30), timedelta(0), True),   # no buffer: touching intervals do not overlap
    (at(9, 9, 29), timedelta(0), False),
    (at(9, 6, 0), BUFFER, True),     # ends 07:30, the buffer reaches the booking's start exactly
    (at(9, 6, 1), BUFFER, False),
])
def test_touching_intervals_and_the_buffer(start, buffer, free):
    bookings = [busy(at(9, 8, 0), at(9, 9, 30))]
    found = free_host(ONE, bookings, start, start + timedelta(minutes=90), 40, buffer)
    assert (found is not None) is free


def test_capacity_two_holds_two_meetings_at_once():
    host = [Host("biz", "Business", 2, 300)]
    one = [busy(at(9, 10), at(9, 11), "biz", "other")]
    assert free_host(host, one, at(9, 10), at(9, 11), 40, BUFFER) is not None
    two = one + [busy(at(9, 10), at(9, 11), "biz", "third")]
    assert free_host(host, two, at(9, 10), at(9, 11), 40, BUFFER) is None


def test_the_participant_limit_and_the_own_booking():
    hosts = [Host("pro", "Pro", 1, 100), Host("biz", "Business", 1, 300)]
    assert free_host(hosts, [], at(9, 10), at(9, 11), 150, BUFFER).id == "biz"
    assert free_host(hosts, [], at(9, 10), at(9, 11), 50, BUFFER).id == "pro"  # the smallest that fits
    own = [busy(at(9, 10), at(9, 11), "pro", "me")]
    assert free_host(hosts[:1], own, at(9, 10), at(9, 11), 50, BUFFER, "me").id == "pro"
    external = [busy(at(9, 10), at(9, 11), "pro", None)]  # a meeting made in the Zoom app
    assert free_host(hosts[:1], external, at(9, 10), at(9, 11), 50, BUFFER, None) is None


def test_alternatives_same_day_first_then_the_next_working_days():
    calendar = WorkingCalendar(closed=frozenset({date(2026, 12, 11)}))  # Friday closed
    whole_day = [busy(at(10, 6), at(10, 18))]  # Thursday taken
    found = alternatives(ONE, whole_day, at(10, 13), timedelta(minutes=90), 40, BUFFER,
                         calendar=calendar, now=at(7, 9))
    assert found == [at(14, 7, 30).isoformat(), at(14, 8).isoformat(), at(14, 8, 30).isoformat()]


def test_alternatives_nearest_on_the_same_day_within_office_hours():
    morning = [busy(at(9, 9), at(9, 10, 30))]
    found = alternatives(ONE, morning, at(9, 9, 30), timedelta(minutes=120), 40, BUFFER,
                         calendar=WorkingCalendar(), now=at(7, 9))
    starts = [datetime.fromisoformat(s) for s in found]
    assert found == sorted(found) and len(found) == 3 and all(s.date() == date(2026, 12, 9) for s in starts)
    for start in starts:  # inside an office period, ending by closing (16:00)
        assert not (at(9, 12) <= start < at(9, 13)) and start + timedelta(minutes=120) <= at(9, 16)
        assert start >= at(9, 11) or start + timedelta(minutes=150) <= at(9, 9)


def test_a_meeting_made_in_the_zoom_app_fills_the_schedule(zd, zoom, clock):
    request = future_request(clock)
    start = datetime.fromisoformat(request["start_at"])
    for email in ("zoom1@tarakankota.go.id", "zoom2@tarakankota.go.id"):
        zoom.state.create_meeting(email, {"topic": "Rapat internal", "type": 2, "duration": 60,
                                          "start_time": start.astimezone(WITA).strftime("%Y-%m-%dT%H:%M:%S"),
                                          "timezone": "Asia/Singapore"})
    Worker(zd.engine).run_once()  # the busy-time sync copies them
    zd.start(request)
    zd.complete("T02_disposition_kadis")
    zd.complete("T03_disposition_kabid")
    schedule = zd.instance("subkoordinator").schedule
    assert schedule["status"] == "full" and len(schedule["alternatives"]) == 3


def test_our_own_meetings_are_not_counted_twice(zd, zoom, clock):
    to_meeting_step(zd, future_request(clock))  # zoom-1 holds the request's meeting (and its booking)
    made = zoom.state.with_marker(marker(zd))[0]
    hand_made = zoom.state.create_meeting("zoom2@tarakankota.go.id", {
        "topic": "Dibuat di aplikasi Zoom", "type": 2, "duration": 60, "start_time": "2026-12-20T02:00:00Z"})[1]
    clock.advance(hours=2)
    assert zd.engine.busy_sync.run(clock.now()) == 2
    with zd.engine.db.reading() as session:
        copied = {r.external_id: r.host_id for r in session.scalars(select(ExternalBooking))}
    assert copied == {str(hand_made["id"]): "zoom-2"}
    second = zd.start(future_request(clock, topic="Rapat kedua"))
    zd.complete("T02_disposition_kadis")
    zd.complete("T03_disposition_kabid")
    assert zd.instance("subkoordinator").schedule["host_id"] == "zoom-2" and second.summary.id
    assert str(made["id"]) not in copied


def test_a_meeting_entered_by_hand_is_not_copied(zd, clock):
    to_meeting_step(zd, future_request(clock))
    with zd.engine.db.reading() as session:
        ours = session.scalar(select(Meeting.meeting_id))
    spaced = f"{ours[:3]} {ours[3:7]} {ours[7:]}"
    start = clock.now() + timedelta(days=3)
    kept = zd.engine.hosts.store_busy_times("zoom-1", [
        BusyTime(spaced, start, start + timedelta(hours=1)),  # Staf typed it with spaces
        BusyTime("999888777", start, start + timedelta(hours=1), "Rapat lain")], clock.now())
    assert kept == 1
