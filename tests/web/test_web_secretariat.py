"""The secretariat registers a paper letter for an agency; the scanned letter is
opened by the request's officials, managers and the agency only; dispositions
carry an optional deadline down the chain; form labels follow the page language."""
import io
import re

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.engine.documents import pdf_text
from tests.web.flow import PageSop, html_form

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _register(pages, sop, clock, agency: str, content: bytes | None = PDF):
    staf = pages("staf")
    staf.get("/permohonan/baru")
    form = {**html_form(sop.start_schema(), clock, {"topic": "Rapat dari surat fisik"}),
            "csrf_token": staf.token, "agency": agency}
    if content is not None:
        form["letter_file"] = FileStorage(io.BytesIO(content), "pindaian.pdf")
    boundary, body = encode_multipart(MultiDict(form))
    return staf.client.post("/permohonan/baru", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_the_secretariat_registers_a_letter_for_an_agency(pages, clock):
    sop = PageSop(pages, clock)
    page = pages("staf").get("/permohonan/baru").get_data(as_text=True)
    assert 'name="agency"' in page and "Dinas Kesehatan Kota Tarakan" in page
    answer = _register(pages, sop, clock, "dinkes")
    assert answer.status_code == 302, answer.get_data(as_text=True)[-2000:]
    instance_id = answer.headers["Location"].rsplit("/", 1)[-1]
    engine = sop.engine
    view = engine.get_instance(instance_id, engine.actor("opd.dinkes"))  # the agency sees it as its own
    assert view.summary.agency == "dinkes" and view.summary.topic == "Rapat dari surat fisik"
    assert any(i.id == instance_id for i in engine.list_instances(engine.actor("opd.dinkes")).items)
    assert all(i.id != instance_id for i in engine.list_instances(engine.actor("opd.disdik")).items)
    started = engine.events(instance_id, engine.actor("admin"))[0]
    assert (started.type, started.actor, started.on_behalf_of) == ("instance_started", "staf", "agency:dinkes")
    page = pages("opd.dinkes").get(f"/permohonan/{instance_id}").get_data(as_text=True)
    assert "didaftarkan sekretariat atas nama DINKES" in page
    assert pages("opd.dinkes").get(f"/permohonan/{instance_id}/pindaian.pdf").data == PDF


def test_the_agency_must_be_chosen_and_known(pages, clock):
    sop = PageSop(pages, clock)
    for agency, words in (("", "Wajib diisi."), ("tidak-ada", "Instansi tidak dikenal.")):
        answer = _register(pages, sop, clock, agency)
        page = answer.get_data(as_text=True)
        assert answer.status_code == 422 and 'id="e-agency"' in page and words in page
        assert 'value="Rapat dari surat fisik"' in page  # what was typed is kept
    assert sop.engine.list_instances(sop.engine.actor("admin")).total == 0


def test_other_staff_cannot_register_for_an_agency(pages, clock):
    for username in ("kadis", "subkoordinator", "manager", "admin"):
        assert pages(username).get("/permohonan/baru").status_code == 403


@pytest.fixture
def with_scan(pages, clock):
    sop = PageSop(pages, clock)
    answer = _register(pages, sop, clock, "dinkes")
    sop.instance_id = answer.headers["Location"].rsplit("/", 1)[-1]
    return sop


@pytest.mark.parametrize("username,expected", [
    ("kadis", 200), ("kabid", 200), ("subkoordinator", 200), ("staf", 200), ("manager", 200),
    ("opd.dinkes", 200), ("opd.disdik", 404), ("analyst", 403), ("admin", 403)])
def test_who_opens_the_scanned_letter(pages, with_scan, username, expected):
    response = pages(username).get(f"/permohonan/{with_scan.instance_id}/pindaian.pdf")
    assert response.status_code == expected, username
    if expected == 200:
        assert response.data == PDF and response.mimetype == "application/pdf"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "surat-permohonan.pdf" in response.headers["Content-Disposition"]
    else:
        assert not response.data.startswith(b"%PDF")


def test_the_task_and_request_pages_link_the_scan(pages, with_scan):
    task = with_scan.ready()[0]
    link = f'href="/permohonan/{with_scan.instance_id}/pindaian.pdf"'
    assert link in pages("kadis").get(f"/tugas/{task.id}").get_data(as_text=True)
    assert link in pages("opd.dinkes").get(f"/permohonan/{with_scan.instance_id}").get_data(as_text=True)
    assert link not in pages("analyst").get(f"/permohonan/{with_scan.instance_id}").get_data(as_text=True)


def test_a_request_without_a_scan_has_no_link_and_a_404(pages, clock):
    sop = PageSop(pages, clock)
    answer = _register(pages, sop, clock, "dinkes", content=None)
    instance_id = answer.headers["Location"].rsplit("/", 1)[-1]
    assert "pindaian.pdf" not in pages("kadis").get(f"/permohonan/{instance_id}").get_data(as_text=True)
    assert pages("kadis").get(f"/permohonan/{instance_id}/pindaian.pdf").status_code == 404


def test_a_disposition_deadline_is_shown_down_the_chain(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    kadis_task = sop.ready()[0]
    form = pages("kadis").get(f"/tugas/{kadis_task.id}").get_data(as_text=True)
    assert 'name="deadline" type="date"' in form
    sop.complete_next(deadline="2026-12-09", note="Segera jadwalkan")
    kabid_task = sop.ready()[0]
    page = pages("kabid").get(f"/tugas/{kabid_task.id}").get_data(as_text=True)
    assert "Batas waktu: 9 Desember 2026" in page and "Segera jadwalkan" in page
    timeline = pages("kabid").get(f"/permohonan/{sop.instance_id}").get_data(as_text=True)
    assert re.search(r"<dt>Batas waktu</dt><dd>2026-12-09</dd>", timeline)
    sheet = pdf_text(sop.engine.letters.disposition_pdf(sop.instance_id, sop.engine.actor("kabid")))
    assert "Batas waktu" in sheet and "9 Desember 2026" in sheet  # the disposition sheet too


def test_a_bad_deadline_is_named_and_nothing_stored(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    task = sop.ready()[0]
    detail = sop.engine.get_task(task.id, sop.engine.actor("kadis"))
    answer = pages("kadis").submit(f"/tugas/{task.id}", html_form(detail.form.schema, clock, {"deadline": "besok"}))
    assert answer.status_code == 422 and 'id="e-deadline"' in answer.get_data(as_text=True)
    assert sop.ready()[0].id == task.id


def test_form_labels_and_choices_follow_the_page_language(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    task = sop.ready()[0]
    kadis = pages("kadis")
    page = kadis.get(f"/tugas/{task.id}").get_data(as_text=True)
    assert "Instruksi disposisi" in page and "Teruskan ke Kabid" in page
    kadis.submit("/bahasa", {"lang": "en", "next": f"/tugas/{task.id}"}, page=f"/tugas/{task.id}")
    page = kadis.get(f"/tugas/{task.id}").get_data(as_text=True)
    assert "Disposition by the Head of Agency" in page and "Disposition instructions" in page
    assert "Forward to the Head of Division" in page and "Deadline (optional)" in page
    assert 'value="Untuk ditindaklanjuti"' in page  # the stored value stays the same
    assert "Instruksi disposisi" not in page
    new = pages("opd.dinkes")
    new.submit("/bahasa", {"lang": "en", "next": "/permohonan/baru"}, page="/permohonan/baru")
    page = new.get("/permohonan/baru").get_data(as_text=True)
    assert "Meeting topic" in page and "Scanned request letter (PDF)" in page and "PDF, at most 5 MB." in page
