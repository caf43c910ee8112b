"""Bad input on the pages: each answered clearly in place, nothing stored."""
import io
from datetime import datetime, timezone

from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.web.browser import Pages
from tests.web.flow import PageSop, html_form

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _count(sop) -> int:
    return sop.engine.list_instances(sop.engine.actor("admin")).total


def test_missing_fields_are_named_and_what_was_typed_stays(pages, clock):
    sop = PageSop(pages, clock)
    form = html_form(sop.start_schema(), clock, {"topic": "Rapat evaluasi SPBE"})
    del form["letter_number"], form["participants"]
    response = pages("opd.dinkes").submit("/permohonan/baru", form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="e-letter_number"' in page and 'id="e-participants"' in page and "Wajib diisi." in page
    assert 'value="Rapat evaluasi SPBE"' in page
    assert _count(sop) == 0


def test_a_start_in_the_past_is_refused(pages, clock):
    sop = PageSop(pages, clock)
    response = sop.submit(start_at="2026-12-01T10:00:00+08:00")
    assert response.status_code == 422
    assert "Waktu mulai harus di masa depan." in response.get_data(as_text=True)
    assert 'value="2026-12-01T10:00"' in response.get_data(as_text=True)
    assert _count(sop) == 0


def test_the_meeting_time_is_read_as_wita(pages, clock):
    sop = PageSop(pages, clock)
    form = html_form(sop.start_schema(), clock)
    form["start_at"] = "2026-12-09T10:00"
    response = pages("opd.dinkes").submit("/permohonan/baru", form)
    assert response.status_code == 302
    instance_id = response.headers["Location"].rsplit("/", 1)[-1]
    view = sop.engine.get_instance(instance_id, sop.engine.actor("admin"))
    assert view.summary.meeting_start.astimezone(timezone.utc) == datetime(2026, 12, 9, 2, 0, tzinfo=timezone.utc)
    page = pages("opd.dinkes").get(f"/permohonan/{instance_id}").get_data(as_text=True)
    assert "9 Desember 2026 pukul 10.00 WITA" in page


def _upload(pages, sop, clock, content: bytes, name: str):
    """Post the start form with an upload, encoded in memory (the test client would
    spool a big body to a temporary file it does not close)."""
    browser = pages("opd.dinkes")
    browser.get("/permohonan/baru")
    form = {**html_form(sop.start_schema(), clock), "csrf_token": browser.token,
            "letter_file": FileStorage(io.BytesIO(content), name)}
    boundary, body = encode_multipart(MultiDict(form))
    return browser.client.post("/permohonan/baru", data=body,
                               content_type=f"multipart/form-data; boundary={boundary}")


def test_a_non_pdf_upload_is_refused_by_its_content(pages, clock):
    sop = PageSop(pages, clock)
    response = _upload(pages, sop, clock, b"MZ\x90\x00 not a pdf", "surat.pdf")
    assert response.status_code == 422
    assert "Berkas ini bukan PDF" in response.get_data(as_text=True)
    assert _count(sop) == 0


def test_a_pdf_one_byte_over_5_mb_is_refused_by_its_field(pages, clock):
    sop = PageSop(pages, clock)
    content = PDF + b"0" * (5 * 1024 * 1024 - len(PDF) + 1)
    response = _upload(pages, sop, clock, content, "surat.pdf")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="e-letter_file"' in page and "lebih dari 5 MB" in page
    assert _count(sop) == 0


def test_a_pdf_of_exactly_5_mb_is_accepted_and_read_back_whole(pages, clock):
    sop = PageSop(pages, clock)
    content = PDF + b"0" * (5 * 1024 * 1024 - len(PDF))
    response = _upload(pages, sop, clock, content, "surat.pdf")
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    scan = pages("opd.dinkes").get(response.headers["Location"] + "/pindaian.pdf")
    assert scan.status_code == 200 and scan.data == content


def test_a_body_beyond_the_limit_gets_a_clear_page(pages, clock):
    sop = PageSop(pages, clock)
    response = _upload(pages, sop, clock, PDF + b"0" * (9 * 1024 * 1024), "surat.pdf")
    assert response.status_code == 413
    assert "paling besar 5 MB" in response.get_data(as_text=True)
    assert _count(sop) == 0


def test_a_pdf_letter_is_stored_with_the_request(pages, clock):
    sop = PageSop(pages, clock)
    response = _upload(pages, sop, clock, PDF, "surat.pdf")
    assert response.status_code == 302
    page = pages("opd.dinkes").get(response.headers["Location"]).get_data(as_text=True)
    assert "Pindaian PDF terlampir" in page


def test_a_replayed_form_without_its_token_stores_nothing(pages, clock):
    sop = PageSop(pages, clock)
    form = html_form(sop.start_schema(), clock)
    response = pages("opd.dinkes").submit("/permohonan/baru", form, token=False)
    assert response.status_code == 400
    assert "kedaluwarsa" in response.get_data(as_text=True)
    assert _count(sop) == 0


def test_a_disposition_returned_without_a_reason_names_the_field(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    task = sop.ready()[0]
    response = pages("kadis").submit(f"/tugas/{task.id}", {"decision": "return", "note": "Lengkapi"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="e-reason"' in page and "Lengkapi" in page
    assert 'value="return" checked' in page
    assert [t.id for t in sop.ready()] == [task.id]


def test_a_lost_race_shows_the_new_state_not_an_error(pages, clock, app):
    sop = PageSop(pages, clock)
    sop.submit()
    task = sop.ready()[0]
    first, second = pages("kadis"), Pages(app, "kadis")
    first.get(f"/tugas/{task.id}")
    second.get(f"/tugas/{task.id}")
    data = {**html_form(sop.engine.get_task(task.id, sop.engine.actor("kadis")).form.schema, clock),
            "instance_id": sop.instance_id}
    assert first.client.post(f"/tugas/{task.id}", data={**data, "csrf_token": first.token}).status_code == 302
    response = second.client.post(f"/tugas/{task.id}", data={**data, "csrf_token": second.token})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "sudah diselesaikan" in page and "Tahap permohonan sekarang" in page and "Kepala Bidang" in page
    assert "Traceback" not in page


def test_engine_messages_follow_the_chosen_language(pages, clock):
    sop = PageSop(pages, clock)
    agency = pages("opd.dinkes")
    agency.submit("/bahasa", {"lang": "en", "next": "/permohonan/baru"}, page="/permohonan/baru")
    form = html_form(sop.start_schema(), clock)
    del form["topic"]
    page = agency.submit("/permohonan/baru", form).get_data(as_text=True)
    assert "This field is required." in page


def test_the_scan_size_reads_in_bytes_or_kilobytes_never_zero(pages, clock):
    small = _upload(pages, PageSop(pages, clock), clock, PDF, "surat.pdf")
    page = pages("opd.dinkes").get(small.headers["Location"]).get_data(as_text=True)
    assert f"Pindaian PDF terlampir ({len(PDF)} bita)" in page
    larger = PDF + b"%" + b"x" * 1600 + b"\n"
    response = _upload(pages, PageSop(pages, clock), clock, larger, "surat.pdf")
    page = pages("opd.dinkes").get(response.headers["Location"]).get_data(as_text=True)
    assert f"Pindaian PDF terlampir ({len(larger) / 1024:.1f} KB)".replace(".", ",") in page
