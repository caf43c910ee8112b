"""The admin's pages for users, roles and agencies."""
import re

import pytest

from tests.api.accounts import AGENCIES, PASSWORD, STAFF
from tests.web.browser import Pages

SHOWN_PASSWORD = re.compile(r'<p class="password"><code>([^<]+)</code></p>')
NEW_USER = {"username": "budi.santoso", "full_name": "Budi Santoso", "position": "Sekretaris Dinas",
            "nip": "198001012005011001", "email": "budi@tarakankota.go.id", "roles": ["staf"]}


def _sign_in(app, username, password):
    browser = Pages(app, None)
    return browser.submit("/masuk", {"username": username, "password": password}), browser


def test_the_admin_creates_an_account_and_its_generated_password_works_once_shown(app, pages):
    admin = pages("admin")
    answer = admin.submit("/admin/pengguna", NEW_USER, page="/admin/pengguna")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    password = SHOWN_PASSWORD.search(page).group(1)
    assert len(password) >= 16
    assert password not in admin.get("/admin/pengguna").get_data(as_text=True)  # shown once
    signed_in, _ = _sign_in(app, "budi.santoso", password)
    assert signed_in.status_code == 302
    user = admin.engine.account_admin.user("budi.santoso", admin.engine.actor("admin"))
    assert (user.roles, user.position, user.nip, user.agency) == (("staf",), "Sekretaris Dinas",
                                                                  "198001012005011001", None)
    log = admin.get("/admin/pengguna").get_data(as_text=True)
    assert "user:budi.santoso" in log and "oleh admin" in log


def test_bad_fields_are_named_in_the_page_language_and_nothing_is_created(pages):
    admin = pages("admin")
    bad = {"username": "Budi Santoso!", "full_name": "", "nip": "123", "email": "no-at",
           "roles": ["opd"], "password": "short"}
    answer = admin.submit("/admin/pengguna", bad, page="/admin/pengguna")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    for field, words in {"username": "huruf kecil", "full_name": "Wajib diisi", "nip": "18 angka",
                         "email": "e-mail yang valid", "agency": "harus memilih instansinya",
                         "password": "Paling sedikit 12"}.items():
        assert f'id="new-{field}-error"' in page and words in page, field
    admin.submit("/bahasa", {"lang": "en", "next": "/admin/pengguna"}, page="/admin/pengguna")
    page = admin.submit("/admin/pengguna", bad, page="/admin/pengguna").get_data(as_text=True)
    assert "An NIP is 18 digits." in page and "An agency account needs its agency." in page
    assert all(u.username != "Budi Santoso!" for u in admin.engine.account_admin.users(admin.engine.actor("admin")))


def test_an_agency_account_needs_its_agency_and_then_sees_only_that_agency(app, pages):
    admin = pages("admin")
    answer = admin.submit("/admin/pengguna", {**NEW_USER, "username": "opd.dinkes2", "roles": ["opd"],
                                              "agency": "dinkes", "password": "sandi-sementara-1"},
                          page="/admin/pengguna")
    assert answer.status_code == 200
    actor = admin.engine.actor("opd.dinkes2")
    assert actor.agency_code == "dinkes" and actor.roles == frozenset({"opd"})


def test_roles_are_changed_and_take_effect_at_once(pages):
    admin, kabid = pages("admin"), pages("kabid")
    assert kabid.get("/plt").status_code == 200
    admin.submit("/admin/pengguna/kabid", {"full_name": "Kepala Bidang (demo)", "position": "Kepala Bidang",
                                           "roles": ["subkoordinator"]}, page="/admin/pengguna/kabid")
    assert admin.engine.actor("kabid").roles == frozenset({"subkoordinator"})
    assert kabid.get("/plt").status_code == 403


def test_a_reset_password_replaces_the_old_one(app, pages):
    admin = pages("admin")
    page = admin.submit("/admin/pengguna/kadis/sandi", {}, page="/admin/pengguna/kadis").get_data(as_text=True)
    password = SHOWN_PASSWORD.search(page).group(1)
    assert _sign_in(app, "kadis", PASSWORD)[0].status_code == 401
    assert _sign_in(app, "kadis", password)[0].status_code == 302
    typed = admin.submit("/admin/pengguna/kadis/sandi", {"password": "kata-sandi-baru-123"},
                         page="/admin/pengguna/kadis").get_data(as_text=True)
    assert not SHOWN_PASSWORD.search(typed)
    assert _sign_in(app, "kadis", "kata-sandi-baru-123")[0].status_code == 302


def test_a_deactivated_account_cannot_sign_in_or_use_its_session_or_token(app, pages):
    admin, staf = pages("admin"), pages("staf")
    token = app.test_client().post("/api/v1/auth/token", json={"username": "staf", "password": PASSWORD}).json
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    assert app.test_client().get("/api/v1/tasks", headers=bearer).status_code == 200
    admin.submit("/admin/pengguna/staf/status", {"active": "0"}, page="/admin/pengguna/staf")
    assert _sign_in(app, "staf", PASSWORD)[0].status_code == 401
    assert staf.get("/kotak-masuk").status_code == 302  # the open session is signed out
    assert app.test_client().get("/api/v1/tasks", headers=bearer).status_code == 401
    admin.submit("/admin/pengguna/staf/status", {"active": "1"}, page="/admin/pengguna/staf")
    assert _sign_in(app, "staf", PASSWORD)[0].status_code == 302


def test_the_admin_cannot_lock_themself_out(pages):
    admin = pages("admin")
    answer = admin.submit("/admin/pengguna/admin/status", {"active": "0"}, page="/admin/pengguna/admin")
    assert answer.status_code == 422 and "menonaktifkan akun Anda sendiri" in answer.get_data(as_text=True)
    answer = admin.submit("/admin/pengguna/admin", {"full_name": "Admin", "roles": ["staf"]},
                          page="/admin/pengguna/admin")
    assert answer.status_code == 422 and admin.engine.actor("admin").has("admin")


def test_search_finds_by_name_or_position(pages):
    page = pages("admin").get("/admin/pengguna?q=bidang").get_data(as_text=True)
    assert ">kabid<" in page and ">kadis<" not in page


def test_agencies_are_added_and_changed(pages):
    admin = pages("admin")
    assert admin.submit("/admin/instansi", {"code": "dlh", "name": "Dinas Lingkungan Hidup Kota Tarakan",
                                            "email": "dlh@tarakankota.go.id"}, page="/admin/instansi").status_code == 302
    answer = admin.submit("/admin/instansi", {"code": "dlh", "name": "Lagi"}, page="/admin/instansi")
    assert answer.status_code == 422 and "sudah dipakai" in answer.get_data(as_text=True)
    admin.submit("/admin/instansi/dlh", {"name": "Dinas Lingkungan Hidup", "email": ""}, page="/admin/instansi")
    agencies = {a.code: a for a in admin.engine.account_admin.agencies(admin.engine.actor("admin"))}
    assert (agencies["dlh"].name, agencies["dlh"].email) == ("Dinas Lingkungan Hidup", None)
    assert "Dinas Lingkungan Hidup" in admin.get("/admin/instansi").get_data(as_text=True)


@pytest.mark.parametrize("username", STAFF + AGENCIES)
def test_the_account_and_plt_pages_by_role(pages, username):
    """Every role against the new pages: admin only for accounts, Kadis and Kabid for Plt."""
    browser = pages(username)
    admin_status = 200 if username == "admin" else 403
    for path in ("/admin/pengguna", "/admin/pengguna/kadis", "/admin/instansi"):
        assert browser.get(path).status_code == admin_status, path
    assert browser.get("/plt").status_code == (200 if username in ("kadis", "kabid") else 403)
    answer = browser.client.post("/admin/pengguna/kadis/status", data={"active": "0", "csrf_token": browser.token})
    assert answer.status_code == (302 if username == "admin" else 403)
    assert (browser.engine.actor("kadis") is None) == (username == "admin")  # only the admin deactivates


def test_signed_out_visitors_are_sent_to_sign_in(pages):
    for path in ("/admin/pengguna", "/admin/instansi", "/plt", "/permohonan/00000000-0000-0000-0000-000000000000/pindaian.pdf"):
        response = pages(None).get(path)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"], path


def test_account_forms_need_their_csrf_token(pages):
    admin = pages("admin")
    answer = admin.submit("/admin/pengguna/kadis/status", {"active": "0"}, token=False,
                          page="/admin/pengguna/kadis")
    assert answer.status_code == 400 and admin.engine.actor("kadis") is not None


def test_the_account_page_describes_that_account_not_the_signed_in_admin(pages):
    page = pages("admin").get("/admin/pengguna/kabid").get_data(as_text=True)
    assert "<h1>Kepala Bidang Aplikasi dan Informatika (demo)" in page and "(kabid)" in page
    assert "<strong>Aktif</strong>" in page and 'name="active" value="0"' in page  # the button deactivates
    assert "Administrator (demo)" not in page
