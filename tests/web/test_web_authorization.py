"""Who may open which page: every role against every page (allowed, 403 for a
visible task of another lane, 404 for another agency's request, sign-in first)."""
import re

import pytest

from tests.api.accounts import AGENCIES, STAFF
from tests.web.flow import PageSop

EVERYONE = STAFF + AGENCIES
LANE_OF_KADIS_TASK = "kadis"


@pytest.fixture
def sop(pages, clock):
    """A request of opd.dinkes waiting for the Kadis's disposition."""
    sop = PageSop(pages, clock)
    assert sop.submit().status_code == 302
    return sop


@pytest.mark.parametrize("path", ["/kotak-masuk", "/permohonan", "/permohonan/baru",
                                  "/permohonan/00000000-0000-0000-0000-000000000000",
                                  "/tugas/00000000-0000-0000-0000-000000000000"])
def test_signed_out_visitors_must_sign_in(pages, path):
    response = pages(None).get(path)
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/standar-layanan", "/masuk", "/"])
def test_public_pages_need_no_sign_in(pages, path):
    assert pages(None).get(path).status_code == 200


@pytest.mark.parametrize("username", EVERYONE)
def test_every_user_has_an_inbox_and_a_request_list(pages, username):
    browser = pages(username)
    assert browser.get("/kotak-masuk").status_code == 200
    assert browser.get("/permohonan").status_code == 200


@pytest.mark.parametrize("username", EVERYONE)
def test_only_agencies_and_the_secretariat_open_the_new_request_form(pages, username):
    expected = 200 if username.startswith("opd.") or username == "staf" else 403
    assert pages(username).get("/permohonan/baru").status_code == expected


def test_each_role_sees_requests_and_tasks_it_may(pages, sop):
    """The matrix on one request waiting for the Kadis (one database for all roles)."""
    task = sop.ready()[0]
    for username in EVERYONE:
        browser = pages(username)
        request_page = browser.get(f"/permohonan/{sop.instance_id}")
        assert request_page.status_code == (404 if username == "opd.disdik" else 200), username
        if username == "opd.disdik":
            assert "Rapat koordinasi" not in request_page.get_data(as_text=True)
        expected = {"kadis": 200, "opd.disdik": 404}.get(username, 403)
        assert browser.get(f"/tugas/{task.id}").status_code == expected, username
        if username != "kadis":
            response = browser.client.post(f"/tugas/{task.id}", data={"decision": "forward",
                                                                      "csrf_token": browser.token})
            assert response.status_code == (404 if username == "opd.disdik" else 403), username
    assert [t.id for t in sop.ready()] == [task.id]  # nothing was completed


def test_the_inbox_lists_only_the_callers_tasks(pages, sop):
    task = sop.ready()[0]
    assert task.id in pages("kadis").get("/kotak-masuk").get_data(as_text=True)
    for username in ("kabid", "staf", "opd.dinkes", "opd.disdik"):
        assert task.id not in pages(username).get("/kotak-masuk").get_data(as_text=True)


def test_an_agencys_request_list_holds_its_own_requests_only(pages, sop):
    assert sop.instance_id in pages("opd.dinkes").get("/permohonan").get_data(as_text=True)
    assert sop.instance_id not in pages("opd.disdik").get("/permohonan").get_data(as_text=True)
    assert sop.instance_id in pages("manager").get("/permohonan").get_data(as_text=True)


def test_only_the_own_agency_may_withdraw(pages, sop):
    path = f"/permohonan/{sop.instance_id}/tarik"
    page = f"/permohonan/{sop.instance_id}"
    assert pages("opd.disdik").submit(path, {"reason": "Tidak jadi"}, page="/permohonan").status_code == 404
    assert pages("kadis").submit(path, {"reason": "Tidak jadi"}, page=page).status_code == 403
    assert sop.status()[0] == "running"
    response = pages("opd.dinkes").submit(path, {"reason": "Rapat dibatalkan pimpinan"}, page=page)
    assert response.status_code == 302
    pages("opd.dinkes").work()
    assert sop.status() == ("completed", "withdrawn")


def test_a_letter_is_downloaded_by_its_agency_only(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    while sop.ready():
        sop.complete_next()
    page = pages("opd.dinkes").get(f"/permohonan/{sop.instance_id}").get_data(as_text=True)
    link = re.search(r'href="(/permohonan/[^"]+\.pdf)"', page).group(1)
    assert "Layanan otomatis" not in page  # the system's own retries are for staff
    assert "Layanan otomatis" in pages("staf").get(f"/permohonan/{sop.instance_id}").get_data(as_text=True)
    response = pages("opd.dinkes").get(link)
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert pages("opd.disdik").get(link).status_code == 404


def test_someone_elses_notification_cannot_be_marked_read(pages):
    response = pages("kabid").submit("/notifikasi/999999/dibaca", page="/kotak-masuk")
    assert response.status_code == 404


def test_the_draft_letter_preview_is_for_staff_only(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    while sop.ready() and sop.ready()[0].name != "T08_review_draft":
        sop.complete_next()
    task = sop.ready()[0]
    page = pages("kabid").get(f"/tugas/{task.id}").get_data(as_text=True)
    assert f"/permohonan/{sop.instance_id}/konsep.pdf" in page
    response = pages("kabid").get(f"/permohonan/{sop.instance_id}/konsep.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert pages("opd.dinkes").get(f"/permohonan/{sop.instance_id}/konsep.pdf").status_code == 403
    assert pages("opd.disdik").get(f"/permohonan/{sop.instance_id}/konsep.pdf").status_code == 404
