"""Every path of the SOP, in memory, saved and restored after every step."""
from datetime import timedelta

import pytest

from tests.fakes.memory_ports import MemoryPorts
from engine.services.schedule import Booking
from tests.conftest import future_request
from tests.engine.documents import pdf_text, sent_pdf
from tests.engine.sop import MemoryInstance


class WorkingProvider:
    """A meeting provider that answers like Zoom would."""

    name = "stub"

    def __init__(self):
        self.calls = []

    def create(self, *, topic, start_at, duration_minutes, host_id, idempotency_key):
        self.calls.append(idempotency_key)
        return {"meeting_id": "12345678901", "passcode": "x7Yq2a", "join_url": "https://zoom.us/j/12345678901",
                "host_id": host_id}


def take_every_host(inst, request):
    """Book every host account around the request's start for another request."""
    from datetime import datetime
    start = datetime.fromisoformat(request["start_at"])
    for host in inst.ports.schedule.hosts():
        inst.ports.schedule.bookings.append(
            Booking(host.id, start - timedelta(minutes=30), start + timedelta(hours=1), "other"))


def decide_at(inst, step, decision, reason):
    """Forward down the dispositions until ``step``, which decides otherwise with ``reason``."""
    for current in ["T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf"]:
        if current == step:
            inst.complete(current, {"decision": decision, "reason": reason})
            return
        inst.complete(current)


def approve_all(inst):
    inst.complete("T02_disposition_kadis")
    inst.complete("T03_disposition_kabid")


def finish_letter(inst):
    inst.complete("T06_report_meeting")
    inst.complete("T07_draft_letter", {"body": "Bersama ini kami sampaikan detail rapat."})
    inst.complete("T08_review_draft")
    inst.complete("T09_sign_letter")
    inst.complete("T10_acknowledge_receipt")


@pytest.fixture
def working(clock):
    ports = MemoryPorts(meeting_provider=WorkingProvider())
    return MemoryInstance(clock, ports=ports)


def test_schedule_free_to_fulfilled(working, clock):
    inst = working.start(future_request(clock))
    assert set(inst.ready()) == {"T02_disposition_kadis"}
    approve_all(inst)
    assert inst.data["schedule"]["status"] == "free"
    assert set(inst.ready()) == {"T04_disposition_staf"}
    inst.complete("T04_disposition_staf")
    assert "T05_create_meeting" in inst.steps
    assert inst.data["meeting"]["meeting_id"] == "12345678901"
    assert set(inst.ready()) == {"T06_report_meeting"}
    finish_letter(inst)
    assert inst.outcome == "fulfilled"
    letter = pdf_text(sent_pdf(inst.ports, "Surat-Tanggapan"))
    assert "123 4567 8901" in letter and "x7Yq2a" in letter
    assert len(inst.ports.schedule.bookings) == 1


def test_schedule_full_to_notice(working, clock):
    request = future_request(clock)
    take_every_host(working, request)
    inst = working.start(request)
    approve_all(inst)
    assert inst.data["schedule"]["status"] == "full"
    assert len(inst.data["schedule"]["alternatives"]) == 3
    assert "T04_notify_schedule_full" in inst.steps
    assert set(inst.ready()) == {"T04_choose_alternative"}
    assert inst.ready()["T04_choose_alternative"].lane == "OPD"
    inst.complete("T04_choose_alternative", {"action": "decline"})
    assert inst.outcome == "schedule_full"
    notice = pdf_text(sent_pdf(inst.ports, "Pemberitahuan-Jadwal-Penuh"))
    assert "waktu berikut masih tersedia" in notice


def test_schedule_full_then_an_alternative_slot_is_taken(working, clock):
    request = future_request(clock)
    take_every_host(working, request)
    inst = working.start(request)
    approve_all(inst)
    slot = inst.data["schedule"]["alternatives"][0]
    inst.complete("T04_choose_alternative", {"action": "reschedule", "start_at": slot})
    assert inst.data["request"]["start_at"] == slot
    assert inst.data["schedule"]["status"] == "free"  # step 4 again, with the new time
    assert set(inst.ready()) == {"T04_disposition_staf"}
    inst.complete("T04_disposition_staf")
    finish_letter(inst)
    assert inst.outcome == "fulfilled"


def test_meeting_creation_failing_goes_to_manual_task(clock):
    inst = MemoryInstance(clock).start(future_request(clock))  # the manual provider fails by design
    approve_all(inst)
    inst.complete("T04_disposition_staf")
    assert set(inst.ready()) == {"T05_enter_meeting_details"}
    assert inst.ready()["T05_enter_meeting_details"].lane == "Staf"
    inst.complete("T05_enter_meeting_details", {"meeting_id": "987 6543 2109", "passcode": "abc123",
                                                "join_url": "https://zoom.us/j/98765432109"})
    assert inst.data["meeting"]["passcode"] == "abc123"
    finish_letter(inst)
    assert inst.outcome == "fulfilled"
    assert not inst.error_tasks()


@pytest.mark.parametrize("returner", ["T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf"])
def test_return_to_agency_and_resubmission(working, clock, returner):
    inst = working.start(future_request(clock))
    decide_at(inst, returner, "return", "Lampirkan surat yang ditandatangani")
    assert set(inst.ready()) == {"T01_complete_request"}
    assert inst.ready()["T01_complete_request"].lane == "OPD"
    inst.complete("T01_complete_request", {"participants": 80, "response_note": "Sudah dilengkapi"})
    assert inst.data["request"]["participants"] == 80
    assert inst.data["request"]["topic"] == "Rapat koordinasi stunting"  # kept from the first submission
    assert set(inst.ready()) == {"T02_disposition_kadis"}
    approve_all(inst)
    inst.complete("T04_disposition_staf")
    finish_letter(inst)
    assert inst.outcome == "fulfilled"


def test_withdrawal_after_return(working, clock):
    inst = working.start(future_request(clock))
    inst.complete("T02_disposition_kadis", {"decision": "return", "reason": "Nomor surat tidak terbaca"})
    inst.complete("T01_complete_request", {"action": "withdraw"})
    assert inst.outcome == "withdrawn"


@pytest.mark.parametrize("rejecter", ["T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf"])
def test_rejection_with_reason(working, clock, rejecter):
    inst = working.start(future_request(clock))
    decide_at(inst, rejecter, "reject", "Bukan kegiatan kedinasan")
    assert inst.outcome == "rejected"
    assert inst.ready() == {}


def test_draft_returned_by_kabid_and_kadis_then_approved(working, clock):
    inst = working.start(future_request(clock))
    approve_all(inst)
    inst.complete("T04_disposition_staf")
    inst.complete("T06_report_meeting")
    inst.complete("T07_draft_letter")
    inst.complete("T08_review_draft", {"decision": "return", "note": "Perbaiki tanggal surat"})
    assert set(inst.ready()) == {"T07_draft_letter"}
    inst.complete("T07_draft_letter", {"body": "Versi kedua"})
    inst.complete("T08_review_draft")
    inst.complete("T09_sign_letter", {"decision": "return", "note": "Tambahkan tembusan"})
    assert set(inst.ready()) == {"T07_draft_letter"}
    inst.complete("T07_draft_letter", {"body": "Versi ketiga", "carbon_copy": ["Wali Kota Tarakan"]})
    inst.complete("T08_review_draft")
    inst.complete("T09_sign_letter")
    assert inst.data["letter_draft"]["body"] == "Versi ketiga"
    inst.complete("T10_acknowledge_receipt")
    assert inst.outcome == "fulfilled"


def test_step5_timer_fires_while_manual_task_stays_open(clock):
    inst = MemoryInstance(clock).start(future_request(clock))
    approve_all(inst)
    inst.complete("T04_disposition_staf")
    due = inst.ready()["T05_enter_meeting_details"].due_at
    assert due == clock.now() + timedelta(minutes=15)
    clock.advance(minutes=10)
    assert inst.fire_timers() == []
    clock.advance(minutes=6)
    events = inst.fire_timers()
    assert [e.type for e in events] == ["timer_fired", "escalated"]
    assert events[1].data["result"]["step"] == "SP05_create_meeting"
    assert inst.ports.escalations.records[0][1] == "SP05_create_meeting"
    assert set(inst.ready()) == {"T05_enter_meeting_details"}  # non-interrupting
    clock.advance(hours=1)
    assert inst.fire_timers() == []  # fires once
    inst.complete("T05_enter_meeting_details", {"meeting_id": "98765432109", "passcode": "p4ss",
                                                "join_url": "https://zoom.us/j/98765432109"})
    finish_letter(inst)
    assert inst.outcome == "fulfilled"


def test_step8_timer_fires_after_one_day_while_draft_waits(working, clock):
    inst = working.start(future_request(clock))
    approve_all(inst)
    inst.complete("T04_disposition_staf")
    inst.complete("T06_report_meeting")
    inst.complete("T07_draft_letter")
    assert inst.ready()["T08_review_draft"].due_at == clock.now() + timedelta(days=1)
    clock.advance(hours=23)
    assert inst.fire_timers() == []
    clock.advance(hours=2)
    assert [e.type for e in inst.fire_timers()] == ["timer_fired", "escalated"]
    assert set(inst.ready()) == {"T08_review_draft"}
    inst.complete("T08_review_draft")
    inst.complete("T09_sign_letter")
    inst.complete("T10_acknowledge_receipt")
    assert inst.outcome == "fulfilled"


def test_timers_do_not_fire_when_steps_finish_in_time(working, clock):
    inst = working.start(future_request(clock))
    approve_all(inst)
    inst.complete("T04_disposition_staf")  # the provider works: step 5 ends at once
    inst.complete("T06_report_meeting")
    inst.complete("T07_draft_letter")
    clock.advance(hours=2)
    inst.complete("T08_review_draft")
    clock.advance(days=3)
    assert inst.fire_timers() == []
    assert inst.ports.escalations.records == []
