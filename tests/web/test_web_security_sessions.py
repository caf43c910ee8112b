"""Sessions that end (issue 18, finding 4): an admin's password reset or
deactivation, and signing out, end the user's bearer tokens and every session
cookie, including copies of the cookie kept elsewhere."""
from __future__ import annotations

import pytest

from tests.api.accounts import PASSWORD
from tests.web.browser import Pages


def _token(app, username="kabid"):
    response = app.test_client().post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200
    return response.json["access_token"]


def _api_status(app, token) -> int:
    return app.test_client().get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"}).status_code


def _stolen_cookie(app, browser):
    """A second client holding a copy of ``browser``'s session cookie."""
    cookie = browser.client.get_cookie("session")
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    assert thief.get("/kotak-masuk").status_code == 200
    return thief


def _signed_out(client) -> bool:
    response = client.get("/kotak-masuk")
    return response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_signing_out_ends_the_cookie_copies_and_the_tokens(app):
    browser = Pages(app, "kabid")
    thief, token = _stolen_cookie(app, browser), _token(app)
    assert _api_status(app, token) == 200
    browser.get("/kotak-masuk")
    assert browser.client.post("/keluar", data={"csrf_token": browser.token}).status_code == 302
    assert _signed_out(thief) and _signed_out(browser.client)
    assert _api_status(app, token) == 401
    assert _api_status(app, _token(app)) == 200  # signing in again works


@pytest.mark.parametrize("action", ["password_reset", "deactivation"])
def test_an_admins_action_ends_every_session_of_the_user(app, action):
    browser = Pages(app, "kabid")
    token = _token(app)
    engine = app.extensions["vicon"]
    admin = engine.actor("admin")
    if action == "password_reset":
        engine.account_admin.reset_password("kabid", "a-new-password-1234", admin)
    else:
        engine.account_admin.set_active("kabid", False, admin)
    assert _signed_out(browser.client)
    assert _api_status(app, token) == 401


def test_other_users_keep_their_sessions(app):
    kadis, token = Pages(app, "kadis"), _token(app, "kadis")
    engine = app.extensions["vicon"]
    engine.account_admin.reset_password("kabid", "a-new-password-1234", engine.actor("admin"))
    assert kadis.get("/kotak-masuk").status_code == 200
    assert _api_status(app, token) == 200


def test_a_token_without_an_epoch_is_refused(app):
    from itsdangerous import URLSafeTimedSerializer
    from api.tokens import SALT, ClockSigner
    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=SALT, signer=ClockSigner,
                                        signer_kwargs={"clock": app.extensions["vicon"].clock})
    response = app.test_client().get("/api/v1/tasks",
                                     headers={"Authorization": f"Bearer {serializer.dumps('kabid')}"})
    assert response.status_code == 401 and response.json["error"] == "invalid_token"
    current = serializer.dumps(["kabid", 0])
    assert _api_status(app, current) == 200
