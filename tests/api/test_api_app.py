"""The app around the API: the page, the health check, the error mapping."""
import logging

from engine import Conflict, ProcessFailure


def raising(error):
    """A stand-in for an engine method that fails with ``error``."""
    def fail(*_args, **_kwargs):
        raise error
    return fail


def test_the_home_page_links_to_the_api_description(app):
    response = app.test_client().get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert 'lang="id"' in page and "Zoom Meeting" in page and "Kota Tarakan" in page
    assert 'href="/api/v1/openapi.json"' in page


def test_health_needs_no_sign_in(app):
    response = app.test_client().get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})


def test_an_unexpected_error_is_a_json_500_without_details(api, monkeypatch, caplog):
    broken = raising(RuntimeError("password=hunter2 leaked by a bug"))
    headers = api.headers("kadis")
    monkeypatch.setattr(api.engine, "list_tasks", broken)
    monkeypatch.setattr(api.engine, "authenticate", broken)
    with caplog.at_level(logging.ERROR, logger="vicon.api"):
        response = api.client.get("/api/v1/tasks", headers=headers)
        sign_in = api.client.post("/api/v1/auth/token",
                                  json={"username": "kadis", "password": "rahasia-1"})
    for answer in (response, sign_in):
        assert (answer.status_code, answer.json["error"]) == (500, "internal_error")
        assert "hunter2" not in answer.get_data(as_text=True)
    assert "GET /api/v1/tasks" in caplog.text and "rahasia-1" not in caplog.text


def test_a_process_failure_is_502_or_409_when_the_state_blocks(api, monkeypatch):
    failure = ProcessFailure("expression failed: secret_var", "ekspresi gagal")
    monkeypatch.setattr(api.engine, "list_tasks", raising(failure))
    response = api.get("/tasks", "kadis")
    assert (response.status_code, response.json["error"]) == (502, "process_failure")
    assert "secret_var" not in response.get_data(as_text=True)
    failure.blocked = True
    assert api.get("/tasks", "kadis").status_code == 409


def test_engine_messages_follow_the_language(api, monkeypatch):
    monkeypatch.setattr(api.engine, "list_tasks", raising(Conflict("changed meanwhile", "berubah")))
    assert api.get("/tasks", "kadis").json["message"] == "berubah"
    english = api.get("/tasks", "kadis", headers={"Accept-Language": "en"})
    assert english.json == {"error": "conflict", "message": "changed meanwhile"}


def test_pages_outside_the_api_keep_html_errors(app):
    response = app.test_client().get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"
