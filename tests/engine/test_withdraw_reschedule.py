"""The agency withdraws a request (the meeting is deleted at Zoom); staff move
a meeting to another free slot (Zoom updated, the agency told). All audited."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from engine import Conflict, Forbidden, InvalidData, NotFound
from engine.storage.models import Booking
from tests.conftest import future_request
from tests.engine.zoom_setup import (booking_host, drain, jobs, make_zoom_engine, marker,  # noqa: F401
                                     seeded_db, to_meeting_step, zd, zoom)

REASON = "Kegiatan dibatalkan pimpinan"


def event_types(d) -> list[str]:
    return [e.type for e in d.engine.events(d.instance_id, d.actor("manager"))]


def withdraw(d, username="opd.dinkes", reason=REASON):
    return d.engine.withdraw(d.instance_id, d.actor(username), reason)


def bookings(d) -> int:
    with d.engine.db.reading() as session:
        return len(session.scalars(select(Booking).where(Booking.instance_id == d.instance_id)).all())


def test_withdrawal_after_the_meeting_was_made_deletes_it(zd, zoom, clock):
    to_meeting_step(zd, future_request(clock))
    assert len(zoom.state.with_marker(marker(zd))) == 1
    withdraw(zd)
    drain(zd, clock)
    view = zd.instance()
    assert (view.summary.status, view.summary.outcome) == ("completed", "withdrawn")
    assert zoom.state.with_marker(marker(zd)) == [] and bookings(zd) == 0
    assert {"withdrawal_requested", "service_completed", "instance_completed"} <= set(event_types(zd))


def test_withdrawal_before_any_meeting(zd, zoom, clock):
    zd.start(future_request(clock))
    zd.complete("T02_disposition_kadis")
    view = withdraw(zd)
    assert view.tasks == []
    drain(zd, clock)
    assert zd.instance().summary.outcome == "withdrawn" and zoom.state.meetings == {}


def test_withdrawal_while_the_creation_waits_leaves_no_meeting(zd, zoom, clock):
    to_meeting_step(zd, future_request(clock))  # a first meeting exists: delete it behind our back
    zoom.state.meetings.clear()
    withdraw(zd)  # the cancel job finds it gone (404): still withdrawn
    drain(zd, clock)
    assert zd.instance().summary.outcome == "withdrawn"
    other = zd.start(future_request(clock, topic="Rapat kedua"))
    zd.complete("T02_disposition_kadis")
    zd.complete("T03_disposition_kabid")
    task = zd.ready()["T04_disposition_staf"]
    zd.engine.complete_task(task.id, {}, zd.actor("subkoordinator"))  # the create job is queued, not run
    withdraw(zd)
    drain(zd, clock)
    assert zd.instance().summary.outcome == "withdrawn" and other.summary.id == zd.instance_id
    assert zoom.state.with_marker(marker(zd)) == []
    assert [j.status for j in jobs(zd, "cancelled")] == ["cancelled"]  # the creation never ran


def test_who_and_when_may_withdraw(zd, clock):
    zd.start(future_request(clock))
    with pytest.raises(NotFound):
        withdraw(zd, "opd.disdik")
    with pytest.raises(Forbidden):
        withdraw(zd, "kadis")
    with pytest.raises(InvalidData) as invalid:
        withdraw(zd, reason="  ")
    assert "reason" in invalid.value.errors
    withdraw(zd)
    drain(zd, clock)
    with pytest.raises(Conflict):
        withdraw(zd)  # finished
    other = zd.start(future_request(clock))
    clock.set(zd.instance().summary.meeting_start + timedelta(minutes=1))
    with pytest.raises(Conflict, match="started"):
        withdraw(zd)
    assert other.summary.status == "running"


def test_staff_move_the_meeting_and_the_agency_is_told(zd, zoom, clock, tmp_path):
    request = future_request(clock)
    to_meeting_step(zd, request)
    new = datetime.fromisoformat(request["start_at"]) + timedelta(days=1, hours=3)
    view = zd.engine.reschedule_meeting(zd.instance_id, new.isoformat(), zd.actor("staf"), "Narasumber berhalangan")
    assert view.request["start_at"] == new.isoformat() and view.summary.meeting_start == new
    with zd.engine.db.reading() as session:
        booked = session.scalars(select(Booking).where(Booking.instance_id == zd.instance_id)).one()
    assert booked.start == new and booked.host_id == "zoom-1"
    drain(zd, clock)
    made = zoom.state.with_marker(marker(zd))[0]
    assert made["start_time"] == new.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    staff = zd.instance("staf")
    assert staff.meeting["start_at"] == new.isoformat() and "jadwal_diubah" in [x["kind"] for x in staff.letters]
    notice = next((tmp_path / "outbox").glob("jadwal_diubah-*")).read_text(encoding="utf-8")
    assert "Waktu baru" in notice and "Narasumber berhalangan" in notice
    assert {"meeting_rescheduled", "service_completed"} <= set(event_types(zd))
    assert "T06_report_meeting" in zd.ready() and zd.instance().summary.status == "running"


def test_moving_to_a_busy_slot_names_the_free_ones(zd, clock):
    request = future_request(clock)
    to_meeting_step(zd, request)
    busy = datetime.fromisoformat(request["start_at"]) + timedelta(days=1)
    with zd.engine.db.transaction() as session:
        session.add(Booking(host_id="zoom-1", instance_id=None, start=busy, end=busy + timedelta(hours=2)))
    with pytest.raises(InvalidData) as invalid:
        zd.engine.reschedule_meeting(zd.instance_id, busy.isoformat(), zd.actor("subkoordinator"))
    assert "Waktu kosong terdekat" in invalid.value.errors["start_at"][0]
    with pytest.raises(Forbidden):
        zd.engine.reschedule_meeting(zd.instance_id, busy.isoformat(), zd.actor("opd.dinkes"))


def test_a_meeting_gone_at_zoom_makes_the_move_an_incident(zd, zoom, clock):
    request = future_request(clock)
    to_meeting_step(zd, request)
    zoom.state.meetings.clear()
    new = datetime.fromisoformat(request["start_at"]) + timedelta(days=1)
    zd.engine.reschedule_meeting(zd.instance_id, new.isoformat(), zd.actor("staf"))
    drain(zd, clock)
    [job] = jobs(zd, "incident")
    assert "tidak ditemukan atau sudah kedaluwarsa di Zoom" in job.last_error
    assert [i.operator for i in zd.engine.incidents(zd.actor("admin"))] == ["meeting/reschedule"]


def test_a_meeting_made_after_the_withdrawal_is_swept_away(zd, zoom, clock):
    zd.start(future_request(clock))
    withdraw(zd)
    drain(zd, clock)
    assert zd.instance().summary.outcome == "withdrawn"
    zoom.state.create_meeting("zoom1@tarakankota.go.id", {  # a creation that was still running
        "topic": "Rapat", "type": 2, "start_time": "2026-12-09T02:00:00Z", "duration": 90,
        "agenda": f"{marker(zd)}\nDifasilitasi Diskominfo Kota Tarakan"})
    zd.engine.busy_sync.run(clock.now())
    assert zoom.state.with_marker(marker(zd)) == []
    assert event_types(zd)[-1] == "meeting_deleted" and zd.engine.verify_audit(zd.instance_id).ok


def test_a_fulfilled_request_withdrawn_before_its_meeting_deletes_it(zd, zoom, clock):
    to_meeting_step(zd, future_request(clock))
    for step in ("T06_report_meeting", "T07_draft_letter", "T08_review_draft", "T09_sign_letter",
                 "T10_acknowledge_receipt"):
        zd.complete(step)
    drain(zd, clock)
    assert zd.instance().summary.outcome == "fulfilled" and len(zoom.state.with_marker(marker(zd))) == 1
    view = withdraw(zd)
    assert (view.summary.status, view.summary.outcome) == ("completed", "withdrawn") and bookings(zd) == 0
    drain(zd, clock)
    assert zoom.state.with_marker(marker(zd)) == []
    types = event_types(zd)
    assert types[-2:] == ["withdrawal_requested", "service_completed"]
    with pytest.raises(Conflict):
        withdraw(zd)  # already withdrawn
    assert zd.engine.verify_audit(zd.instance_id).ok
