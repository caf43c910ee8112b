"""Wording a person reads on the way: a completed task opened later, a bad
tracking link for a public visitor, the favicon."""
import io

from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.web.flow import PageSop, html_form


def test_opening_a_completed_task_does_not_speak_of_someone_sending_first(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    done = sop.complete_next()
    response = pages("kadis").get(f"/tugas/{done.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Langkah ini sudah dikerjakan" in page and "sebelum Anda mengirim" not in page


def test_a_bad_tracking_link_offers_a_public_visitor_the_home_page_not_an_inbox(pages):
    page = pages(None).get("/lacak/bukan-token-yang-benar").get_data(as_text=True)
    assert "Kembali ke kotak masuk" not in page and "Ke halaman utama" in page


def test_an_agency_is_sent_back_to_its_requests_from_an_error(pages):
    page = pages("opd.dinkes").get("/tugas/00000000-0000-0000-0000-000000000000").get_data(as_text=True)
    assert "Kembali ke permohonan saya" in page and "Kembali ke kotak masuk" not in page


def test_the_favicon_is_served_and_linked(pages):
    browser = pages(None)
    icon = browser.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
    assert 'rel="icon"' in browser.get("/masuk").get_data(as_text=True)


def test_the_timeline_says_a_decision_in_words_not_its_stored_value(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    sop.complete_next()  # the Kadis forwards (the form's default)
    page = pages("kabid").get(f"/permohonan/{sop.instance_id}").get_data(as_text=True)
    assert "<dt>Keputusan</dt><dd>Diteruskan</dd>" in page and "<dd>forward</dd>" not in page


def test_an_upload_sent_with_a_wrong_field_is_clearly_asked_again(pages, clock):
    sop = PageSop(pages, clock)
    browser = pages("opd.dinkes")
    browser.get("/permohonan/baru")
    form = {**html_form(sop.start_schema(), clock), "csrf_token": browser.token,
            "letter_file": FileStorage(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "surat.pdf")}
    form.pop("topic")
    boundary, body = encode_multipart(MultiDict(form))
    response = browser.client.post("/permohonan/baru", data=body,
                                   content_type=f"multipart/form-data; boundary={boundary}")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'role="alert">Berkas tadi belum tersimpan karena ada isian yang perlu diperbaiki' in page
