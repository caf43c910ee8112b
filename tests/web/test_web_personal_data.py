"""The admin's personal-data page: find a contact, download the JSON, erase on request (CSRF)."""
import json

import pytest

from tests.web.flow import PageSop

EMAIL = "rina.kurnia@example.go.id"


@pytest.fixture
def admin_with_a_request(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit(contact_email=EMAIL, contact_name="Rina Kurnia", contact_phone="0813 4444 2222")
    return pages("admin"), sop


def test_the_admin_finds_downloads_and_erases_a_person(admin_with_a_request):
    browser, sop = admin_with_a_request
    page = browser.get("/admin/data-pribadi", query_string={"q": "081344442222"}).get_data(as_text=True)
    assert "Rina Kurnia" in page and EMAIL in page and "Hapus data pribadi" in page
    download = browser.get("/admin/data-pribadi/ekspor.json", query_string={"q": EMAIL})
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    exported = json.loads(download.get_data(as_text=True))
    assert [r["contact"]["contact_email"] for r in exported["requests"]] == [EMAIL]

    browser.submit("/admin/data-pribadi/hapus", {"q": EMAIL, "confirm": "1"},
                   page=f"/admin/data-pribadi?q={EMAIL}")
    page = browser.get("/admin/data-pribadi", query_string={"q": EMAIL}).get_data(as_text=True)
    assert "Data pribadi dihapus dari 1 permohonan." in page
    assert "Tidak ada permohonan yang memuat data ini." in page and "Rina Kurnia" not in page


def test_a_bad_search_is_named_in_the_users_language(pages):
    browser = pages("admin")
    response = browser.get("/admin/data-pribadi", query_string={"q": "12"})
    assert response.status_code == 422
    assert "minimal 6 angka" in response.get_data(as_text=True)


@pytest.mark.parametrize("username", ["kadis", "staf", "manager", "opd.dinkes"])
def test_other_roles_get_403(pages, username):
    browser = pages(username)
    assert browser.get("/admin/data-pribadi").status_code == 403
    assert browser.get("/admin/data-pribadi", query_string={"q": EMAIL}).status_code == 403
    assert browser.get("/admin/data-pribadi/ekspor.json", query_string={"q": EMAIL}).status_code == 403


def test_erasing_needs_the_csrf_token(pages):
    browser = pages("admin")
    response = browser.client.post("/admin/data-pribadi/hapus", data={"q": EMAIL})
    assert response.status_code == 400
