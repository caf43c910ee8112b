"""Letters over HTTP: the draft preview (staff only), sent letters (staff and
the requesting agency), the disposition sheet, the schedule-full notice."""
import hashlib
from datetime import datetime, timedelta

from engine.storage.models import Booking
from tests.api.sop_http import HttpSop
from tests.engine.documents import pdf_text

MEETING = {"meeting_id": "987 6543 2109", "passcode": "abc123",
           "join_url": "https://zoom.us/j/98765432109"}


def test_preview_download_and_sheet(api, clock):
    sop = HttpSop(api, clock)
    sop.start()
    for name in ("T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf"):
        sop.complete(name)
    sop.complete("T05_enter_meeting_details", **MEETING)
    sop.complete("T06_report_meeting")
    base = f"/instances/{sop.instance_id}"
    assert api.get(f"{base}/letters/draft.pdf", "kabid").status_code == 404  # nothing drafted yet
    live = api.post(f"{base}/letters/draft.pdf", "subkoordinator",
                    json={"data": {"subject": "Hal yang sedang diketik", "body": "Paragraf baru."}})
    assert live.status_code == 200 and "Hal yang sedang diketik" in pdf_text(live.data)
    bad = api.post(f"{base}/letters/draft.pdf", "subkoordinator",
                   json={"data": {"urgency": "kilat"}})
    assert bad.status_code == 422 and "urgency" in bad.json["errors"]
    # the preview stored nothing
    assert api.get(f"{base}/letters/draft.pdf", "kabid").status_code == 404
    sop.complete("T07_draft_letter", subject="Tanggapan atas Permohonan Fasilitasi Zoom Meeting",
                 urgency="segera")
    preview = api.get(f"{base}/letters/draft.pdf", "kabid")
    assert (preview.status_code, preview.mimetype) == (200, "application/pdf")
    assert preview.headers["Cache-Control"] == "no-store"
    text = pdf_text(preview.data)
    assert "KONSEP" in text and "Sifat : Segera" in text and "987 6543 2109" in text
    assert {user: api.get(f"{base}/letters/draft.pdf", user).status_code
            for user in ("opd.dinkes", "opd.disdik", None)} == {
        "opd.dinkes": 403, "opd.disdik": 404, None: 401}
    sheet = api.get(f"{base}/disposition.pdf", "kadis")
    assert sheet.status_code == 200 and "LEMBAR DISPOSISI" in pdf_text(sheet.data)
    assert api.get(f"{base}/disposition.pdf", "opd.dinkes").status_code == 403
    sop.complete("T08_review_draft")
    sop.complete("T09_sign_letter")
    [letter] = sop.instance("opd.dinkes")["letters"]
    assert letter["kind"] == "surat_tanggapan" and letter["number"].endswith("/1/DKISP/2026")
    sent = api.get(f"{base}/letters/{letter['id']}.pdf", "opd.dinkes")
    assert sent.status_code == 200 and sent.headers["Content-Disposition"].startswith("attachment")
    assert letter["number"] in pdf_text(sent.data)
    assert api.get(f"{base}/letters/{letter['id']}.pdf", "opd.disdik").status_code == 404
    assert api.get(f"{base}/letters/{letter['id'] + 99}.pdf", "kadis").status_code == 404


def test_the_agency_downloads_the_schedule_full_notice(api, clock):
    sop = HttpSop(api, clock, "dishub")
    sop.start()
    start = datetime.fromisoformat(sop.instance()["request"]["start_at"])
    with api.engine.db.transaction() as session:
        for host in ("zoom-1", "zoom-2"):
            session.add(Booking(host_id=host, instance_id=None, start=start - timedelta(hours=1),
                                end=start + timedelta(hours=2)))
    sop.complete("T02_disposition_kadis")
    sop.complete("T03_disposition_kabid")
    [notice] = sop.instance("opd.dishub")["letters"]
    assert notice["kind"] == "jadwal_penuh" and notice["number"] is None
    response = api.get(f"/instances/{sop.instance_id}/letters/{notice['id']}.pdf", "opd.dishub")
    text = pdf_text(response.data)
    assert "Pemberitahuan Jadwal Zoom Meeting Penuh" in text
    assert "Yth. Kepala Dinas Perhubungan" in text
    assert " WITA" in text and "waktu berikut masih tersedia" in text


def test_a_review_waits_for_its_konsep_and_the_task_says_so(api, clock):
    sop = HttpSop(api, clock)
    sop.start()
    for name in ("T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf"):
        sop.complete(name)
    sop.complete("T05_enter_meeting_details", **MEETING)
    sop.complete("T06_report_meeting")
    draft = sop.ready()["T07_draft_letter"]
    assert api.get(f"/tasks/{draft['id']}", "subkoordinator").json["document"] is None  # not a review
    sent = api.post(f"/tasks/{draft['id']}/complete", "subkoordinator", json={"data": {}})
    assert sent.status_code == 200  # the worker has not laid out the konsep yet
    review = sop.ready()["T08_review_draft"]
    waiting = api.get(f"/tasks/{review['id']}", "kabid").json["document"]
    assert (waiting["stage"], waiting["version"], waiting["state"], waiting["sha256"]) == ("konsep", 1, "pending",
                                                                                          None)
    refused = api.post(f"/tasks/{review['id']}/complete", "kabid", json={"data": {"decision": "approve"}})
    assert refused.status_code == 409 and "sedang disiapkan" in refused.json["message"]
    api.work()
    ready = api.get(f"/tasks/{review['id']}", "kabid").json["document"]
    konsep = api.get(f"/instances/{sop.instance_id}/letters/draft.pdf", "kabid").data
    assert ready["state"] == "ready" and ready["sha256"] == hashlib.sha256(konsep).hexdigest()
    assert api.post(f"/tasks/{review['id']}/complete", "kabid",
                    json={"data": {"decision": "approve"}}).status_code == 200
