"""Signing in and out, the session cookie, CSRF and the failed sign-in limit."""
from tests.api.accounts import PASSWORD


def _login(client, username, password, token):
    return client.post("/masuk", data={"username": username, "password": password, "csrf_token": token})


def test_signing_in_leads_to_the_inbox_with_a_safe_cookie(pages):
    browser = pages(None)
    browser.get("/masuk")
    response = _login(browser.client, "kadis", PASSWORD, browser.token)
    assert response.status_code == 302 and response.headers["Location"].endswith("/kotak-masuk")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Kotak masuk" in browser.get("/kotak-masuk").get_data(as_text=True)


def test_a_wrong_password_is_answered_in_indonesian(pages):
    browser = pages(None)
    response = browser.submit("/masuk", {"username": "kadis", "password": "salah"})
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in response.get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in_and_back(pages):
    browser = pages(None)
    response = browser.get("/permohonan")
    assert response.status_code == 302 and "/masuk?next=/permohonan" in response.headers["Location"]
    browser.get("/masuk?next=/permohonan")
    response = browser.client.post("/masuk", data={"username": "kadis", "password": PASSWORD,
                                                   "next": "/permohonan", "csrf_token": browser.token})
    assert response.headers["Location"].endswith("/permohonan")


def test_the_next_address_never_leaves_the_site(pages):
    browser = pages(None)
    browser.get("/masuk")
    response = browser.client.post("/masuk", data={"username": "kadis", "password": PASSWORD,
                                                   "next": "//evil.example/x", "csrf_token": browser.token})
    assert response.headers["Location"].endswith("/kotak-masuk")


def test_logging_out_needs_the_csrf_token_and_ends_the_session(pages):
    browser = pages("kadis")
    assert browser.client.post("/keluar").status_code == 400
    assert browser.get("/kotak-masuk").status_code == 200
    assert browser.submit("/keluar", page="/kotak-masuk").status_code == 302
    assert browser.get("/kotak-masuk").status_code == 302


def test_a_form_without_its_csrf_token_is_refused_and_nothing_is_stored(pages):
    browser = pages(None)
    response = browser.submit("/masuk", {"username": "kadis", "password": PASSWORD}, token=False)
    assert response.status_code == 400
    assert "kedaluwarsa" in response.get_data(as_text=True)
    assert browser.get("/kotak-masuk").status_code == 302  # not signed in


def test_five_failed_sign_ins_block_the_page_for_fifteen_minutes(pages, app):
    browser = pages(None)
    for _ in range(5):
        assert browser.submit("/masuk", {"username": "kabid", "password": "salah"}).status_code == 401
    response = browser.submit("/masuk", {"username": "kabid", "password": PASSWORD})
    assert response.status_code == 429
    assert "Coba lagi dalam 15 menit" in response.get_data(as_text=True)
    assert pages("kadis").get("/kotak-masuk").status_code == 200  # another username is not blocked
    app.extensions["vicon"].clock.advance(minutes=15)
    assert browser.submit("/masuk", {"username": "kabid", "password": PASSWORD}).status_code == 302


def test_the_api_token_endpoint_shares_the_limit(app):
    client = app.test_client()
    for _ in range(5):
        assert client.post("/api/v1/auth/token", json={"username": "staf", "password": "x"}).status_code == 401
    response = client.post("/api/v1/auth/token", json={"username": "staf", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json["error"] == "too_many_attempts" and "15 menit" in response.json["message"]


def test_the_api_needs_no_csrf_token(app):
    client = app.test_client()
    response = client.post("/api/v1/auth/token", json={"username": "staf", "password": PASSWORD})
    assert response.status_code == 200
