"""Step 5 against the fake Zoom server: every fault ends in exactly one meeting
for the request, or in Staf's manual task, or in an incident an admin can retry."""
import json
from datetime import datetime, timedelta, timezone

import pytest

from engine.storage.models import Booking
from tests.conftest import future_request
from tests.engine.zoom_setup import (HANG, SeededDriver, booking_host, drain, jobs,  # noqa: F401
                                     make_zoom_engine, marker, seeded_db, to_meeting_step, zd, zoom,
                                     zoom_settings)

CREATE = r"/users/[^/]+/meetings"
ZOOM1 = r"/users/zoom1(%40|@)tarakankota\.go\.id/meetings"


def one_meeting(d, zoom) -> dict:
    """The request's single meeting at Zoom, checked against what the request shows."""
    found = zoom.state.with_marker(marker(d))
    assert len(found) == 1, found
    meeting = d.instance("staf").meeting
    assert meeting["meeting_id"] == str(found[0]["id"]) and meeting["provider"] == "zoom"
    assert "T06_report_meeting" in d.ready()
    return found[0]


def audit_text(d) -> str:
    return json.dumps([e.data for e in d.engine.events(d.instance_id, d.actor("manager"))])


def test_the_meeting_is_made_with_no_typing(zd, zoom, clock):
    request = future_request(clock)
    to_meeting_step(zd, request)
    made = one_meeting(zd, zoom)
    start = datetime.fromisoformat(request["start_at"]).astimezone(timezone.utc)
    assert made["start_time"] == start.strftime("%Y-%m-%dT%H:%M:%SZ") and made["duration"] == 90
    assert made["settings"]["waiting_room"] is True and made["topic"] == request["topic"]
    assert 6 <= len(made["password"]) <= 10 and made["agenda"].startswith(marker(zd))
    staff = zd.instance("staf").meeting
    assert staff["start_url"] == made["start_url"] and staff["passcode"] == made["password"]
    assert made["start_url"] not in audit_text(zd)  # the host's link stays out of the audit trail
    assert booking_host(zd) == "zoom-1"
    for step in ("T06_report_meeting", "T07_draft_letter", "T08_review_draft", "T09_sign_letter"):
        zd.complete(step, {"body": "Rincian rapat terlampir."} if step == "T07_draft_letter" else None)
    agency = zd.instance("opd.dinkes").meeting
    assert agency["join_url"] and "start_url" not in agency
    assert zd.instance("staf").meeting["start_url"]


@pytest.mark.parametrize("fault", [
    dict(kind="timeout_after", delay=HANG),  # Zoom made it, the answer never came
    dict(kind="timeout_before", delay=HANG),  # nothing made
    dict(kind="500"),
    dict(kind="429", retry_after="0"),
    dict(kind="expire_token"),
])
def test_a_failed_create_still_gives_one_meeting(zd, zoom, clock, fault):
    zoom.state.fail("POST", CREATE, **fault)
    to_meeting_step(zd, future_request(clock))
    drain(zd, clock)
    one_meeting(zd, zoom)


def test_a_long_retry_after_is_left_to_the_worker(zd, zoom, clock):
    zoom.state.fail("POST", CREATE, "429", retry_after="600")
    to_meeting_step(zd, future_request(clock))
    [job] = jobs(zd, "pending")
    assert job.next_attempt_at >= clock.now() + timedelta(seconds=600)
    assert "Batas laju permintaan Zoom" in job.last_error
    clock.advance(seconds=800)
    drain(zd, clock)
    one_meeting(zd, zoom)


def test_a_retry_after_date_is_honoured(zd, zoom, clock):
    later = datetime.now(timezone.utc) + timedelta(hours=2)
    zoom.state.fail("POST", CREATE, "429", retry_after=later.strftime("%a, %d %b %Y %H:%M:%S GMT"))
    to_meeting_step(zd, future_request(clock))
    [job] = jobs(zd, "pending")
    assert job.next_attempt_at >= clock.now() + timedelta(seconds=7000)


@pytest.mark.parametrize("fault", [dict(kind="daily"), dict(kind="error", status=400, code=3161),
                                   dict(kind="error", status=404, code=1001)])
def test_a_blocked_host_hands_over_to_the_next_free_one(zd, zoom, clock, fault):
    zoom.state.fail("POST", ZOOM1, **fault)
    to_meeting_step(zd, future_request(clock))
    made = one_meeting(zd, zoom)
    assert made["host_email"] == "zoom2@tarakankota.go.id"
    assert zd.instance("staf").meeting["host_id"] == booking_host(zd) == "zoom-2"


def test_every_host_blocked_goes_to_the_manual_task(zd, zoom, clock):
    zoom.state.fail("POST", CREATE, "daily", times=2)
    to_meeting_step(zd, future_request(clock))
    assert set(zd.ready()) == {"T05_enter_meeting_details"}
    assert zoom.state.with_marker(marker(zd)) == []
    task = zd.engine.get_task(zd.ready()["T05_enter_meeting_details"].id, zd.actor("staf"))
    assert "Batas harian Zoom" in task.context["meeting_error"]["message"]  # Staf reads why


@pytest.mark.parametrize("code, words", [(4700, "scope"), (300, "parameter tidak valid"),
                                         (124, "Token akses Zoom")])
def test_a_configuration_error_is_an_incident_an_admin_retries(zd, zoom, clock, code, words):
    # a 124 is answered once more after the fresh token: it stays until the admin fixed it
    zoom.state.fail("POST", CREATE, "error", status=401 if code == 124 else 400, code=code,
                    times=2 if code == 124 else 1)
    to_meeting_step(zd, future_request(clock))
    [job] = jobs(zd, "incident")
    assert words in job.last_error and zd.instance().summary.status == "error"
    assert [i.id for i in zd.engine.incidents(zd.actor("admin"))] == [job.id]
    zd.engine.retry_job(job.id, zd.actor("admin"))
    drain(zd, clock)
    one_meeting(zd, zoom)
    assert zd.instance().summary.status == "running"


def test_retries_running_out_become_an_incident(zd, zoom, clock):
    fault = zoom.state.fail("POST", CREATE, "500", times=99)
    to_meeting_step(zd, future_request(clock))
    drain(zd, clock)
    [job] = jobs(zd, "incident")
    assert job.attempts == 3 and "HTTP 500" in job.last_error
    fault.times = 0
    zd.engine.retry_job(job.id, zd.actor("admin"))
    drain(zd, clock)
    one_meeting(zd, zoom)


def test_wrong_credentials_are_an_incident_without_the_secret(make_zoom_engine, zoom, clock, caplog):
    d = SeededDriver(make_zoom_engine(zoom=zoom_settings(zoom, client_secret="wrong-secret-123")))
    to_meeting_step(d, future_request(clock))
    [job] = jobs(d, "incident")
    assert "Kredensial Zoom ditolak" in job.last_error
    assert "wrong-secret-123" not in caplog.text + audit_text(d) + job.last_error


def test_a_meeting_left_by_an_earlier_attempt_is_adopted_and_set_right(zd, zoom, clock):
    request = future_request(clock)
    zd.start(request)
    zd.complete("T02_disposition_kadis")
    zd.complete("T03_disposition_kabid")
    with zd.engine.db.transaction() as session:  # zoom-2 is busy now: still searched, never booked anew
        session.add(Booking(host_id="zoom-2", instance_id=None, start=datetime.fromisoformat(request["start_at"]),
                            end=datetime.fromisoformat(request["start_at"]) + timedelta(hours=2)))
    zoom.state.create_meeting("zoom2@tarakankota.go.id", {  # made, but its answer was lost
        "topic": request["topic"], "type": 2, "start_time": "2026-12-09T05:00:00Z", "duration": 30,
        "agenda": f"{marker(zd)}\nDifasilitasi Diskominfo Kota Tarakan"})
    zd.complete("T04_disposition_staf")
    made = one_meeting(zd, zoom)
    start = datetime.fromisoformat(request["start_at"]).astimezone(timezone.utc)
    assert (made["start_time"], made["duration"]) == (start.strftime("%Y-%m-%dT%H:%M:%SZ"), 90)
    assert booking_host(zd) == "zoom-2" and zd.instance("staf").meeting["start_at"] == request["start_at"]
