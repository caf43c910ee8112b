"""Security headers (issue 18, finding 6): a CSP allowing only the app's own
scripts and styles, no framing by other sites, a Referrer-Policy, no-store on
signed-in pages, Secure cookies and HSTS in production or behind https."""
from __future__ import annotations

import dataclasses
import re

import pytest

from api.app import create_app
from tests.api.accounts import PASSWORD


def _directives(response) -> dict:
    policy = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


@pytest.mark.parametrize("path", ["/masuk", "/", "/standar-layanan", "/healthz", "/api/v1/openapi.json"])
def test_every_answer_has_the_policy_and_frame_protection(pages, path):
    response = pages(None).get(path)
    csp = _directives(response)
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_pages_need_no_inline_script_or_style(pages):
    """The policy forbids inline code, so no page may carry any (data blocks are not code)."""
    for user, path in (("manager", "/kotak-masuk"), ("manager", "/pemantauan/permohonan"),
                       ("manager", "/kalender-rapat"), ("manager", "/dasbor"), ("analyst", "/proses/zoom_meeting_request/modeler"),
                       ("opd.dinkes", "/permohonan/baru"), (None, "/standar-layanan")):
        response = pages(user).get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\"))[^>]*>", body), path
        assert not re.search(r"\sstyle=\"|<style|\son[a-z]+=\"", body), path


def test_signed_in_pages_are_never_stored(pages):
    browser = pages("kadis")
    assert browser.get("/kotak-masuk").headers["Cache-Control"] == "no-store"
    assert "no-store" not in pages(None).get("/masuk").headers.get("Cache-Control", "")


def test_api_answers_to_a_token_holder_are_never_stored(app):
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "kadis", "password": PASSWORD}).json
    response = client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_cookies_are_not_secure_on_plain_http_in_demo(pages):
    response = pages(None).submit("/masuk", {"username": "kadis", "password": PASSWORD})
    assert "Secure" not in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize("overrides", [{"public_url": "https://vicon.example.go.id"},
                                       {"env": "production", "public_url": "http://10.0.0.5"}])
def test_cookies_are_secure_and_hsts_sent_behind_https_or_in_production(app, overrides):
    config = dataclasses.replace(app.config["VICON"], **overrides)
    secure = create_app(config, app.extensions["vicon"])
    client = secure.test_client()
    page = client.get("/masuk", base_url="https://vicon.example.go.id")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post("/masuk", data={"username": "kadis", "password": PASSWORD, "csrf_token": token},
                           base_url="https://vicon.example.go.id")
    assert response.status_code == 302
    assert "; Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
