"""Every SOP path through the facade with a database, a new engine (a
restart) after every step, on SQLite and PostgreSQL."""
from datetime import datetime, timedelta

import pytest

from engine.storage.models import Booking
from tests.conftest import future_request
from tests.engine.driver import Driver

MANUAL_MEETING = {"meeting_id": "987 6543 2109", "passcode": "abc123",
                  "join_url": "https://zoom.us/j/98765432109"}


@pytest.fixture
def driver(make_engine):
    return Driver(make_engine(), restart=make_engine)


def through_disposition(d):
    d.complete("T02_disposition_kadis", {"instructions": ["Untuk ditindaklanjuti", "Jadwalkan"],
                                         "note": "Mohon difasilitasi"})
    d.complete("T03_disposition_kabid")


def letter_steps(d):
    d.complete("T06_report_meeting")
    d.complete("T07_draft_letter", {"body": "Bersama ini kami sampaikan detail rapat."})
    d.complete("T08_review_draft")
    d.complete("T09_sign_letter")


def test_fulfilled_with_manual_meeting_details(driver, clock):
    d = driver
    view = d.start(future_request(clock))
    assert view.summary.status == "running" and view.summary.agency == "dinkes"
    assert set(d.ready()) == {"T02_disposition_kadis"}
    through_disposition(d)
    assert d.instance().schedule["status"] == "free"
    d.complete("T04_disposition_staf")
    assert set(d.ready()) == {"T05_enter_meeting_details"}  # the manual provider hands over
    d.complete("T05_enter_meeting_details", MANUAL_MEETING)
    letter_steps(d)
    opd_view = d.instance("opd.dinkes")
    assert opd_view.meeting["passcode"] == "abc123"  # visible to the agency once the letter is sent
    assert [x["kind"] for x in opd_view.letters] == ["surat_tanggapan"]
    d.complete("T10_acknowledge_receipt")
    final = d.instance()
    assert (final.summary.status, final.summary.outcome) == ("completed", "fulfilled")
    types = [e.type for e in d.engine.events(d.instance_id, d.actor("manager"))]
    assert types[0] == "instance_started" and types[-1] == "instance_completed"
    assert {"task_completed", "service_completed", "service_failed"} <= set(types)
    assert d.engine.verify_audit(d.instance_id).ok


def test_schedule_full_sends_notice(driver, clock):
    d = driver
    request = future_request(clock)
    start = datetime.fromisoformat(request["start_at"])
    with d.engine.db.transaction() as session:
        for host in ("zoom-1", "zoom-2"):
            session.add(Booking(host_id=host, instance_id=None, start=start, end=start + timedelta(hours=2)))
    d.start(request)
    through_disposition(d)
    assert set(d.ready()) == {"T04_choose_alternative"}
    d.complete("T04_choose_alternative", {"action": "decline"})
    view = d.instance()
    assert (view.summary.status, view.summary.outcome) == ("completed", "schedule_full")
    assert [x["kind"] for x in view.letters] == ["jadwal_penuh"]
    assert view.schedule["alternatives"]


def test_return_resubmit_then_reject(driver, clock):
    d = driver
    d.start(future_request(clock))
    d.complete("T02_disposition_kadis", {"decision": "return", "reason": "Surat belum ditandatangani"})
    assert set(d.ready()) == {"T01_complete_request"}
    d.complete("T01_complete_request", {"letter_number": "400.7/124/DINKES/2026"})
    assert d.instance().request["letter_number"] == "400.7/124/DINKES/2026"
    d.complete("T02_disposition_kadis")
    d.complete("T03_disposition_kabid", {"decision": "reject", "reason": "Bukan kegiatan kedinasan"})
    view = d.instance()
    assert view.summary.outcome == "rejected" and view.tasks == []
    with d.engine.db.reading() as session:
        assert session.query(Booking).count() == 0


def test_draft_returned_by_kabid_and_kadis(driver, clock):
    d = driver
    d.start(future_request(clock))
    through_disposition(d)
    d.complete("T04_disposition_staf")
    d.complete("T05_enter_meeting_details", MANUAL_MEETING)
    d.complete("T06_report_meeting")
    d.complete("T07_draft_letter")
    d.complete("T08_review_draft", {"decision": "return", "note": "Perbaiki tanggal"})
    d.complete("T07_draft_letter")
    d.complete("T08_review_draft")
    d.complete("T09_sign_letter", {"decision": "return", "note": "Tambahkan tembusan"})
    d.complete("T07_draft_letter")
    d.complete("T08_review_draft")
    d.complete("T09_sign_letter")
    d.complete("T10_acknowledge_receipt")
    assert d.instance().summary.outcome == "fulfilled"


def test_timers_fire_through_the_worker(driver, clock):
    d = driver
    d.start(future_request(clock))
    through_disposition(d)
    d.complete("T04_disposition_staf")
    task = d.ready()["T05_enter_meeting_details"]
    assert task.due_at == clock.now() + timedelta(minutes=15)
    clock.advance(minutes=11)  # two thirds of the standard: the assignees are reminded
    d.work()
    events = d.engine.events(d.instance_id, d.actor("manager"))
    assert events[-1].type == "reminder_sent" and events[-1].data["recipients"] == ["staf"]
    clock.advance(minutes=5)
    d.work()
    events = d.engine.events(d.instance_id, d.actor("manager"))
    types = [e.type for e in events]
    assert types[-2:] == ["timer_fired", "escalated"]
    assert types.count("reminder_sent") == 1
    assert events[-1].data["result"]["notified"] == ["subkoordinator"]  # Staf's superior
    assert set(d.ready()) == {"T05_enter_meeting_details"}
    d.work()
    assert [e.type for e in d.engine.events(d.instance_id, d.actor("manager"))].count("timer_fired") == 1
