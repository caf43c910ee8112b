"""One mapping from engine errors to HTTP answers: the JSON API and the pages
answer the same status for the same error (JSON under /api/, HTML for pages)."""
import pytest

from engine import Conflict, EngineError, Forbidden, InvalidData, NotFound, ProcessFailure, Unavailable
from tests.api.test_api_app import raising
from tests.web.browser import Pages

ERRORS = [
    (InvalidData({"topic": ["Wajib diisi."]}), 422, "invalid", "Wajib diisi."),
    (NotFound("no such request", "permohonan tidak ada"), 404, "not_found", "Permohonan tidak ada"),
    (Forbidden("not your lane", "bukan lajur Anda"), 403, "forbidden", "Bukan lajur Anda"),
    (Conflict("changed meanwhile", "berubah sementara itu"), 409, "conflict", "Berubah sementara itu"),
    (Unavailable("the database is not answering", "basis data tidak menjawab"), 503, "unavailable",
     "Basis data tidak menjawab"),
    (ProcessFailure("expression failed: secret_var", "ekspresi gagal: secret_var"), 502, "process_failure",
     "Proses tidak dapat dilanjutkan"),
    (EngineError("something else", "hal lain"), 400, "engine_error", "Hal lain"),
]


@pytest.mark.parametrize("error, status, code, words", ERRORS, ids=[e[2] for e in ERRORS])
def test_the_api_and_the_pages_answer_the_same_status(app, api, monkeypatch, error, status, code, words):
    headers = api.headers("kadis")
    browser = Pages(app, "kadis")
    monkeypatch.setattr(api.engine, "list_tasks", raising(error))
    answer = api.client.get("/api/v1/tasks", headers=headers)
    page = browser.get("/kotak-masuk")
    assert (answer.status_code, answer.mimetype, answer.json["error"]) == (status, "application/json", code)
    assert (page.status_code, page.mimetype) == (status, "text/html")
    assert words in page.get_data(as_text=True)
    assert "secret_var" not in answer.get_data(as_text=True) + page.get_data(as_text=True)
    retry = {"Retry-After": "5"} if status == 503 else {}
    assert {k: v for k, v in answer.headers.items() if k == "Retry-After"} == retry
    assert {k: v for k, v in page.headers.items() if k == "Retry-After"} == retry
