"""Every branch of the SOP over HTTP, as the demo users, with bodies built
from the forms the API returns."""
from datetime import datetime, timedelta, timezone

import pytest

from tests.api.sop_http import HttpSop

WITA = timezone(timedelta(hours=8))
MEETING = {"meeting_id": "987 6543 2109", "passcode": "abc123",
           "join_url": "https://zoom.us/j/98765432109"}


@pytest.fixture
def sop(api, clock):
    return HttpSop(api, clock)


def through_dispositions(sop):
    sop.complete("T02_disposition_kadis")
    sop.complete("T03_disposition_kabid")


def test_fulfilled(sop, api):
    started = sop.start()
    assert (started["status"], started["outcome"], started["agency"]) == ("running", None, "dinkes")
    assert [t["name"] for t in started["tasks"]] == ["T02_disposition_kadis"]
    through_dispositions(sop)
    assert sop.instance()["schedule"]["status"] == "free"
    sop.complete("T04_disposition_staf")
    assert set(sop.ready()) == {"T05_enter_meeting_details"}  # the manual provider hands over
    assert sop.instance("opd.dinkes")["meeting"] is None  # not before the letter is sent
    sop.complete("T05_enter_meeting_details", **MEETING)
    for name in ("T06_report_meeting", "T07_draft_letter", "T08_review_draft", "T09_sign_letter"):
        sop.complete(name)
    agency_view = sop.instance("opd.dinkes")
    assert agency_view["meeting"]["passcode"] == "abc123"
    assert [x["kind"] for x in agency_view["letters"]] == ["surat_tanggapan"]
    assert agency_view["dispositions"] == []  # internal notes stay inside Diskominfo
    done = sop.complete("T10_acknowledge_receipt")
    assert (done["instance"]["status"], done["instance"]["outcome"], done["tasks"]) == \
        ("completed", "fulfilled", [])
    events = api.get(f"/instances/{sop.instance_id}/events", "manager").json
    assert events[0]["type"] == "instance_started" and events[-1]["type"] == "instance_completed"
    assert all(datetime.fromisoformat(e["at"]).utcoffset() is not None for e in events)


def test_schedule_full(api, clock):
    first, second, third = (HttpSop(api, clock, a) for a in ("dinkes", "disdik", "dishub"))
    for occupant in (first, second):  # each books one of the two demo hosts (capacity 1)
        occupant.start()
        through_dispositions(occupant)
        assert occupant.instance()["schedule"]["status"] == "free"
    third.start()
    through_dispositions(third)
    third.complete("T04_choose_alternative", action="decline")
    assert third.outcome() == ("completed", "schedule_full")
    view = third.instance("opd.dishub")
    assert [x["kind"] for x in view["letters"]] == ["jadwal_penuh"]
    assert view["schedule"]["alternatives"]


def test_rejected(sop):
    sop.start()
    sop.complete("T02_disposition_kadis", decision="reject", reason="Bukan kegiatan kedinasan")
    assert sop.outcome() == ("completed", "rejected")
    assert sop.instance()["tasks"] == []


def test_returned_then_withdrawn(sop):
    sop.start()
    sop.complete("T02_disposition_kadis", decision="return", reason="Surat belum ditandatangani")
    assert set(sop.ready()) == {"T01_complete_request"}
    sop.complete("T01_complete_request", action="withdraw")
    assert sop.outcome() == ("completed", "withdrawn")


def test_returned_then_resubmitted(sop):
    sop.start()
    sop.complete("T02_disposition_kadis", decision="return", reason="Nomor surat keliru")
    sop.complete("T01_complete_request", letter_number="400.7/124/DINKES/2026")
    assert sop.instance()["request"]["letter_number"] == "400.7/124/DINKES/2026"
    through_dispositions(sop)
    assert sop.instance()["schedule"]["status"] == "free"


def test_draft_returned_then_approved(sop):
    sop.start()
    through_dispositions(sop)
    sop.complete("T04_disposition_staf")
    sop.complete("T05_enter_meeting_details", **MEETING)
    sop.complete("T06_report_meeting")
    sop.complete("T07_draft_letter", body="Draf pertama")
    sop.complete("T08_review_draft", decision="return", note="Perbaiki tanggal rapat")
    assert set(sop.ready()) == {"T07_draft_letter"}
    sop.complete("T07_draft_letter", body="Draf kedua")
    sop.complete("T08_review_draft")
    sop.complete("T09_sign_letter", decision="return", note="Tambahkan tembusan")
    sop.complete("T07_draft_letter", carbon_copy=["Wali Kota Tarakan"])
    sop.complete("T08_review_draft")
    sop.complete("T09_sign_letter")
    sop.complete("T10_acknowledge_receipt")
    assert sop.outcome() == ("completed", "fulfilled")
    decisions = [d["decision"] for d in sop.instance("kadis")["dispositions"]]
    assert "approve" in decisions


def test_timer_fires_through_the_worker(sop, api, clock):
    sop.start()
    through_dispositions(sop)
    sop.complete("T04_disposition_staf")
    task = sop.ready()["T05_enter_meeting_details"]
    due = datetime.fromisoformat(task["due_at"])
    assert due == clock.now() + timedelta(minutes=15)
    clock.advance(minutes=16)
    api.work()
    types = [e["type"] for e in api.get(f"/instances/{sop.instance_id}/events", "manager").json]
    assert types[-2:] == ["timer_fired", "escalated"]
    assert set(sop.ready()) == {"T05_enter_meeting_details"}


def test_instance_list_filters(api, clock):
    sop = HttpSop(api, clock)
    sop.start()
    start = datetime.fromisoformat(sop.instance()["meeting_start"])
    day = start.astimezone(WITA).date()
    page = api.get("/instances?agency=dinkes&status=running", "manager").json
    assert page["total"] == 1 and page["items"][0]["id"] == sop.instance_id
    hour = timedelta(hours=1)
    around = {"from": (start - hour).isoformat(), "to": (start + hour).isoformat()}
    assert api.get("/instances", "manager", query_string=around).json["total"] == 1
    assert api.get(f"/instances?from={day}&to={day}", "manager").json["total"] == 1
    assert api.get(f"/instances?from={day + timedelta(days=1)}", "manager").json["total"] == 0
    assert api.get(f"/instances?to={day - timedelta(days=1)}", "manager").json["total"] == 0
    assert api.get("/instances?outcome=fulfilled", "manager").json["total"] == 0
    assert api.get("/instances?q=stunting", "manager").json["total"] == 0
    blank = "/instances?status=&outcome=&agency=&from=&to=&page=&per_page="
    assert api.get(blank, "manager").json["total"] == 1
    empty = api.get("/instances?page=2&per_page=1", "manager").json
    assert (empty["items"], empty["page"], empty["per_page"], empty["total"]) == ([], 2, 1, 1)
